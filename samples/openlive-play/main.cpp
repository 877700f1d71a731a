// openlive-play: play an RTMP / HTTP-FLV live stream with OpenLive's LivePlayer.
//
// Exit codes: 0 played until --duration, the end of the stream or the user quit; 1 playback failed (invalid
// URL, stream not found -2303, refused by the server -2308, reconnect attempts used up -2301); 2 bad command
// line; 1 also when the --window-id window does not exist or goes away; 3 --duration ended before playback
// ever started (never connected, or connected but no media).
#include <openlive/live_player.h>
#include <openlive/log.h>

#include "common/file_outputs.h"
#include "common/window_id.h"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
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

struct Options {
  std::string url, type = "auto", cacheMode, video = "window", audio = "sdl", render = "fit";
  double minCache = 0, maxCache = 0, duration = 0, retryInterval = 3.0;
  int retries = 3, rotation = 0;
  bool fullscreen = false, json = false, messages = false, mirror = false, debugView = false;
  uint64_t windowId = 0;  // --window-id: the app's X11 window (0: none)
};

void addOptions(CLI::App& app, Options& o) {
  app.add_option("url", o.url, "rtmp://host/app/stream or http://host/app/stream.flv")->required();
  app.add_option("--type", o.type, "rtmp | flv | rtc (default: from the URL)")
      ->check(CLI::IsMember({"auto", "rtmp", "flv", "rtc"}));
  app.add_option("--min-cache", o.minCache, "minimum cache, s (auto adjust)")->check(CLI::PositiveNumber);
  app.add_option("--max-cache", o.maxCache, "maximum cache, s (auto adjust)")->check(CLI::PositiveNumber);
  app.add_option("--cache-mode", o.cacheMode, "fast (1/1 s) | smooth (5/5 s) | auto (1-5 s, default)")
      ->check(CLI::IsMember({"fast", "smooth", "auto"}));
  auto* video = app.add_option("--video", o.video, "window | null | y4m:PATH | y4m:- (stdout)");
  openlive::samples::addWindowIdOption(app, "--window-id", &o.windowId,
                                       "draw into this X11 window of another program (decimal or 0x hex), following its size")
      ->excludes(video);
  app.add_option("--audio", o.audio, "sdl | null | wav:PATH");
  app.add_option("--duration", o.duration, "stop after S seconds of wall time (0 = until the stream ends)")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--retries", o.retries, "reconnect attempts")->check(CLI::Range(0, 10));
  app.add_option("--retry-interval", o.retryInterval, "seconds between reconnect attempts")
      ->check(CLI::PositiveNumber);
  app.add_option("--render", o.render, "fit | fill")->check(CLI::IsMember({"fit", "fill"}));
  app.add_option("--rotation", o.rotation, "0 | 90 | 180 | 270")->check(CLI::IsMember({0, 90, 180, 270}));
  app.add_flag("--mirror", o.mirror, "mirror the picture (window output)");
  app.add_flag("--debug-view", o.debugView, "statistics and the last events over the video (window output; 'd' toggles)");
  app.add_flag("--fullscreen", o.fullscreen, "start fullscreen (window output)");
  app.add_flag("--json", o.json, "JSON lines: events and net status");
  app.add_flag("--messages", o.messages, "report SEI app messages (2012)");
}

// The player's configuration from the options; an error message (exit 2) when they do not fit together.
std::optional<std::string> buildConfig(const Options& o, openlive::PlayConfig& cfg) {
  if (!o.cacheMode.empty())
    cfg.setCacheMode(o.cacheMode == "fast"     ? openlive::CacheMode::Fast
                     : o.cacheMode == "smooth" ? openlive::CacheMode::Smooth
                                               : openlive::CacheMode::Auto);
  auto ms = [](double seconds) { return std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000)); };
  if (o.minCache > 0) cfg.minCacheTime = ms(o.minCache);
  if (o.maxCache > 0) cfg.maxCacheTime = ms(o.maxCache);
  if (cfg.maxCacheTime < cfg.minCacheTime) return "--max-cache must be >= --min-cache";
  cfg.connectRetryCount = o.retries;
  cfg.connectRetryInterval = ms(o.retryInterval);
  cfg.enableMessage = o.messages;
  cfg.fullscreen = o.fullscreen;
  if (o.video == "window") cfg.video.kind = openlive::VideoOutput::Kind::Window;
  else if (o.video == "null") cfg.video.kind = openlive::VideoOutput::Kind::None;
  else if (o.video.rfind("y4m:", 0) == 0 && o.video.size() > 4)
    cfg.video = {openlive::VideoOutput::Kind::Y4m, o.video.substr(4)};
  else return "--video: expected window, null or y4m:PATH";
  if (o.windowId) cfg.video = {openlive::VideoOutput::Kind::NativeWindow, {}, o.windowId};
  if (o.audio == "sdl") cfg.audio.kind = openlive::AudioOutput::Kind::Device;
  else if (o.audio == "null") cfg.audio.kind = openlive::AudioOutput::Kind::None;
  else if (o.audio.rfind("wav:", 0) == 0 && o.audio.size() > 4)
    cfg.audio = {openlive::AudioOutput::Kind::Wav, o.audio.substr(4)};
  else return "--audio: expected sdl, null or wav:PATH";
  return std::nullopt;
}

openlive::PlayType playType(const std::string& type) {
  return type == "rtmp" ? openlive::PlayType::Rtmp
         : type == "flv" ? openlive::PlayType::Flv
         : type == "rtc" ? openlive::PlayType::Rtc
                         : openlive::PlayType::Auto;
}

// Where and how events and net status are printed. stdout may carry the y4m stream; JSON then goes to stderr.
struct Printer {
  std::mutex mu;
  bool json = false;
  bool statusLine = false;
  FILE* jsonOut = stdout;

  void event(const openlive::Event& ev) {
    std::lock_guard lk(mu);
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

  // --json: one line when the --duration clock starts (after start() returned), so a harness can tell the
  // playing time from the process's start-up.
  void durationClockStarted() {
    std::lock_guard lk(mu);
    if (!json) return;
    const auto wall = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::system_clock::now().time_since_epoch());
    nlohmann::json j = {{"type", "duration_clock"}, {"wall_ms", static_cast<long long>(wall.count())}};
    std::fprintf(jsonOut, "%s\n", j.dump().c_str());
    std::fflush(jsonOut);
  }

  void netStatus(const openlive::NetStatus& st) {
    std::lock_guard lk(mu);
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
  }
};

// Waits until the stream ends, a final error, Ctrl-C or --duration, ticking the file outputs (snapshots and
// recordings on their schedule) once playing. False when a file request was refused (exit 2).
bool runUntilDone(openlive::LivePlayer& player, Outcome& outcome, const std::atomic<bool>& playing,
                  openlive::samples::FileOutputs& files, double duration) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(duration > 0 ? duration : 1e9);
  std::optional<std::chrono::steady_clock::time_point> playingSince;
  std::unique_lock lk(outcome.mu);
  while (!outcome.done && !gInterrupted && std::chrono::steady_clock::now() < deadline) {
    outcome.cv.wait_for(lk, std::chrono::milliseconds(50));  // Ctrl-C and the file schedule have no event
    if (!playingSince && playing) playingSince = std::chrono::steady_clock::now();
    if (!playingSince) continue;
    lk.unlock();
    const bool ok = files.tick(player, *playingSince);
    lk.lock();
    if (!ok) return false;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Play an RTMP or HTTP-FLV live stream (OpenLive LivePlayer)"};
  Options o;
  addOptions(app, o);
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
  if (auto why = buildConfig(o, cfg)) {
    std::cerr << *why << "\n";
    return 2;
  }
  Printer printer;
  printer.json = o.json;
  printer.statusLine = !o.json && isatty(STDERR_FILENO);
  const bool stdoutTaken = cfg.video.kind == openlive::VideoOutput::Kind::Y4m && cfg.video.path == "-";
  printer.jsonOut = stdoutTaken ? stderr : stdout;

  Outcome outcome;
  std::atomic<bool> playing{false};
  openlive::LivePlayer player(cfg);
  player.setRenderMode(o.render == "fill" ? openlive::RenderMode::Fill : openlive::RenderMode::Fit);
  player.setRenderRotation(o.rotation);
  player.setMirror(o.mirror);
  player.showDebugView(o.debugView);
  player.setEventCallback([&](const openlive::Event& ev) {
    files.onEvent(ev);
    if (ev.code == openlive::EventCode::PLAY_EVT_PLAY_BEGIN) playing = true;
    printer.event(ev);
    if (ev.code == openlive::EventCode::PLAY_EVT_PLAY_END) outcome.finish(0);
    if (auto* info = openlive::findEvent(ev.code); info && info->category == openlive::EventCategory::Error)
      outcome.finish(1);
    if (ev.code == openlive::EventCode::PLAY_WARNING_RENDER_WINDOW_FAIL && o.windowId) {
      std::cerr << "openlive-play: --window-id: " << ev.get(openlive::evt::kDescription) << "\n";
      outcome.finish(1);  // the window this run was asked to draw into cannot be used
    }
  });
  player.setNetStatusCallback([&](const openlive::NetStatus& st) { printer.netStatus(st); });

  std::signal(SIGINT, onSignal);
  std::signal(SIGTERM, onSignal);
  if (auto r = player.start(o.url, playType(o.type)); !r) {
    std::cerr << "openlive-play: " << r.message << "\n";
    return 1;
  }
  printer.durationClockStarted();
  const bool filesOk = runUntilDone(player, outcome, playing, files, o.duration);
  files.finish(player);  // the recording's result (1029) before stop() ends the callbacks
  player.stop();
  if (printer.statusLine) std::fprintf(stderr, "\n");
  if (!filesOk) return 2;
  std::lock_guard lk(outcome.mu);
  if (files.recordFailed()) return 1;
  if (outcome.done) return outcome.exitCode;
  if (!playing && !gInterrupted) {
    std::cerr << "playback never started within --duration\n";
    return 3;
  }
  return 0;
}
