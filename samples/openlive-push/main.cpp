// openlive-push: the pusher CLI. See README.md.
#include <openlive/live_pusher.h>
#include <openlive/log.h>

#include "common/file_outputs.h"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <mutex>
#include <thread>

namespace {

std::atomic<bool> gInterrupted{false};
void onSignal(int) { gInterrupted = true; }

bool parseVideoSource(const std::string& s, openlive::VideoSourceConfig& out, std::string& err) {
  using openlive::VideoSourceType;
  auto rest = [&](size_t n) { return s.size() > n ? s.substr(n) : std::string(); };
  if (s == "test") {
    out.type = VideoSourceType::TestPattern;
  } else if (s.rfind("y4m:", 0) == 0 && s.size() > 4) {
    out.type = VideoSourceType::Y4m;
    out.path = rest(4);
  } else if (s == "camera" || s.rfind("camera:", 0) == 0) {
    out.type = VideoSourceType::Camera;
    out.path = rest(7);
  } else if (s == "screen" || s.rfind("screen:", 0) == 0) {
    out.type = VideoSourceType::Screen;
    std::string spec = rest(7);  // DISPLAY[+X,Y]
    auto plus = spec.find('+');
    out.path = spec.substr(0, plus);
    if (plus != std::string::npos && std::sscanf(spec.c_str() + plus + 1, "%d,%d", &out.regionX, &out.regionY) != 2) {
      err = "bad screen region in '" + s + "' (want screen:DISPLAY+X,Y)";
      return false;
    }
  } else if (s == "none") {
    out.type = VideoSourceType::None;
  } else {
    err = "unknown --source '" + s + "'";
    return false;
  }
  return true;
}

bool parseAudioSource(const std::string& s, openlive::AudioSourceConfig& out, std::string& err) {
  using openlive::AudioSourceType;
  if (s == "tone") {
    out.type = AudioSourceType::Tone;
  } else if (s.rfind("wav:", 0) == 0 && s.size() > 4) {
    out.type = AudioSourceType::Wav;
    out.path = s.substr(4);
  } else if (s == "mic" || s.rfind("mic:", 0) == 0) {
    out.type = AudioSourceType::Microphone;
    out.path = s.size() > 4 ? s.substr(4) : "";
  } else if (s == "none") {
    out.type = AudioSourceType::None;
  } else {
    err = "unknown --audio '" + s + "'";
    return false;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"openlive-push: publish live audio/video to an RTMP server"};
  std::string url, source = "test", audio = "tone", mode = "RTC", sei;
  int width = 0, height = 0, fps = 0, bitrate = 0, minBitrate = 0, maxBitrate = 0, retries = 3;
  double gop = 0, duration = 0, retryInterval = 3;
  bool json = false, verbose = false, mute = false, mirror = false;
  app.add_option("url", url, "rtmp://host[:port]/app/stream")->required();
  app.add_option("--source", source, "test | y4m:PATH | y4m:- | camera[:DEV] | screen[:DISPLAY[+X,Y]] | none");
  app.add_option("--audio", audio, "tone | wav:PATH | wav:- | mic[:DEV] | none");
  app.add_option("--mode", mode, "SD | HD | FHD | RTC");
  app.add_option("--width", width, "encode width (even, <= 4096)");
  app.add_option("--height", height, "encode height (even, <= 4096)");
  app.add_option("--fps", fps, "frames per second");
  app.add_option("--gop", gop, "keyframe interval, seconds");
  app.add_option("--bitrate", bitrate, "target video bitrate, kbps");
  app.add_option("--min-bitrate", minBitrate, "minimum video bitrate, kbps");
  app.add_option("--max-bitrate", maxBitrate, "maximum video bitrate, kbps");
  app.add_option("--duration", duration, "stop after S seconds of publishing (0 = until Ctrl-C / end of input)");
  app.add_option("--retries", retries, "reconnect attempts")->check(CLI::Range(0, 100));
  app.add_option("--retry-interval", retryInterval, "seconds between reconnect attempts")->check(CLI::Range(0.0, 600.0));
  app.add_option("--sei", sei, "send this text as an SEI message once a second");
  app.add_flag("--mute", mute, "send silence");
  app.add_flag("--mirror", mirror, "mirror the picture");
  app.add_flag("--json", json, "one JSON object per line per event and per net status");
  app.add_flag("-v,--verbose", verbose, "log at info level to stderr");
  openlive::samples::FileOutputs files;
  files.addOptions(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }

  openlive::PushConfig cfg;
  std::string err;
  if (!openlive::parsePushMode(mode, &cfg.mode)) err = "unknown --mode '" + mode + "'";
  if (err.empty()) parseVideoSource(source, cfg.video, err);
  if (err.empty()) parseAudioSource(audio, cfg.audio, err);
  if (!err.empty()) {
    std::cerr << "openlive-push: " << err << "\n";
    return 2;
  }
  cfg.width = width;
  cfg.height = height;
  cfg.fps = fps;
  cfg.gopSeconds = gop;
  cfg.bitrateKbps = bitrate;
  cfg.minBitrateKbps = minBitrate;
  cfg.maxBitrateKbps = maxBitrate;
  cfg.connectRetryCount = retries;
  cfg.connectRetryInterval = std::chrono::milliseconds(static_cast<int64_t>(retryInterval * 1000));
  cfg.mirror = mirror;
  openlive::setLogLevel(verbose ? openlive::LogLevel::Info : openlive::LogLevel::Warning);

  const bool tty = !json && isatty(STDOUT_FILENO);
  std::mutex outMu;
  std::atomic<bool> fatal{false}, ended{false};
  std::string lastStatus;
  auto clearLine = [&] {
    if (tty && !lastStatus.empty()) std::printf("\r\033[K");
  };

  openlive::LivePusher pusher(cfg);
  pusher.setMute(mute);
  pusher.setEventCallback([&](const openlive::Event& e) {
    const int code = openlive::toInt(e.code);
    if (code < 0) fatal = true;
    files.onEvent(e);
    std::lock_guard lk(outMu);
    if (json) {
      nlohmann::json j;
      j["type"] = "event";
      j["code"] = code;
      j["name"] = std::string(e.name());
      for (const auto& [k, v] : e.params) j["params"][k] = v;
      std::printf("%s\n", j.dump().c_str());
    } else {
      clearLine();
      std::printf("[%d %s] %s\n", code, std::string(e.name()).c_str(), e.message().c_str());
      if (tty && !lastStatus.empty()) std::printf("%s", lastStatus.c_str());
    }
    std::fflush(stdout);
  });
  pusher.setNetStatusCallback([&](const openlive::NetStatus& st) {
    std::lock_guard lk(outMu);
    if (json) {
      nlohmann::json j;
      j["type"] = "net_status";
      for (const auto& [k, v] : st.values) j["values"][k] = v;
      std::printf("%s\n", j.dump().c_str());
    } else {
      char line[256];
      std::snprintf(line, sizeof line, "%s fps %s  video %s kbps  audio %s kbps  sent %s kbps  queue %s ms  drops %s  cpu %s%%",
                    st.get("STATE").c_str(), st.get("VIDEO_FPS").c_str(), st.get("VIDEO_BITRATE").c_str(),
                    st.get("AUDIO_BITRATE").c_str(), st.get("NET_SPEED").c_str(), st.get("CACHE_SIZE").c_str(),
                    st.get("DROP_SIZE").c_str(), st.get("CPU_USAGE").c_str());
      if (tty) {
        lastStatus = line;
        std::printf("\r\033[K%s", line);
      } else {
        std::printf("%s\n", line);
      }
    }
    std::fflush(stdout);
  });
  pusher.setSourceEndCallback([&] { ended = true; });

  std::signal(SIGINT, onSignal);
  std::signal(SIGTERM, onSignal);
  std::signal(SIGPIPE, SIG_IGN);

  openlive::StartResult r = pusher.startPush(url);
  if (!r) {
    if (json) {
      nlohmann::json j;
      j["type"] = "error";
      j["code"] = openlive::toInt(r.code);
      j["message"] = r.message;
      std::printf("%s\n", j.dump().c_str());
    }
    std::cerr << "openlive-push: " << r.message << "\n";
    return 2;
  }

  using Clock = std::chrono::steady_clock;
  std::optional<Clock::time_point> publishedAt;
  auto lastSei = Clock::now();
  bool badFileRequest = false;
  while (!gInterrupted && !fatal && !ended) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    if (!publishedAt && pusher.isPublished()) publishedAt = Clock::now();
    if (publishedAt && !files.tick(pusher, *publishedAt)) {
      badFileRequest = true;
      break;
    }
    if (publishedAt && duration > 0 && Clock::now() - *publishedAt >= std::chrono::duration<double>(duration)) break;
    if (!sei.empty() && pusher.isPublished() && Clock::now() - lastSei >= std::chrono::seconds(1)) {
      pusher.sendMessage(std::vector<uint8_t>(sei.begin(), sei.end()));
      lastSei = Clock::now();
    }
    if (!pusher.isPushing()) break;  // failed
  }
  files.finish(pusher);  // the recording's result (1029) before stopPush() ends the callbacks
  pusher.stopPush();
  {
    std::lock_guard lk(outMu);
    if (tty) std::printf("\n");
    std::fflush(stdout);
  }
  if (badFileRequest) return 2;
  return fatal || files.recordFailed() ? 1 : 0;
}
