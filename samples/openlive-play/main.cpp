// openlive-play: play an RTMP / HTTP-FLV live stream with OpenLive's LivePlayer.
//
// Exit codes: 0 played until --duration, the end of the stream or the user quit; 1 playback failed (invalid
// URL, stream not found -2303, refused by the server -2308, reconnect attempts used up -2301); 2 bad command
// line; 3 --duration ended before playback ever started (never connected, or connected but no media).
#include <openlive/live_player.h>
#include <openlive/log.h>

#include "common/file_outputs.h"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <mutex>
#include <optional>
#include <string>

namespace {

std::atomic<bool> gInterrupted{false};
void onSignal(int) { gInterrupted = true; }

struct Outcome {
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;
  int exitCode = 0;
  void finish(int code) {
    std::lock_guard lk(mu);
    if (!done) exitCode = code;
    done = true;
    cv.notify_all();
  }
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Play an RTMP or HTTP-FLV live stream (OpenLive LivePlayer)"};
  std::string url, type = "auto", cacheMode, video = "window", audio = "sdl", render = "fit";
  double minCache = 0, maxCache = 0, duration = 0, retryInterval = 3.0;
  int retries = 3, rotation = 0;
  bool fullscreen = false, json = false, messages = false;
  app.add_option("url", url, "rtmp://host/app/stream or http://host/app/stream.flv")->required();
  app.add_option("--type", type, "rtmp | flv | rtc (default: from the URL)")
      ->check(CLI::IsMember({"auto", "rtmp", "flv", "rtc"}));
  app.add_option("--min-cache", minCache, "minimum cache, s (auto adjust)")->check(CLI::PositiveNumber);
  app.add_option("--max-cache", maxCache, "maximum cache, s (auto adjust)")->check(CLI::PositiveNumber);
  app.add_option("--cache-mode", cacheMode, "fast (1/1 s) | smooth (5/5 s) | auto (1-5 s, default)")
      ->check(CLI::IsMember({"fast", "smooth", "auto"}));
  app.add_option("--video", video, "window | null | y4m:PATH | y4m:- (stdout)");
  app.add_option("--audio", audio, "sdl | null | wav:PATH");
  app.add_option("--duration", duration, "stop after S seconds of wall time (0 = until the stream ends)")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--retries", retries, "reconnect attempts")->check(CLI::Range(0, 10));
  app.add_option("--retry-interval", retryInterval, "seconds between reconnect attempts")
      ->check(CLI::PositiveNumber);
  app.add_option("--render", render, "fit | fill")->check(CLI::IsMember({"fit", "fill"}));
  app.add_option("--rotation", rotation, "0 | 90 | 180 | 270")->check(CLI::IsMember({0, 90, 180, 270}));
  app.add_flag("--fullscreen", fullscreen, "start fullscreen (window output)");
  app.add_flag("--json", json, "JSON lines: events and net status");
  app.add_flag("--messages", messages, "report SEI app messages (2012)");
  openlive::samples::FileOutputs files;
  files.addOptions(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 2;
  }

  openlive::PlayConfig cfg;
  if (!cacheMode.empty())
    cfg.setCacheMode(cacheMode == "fast" ? openlive::CacheMode::Fast
                     : cacheMode == "smooth" ? openlive::CacheMode::Smooth
                                             : openlive::CacheMode::Auto);
  auto ms = [](double seconds) { return std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000)); };
  if (minCache > 0) cfg.minCacheTime = ms(minCache);
  if (maxCache > 0) cfg.maxCacheTime = ms(maxCache);
  if (cfg.maxCacheTime < cfg.minCacheTime) {
    std::cerr << "--max-cache must be >= --min-cache\n";
    return 2;
  }
  cfg.connectRetryCount = retries;
  cfg.connectRetryInterval = ms(retryInterval);
  cfg.enableMessage = messages;
  cfg.fullscreen = fullscreen;
  if (video == "window") cfg.video.kind = openlive::VideoOutput::Kind::Window;
  else if (video == "null") cfg.video.kind = openlive::VideoOutput::Kind::None;
  else if (video.rfind("y4m:", 0) == 0 && video.size() > 4) {
    cfg.video.kind = openlive::VideoOutput::Kind::Y4m;
    cfg.video.path = video.substr(4);
  } else {
    std::cerr << "--video: expected window, null or y4m:PATH\n";
    return 2;
  }
  if (audio == "sdl") cfg.audio.kind = openlive::AudioOutput::Kind::Device;
  else if (audio == "null") cfg.audio.kind = openlive::AudioOutput::Kind::None;
  else if (audio.rfind("wav:", 0) == 0 && audio.size() > 4) {
    cfg.audio.kind = openlive::AudioOutput::Kind::Wav;
    cfg.audio.path = audio.substr(4);
  } else {
    std::cerr << "--audio: expected sdl, null or wav:PATH\n";
    return 2;
  }
  openlive::PlayType pt = type == "rtmp" ? openlive::PlayType::Rtmp
                          : type == "flv" ? openlive::PlayType::Flv
                          : type == "rtc" ? openlive::PlayType::Rtc
                                          : openlive::PlayType::Auto;

  // stdout may carry the y4m stream; JSON and the status line then go to stderr.
  const bool stdoutTaken = cfg.video.kind == openlive::VideoOutput::Kind::Y4m && cfg.video.path == "-";
  FILE* jsonOut = stdoutTaken ? stderr : stdout;
  const bool statusLine = !json && isatty(STDERR_FILENO);

  Outcome outcome;
  std::mutex printMu;
  openlive::LivePlayer player(cfg);
  player.setRenderMode(render == "fill" ? openlive::RenderMode::Fill : openlive::RenderMode::Fit);
  player.setRenderRotation(rotation);
  std::atomic<bool> playing{false};
  player.setEventCallback([&](const openlive::Event& ev) {
    files.onEvent(ev);
    if (ev.code == openlive::EventCode::PLAY_EVT_PLAY_BEGIN) playing = true;
    {
      std::lock_guard lk(printMu);
      if (json) {
        nlohmann::json j = {{"type", "event"}, {"code", openlive::toInt(ev.code)}, {"name", ev.name()},
                            {"msg", ev.message()}};
        for (auto& [k, v] : ev.params) j["params"][k] = v;
        std::fprintf(jsonOut, "%s\n", j.dump().c_str());
        std::fflush(jsonOut);
      } else {
        std::fprintf(stderr, "%s[%d] %s: %s\n", statusLine ? "\r\033[K" : "", openlive::toInt(ev.code),
                     std::string(ev.name()).c_str(), ev.message().c_str());
      }
    }
    if (ev.code == openlive::EventCode::PLAY_EVT_PLAY_END) outcome.finish(0);
    if (auto* info = openlive::findEvent(ev.code); info && info->category == openlive::EventCategory::Error)
      outcome.finish(1);
  });
  player.setNetStatusCallback([&](const openlive::NetStatus& st) {
    std::lock_guard lk(printMu);
    if (json) {
      nlohmann::json j = {{"type", "net_status"}};  // same shape as openlive-push
      // Numbers as numbers, text (SERVER_IP "ip:port", AUDIO_INFO "rate,channels", PLAY_STATE) as text.
      for (auto& [k, v] : st.values) {
        auto n = st.number(k);
        if (n && std::to_string(static_cast<long long>(*n)) == v) j["values"][k] = static_cast<long long>(*n);
        else if (n && v.find_first_not_of("-0123456789.") == std::string::npos) j["values"][k] = *n;
        else j["values"][k] = v;
      }
      std::fprintf(jsonOut, "%s\n", j.dump().c_str());
      std::fflush(jsonOut);
    } else if (statusLine) {
      std::string lat = st.get(openlive::net::kLatency);
      std::fprintf(stderr, "\r\033[K%sx%s %s fps %s kbps cache %s ms%s%s stalls %s speed %s",
                   st.get(openlive::net::kVideoWidth).c_str(), st.get(openlive::net::kVideoHeight).c_str(),
                   st.get(openlive::net::kVideoFps).c_str(), st.get(openlive::net::kNetSpeed).c_str(),
                   st.get(openlive::net::kAudioCache).c_str(), lat.empty() ? "" : " latency ",
                   lat.empty() ? "" : (lat + " ms").c_str(), st.get(openlive::net::kStallCount).c_str(),
                   st.get(openlive::net::kAudioPlaySpeed).c_str());
      std::fflush(stderr);
    }
  });

  std::signal(SIGINT, onSignal);
  std::signal(SIGTERM, onSignal);
  if (auto r = player.start(url, pt); !r) {
    std::cerr << "openlive-play: " << r.message << "\n";
    return 1;
  }
  auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(duration > 0 ? duration : 1e9);
  std::optional<std::chrono::steady_clock::time_point> playingSince;
  bool badFileRequest = false;
  {
    std::unique_lock lk(outcome.mu);
    while (!outcome.done && !gInterrupted && std::chrono::steady_clock::now() < deadline) {
      outcome.cv.wait_for(lk, std::chrono::milliseconds(50));
      if (!playingSince && playing) playingSince = std::chrono::steady_clock::now();
      if (playingSince) {
        lk.unlock();
        const bool ok = files.tick(player, *playingSince);
        lk.lock();
        if (!ok) {
          badFileRequest = true;
          break;
        }
      }
    }
  }
  files.finish(player);  // the recording's result (1029) before stop() ends the callbacks
  player.stop();
  if (statusLine) std::fprintf(stderr, "\n");
  if (badFileRequest) return 2;
  std::lock_guard lk(outcome.mu);
  if (files.recordFailed()) return 1;
  if (outcome.done) return outcome.exitCode;
  if (!playing && !gInterrupted) {
    std::cerr << "playback never started within --duration\n";
    return 3;
  }
  return 0;
}
