// openlive-push: the pusher CLI. See README.md.
#include <openlive/devices.h>
#include <openlive/live_pusher.h>
#include <openlive/log.h>

#include "common/file_outputs.h"
#include "common/push_sources.h"
#include "common/window_id.h"

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
#include <thread>
#include <vector>

namespace {

std::atomic<bool> gInterrupted{false};
void onSignal(int) { gInterrupted = true; }

struct Cli {
  std::string url, mode = "RTC", sei;
  openlive::samples::SourceOptions sources;  // --source, --audio, --source-pacing
  int width = 0, height = 0, fps = 0, bitrate = 0, minBitrate = 0, maxBitrate = 0, retries = 3;
  double gop = 0, duration = 0, retryInterval = 3;
  bool json = false, verbose = false, mute = false, mirror = false, listDevices = false;
  bool preview = false, previewMirror = false, debugView = false;  // --preview: the SDK's window; --preview-window-id: the app's
  uint64_t previewWindowId = 0;
  openlive::samples::FileOutputs files;
};

void addOptions(CLI::App& app, Cli& c) {
  app.add_option("url", c.url, "rtmp://host[:port]/app/stream (required unless --list-devices)");
  app.add_flag("--list-devices", c.listDevices,
               "list cameras and microphones with the ids camera:ID / mic:ID take, then exit (--json: one object each)");
  c.sources.addOptions(app);
  app.add_option("--mode", c.mode, "SD | HD | FHD | RTC | LinkMicMain | LinkMicSub");
  app.add_option("--width", c.width, "encode width (even, <= 4096)");
  app.add_option("--height", c.height, "encode height (even, <= 4096)");
  app.add_option("--fps", c.fps, "frames per second");
  app.add_option("--gop", c.gop, "keyframe interval, seconds");
  app.add_option("--bitrate", c.bitrate, "target video bitrate, kbps");
  app.add_option("--min-bitrate", c.minBitrate, "minimum video bitrate, kbps");
  app.add_option("--max-bitrate", c.maxBitrate, "maximum video bitrate, kbps");
  app.add_option("--duration", c.duration, "stop after S seconds of publishing (0 = until Ctrl-C / end of input)");
  app.add_option("--retries", c.retries, "reconnect attempts")->check(CLI::Range(0, 100));
  app.add_option("--retry-interval", c.retryInterval, "seconds between reconnect attempts")->check(CLI::Range(0.0, 600.0));
  app.add_option("--sei", c.sei, "send this text as an SEI message once a second");
  app.add_flag("--mute", c.mute, "send silence");
  app.add_flag("--mirror", c.mirror, "mirror the picture");
  auto* preview = app.add_flag("--preview", c.preview, "show the local preview in a window of the SDK's");
  openlive::samples::addWindowIdOption(app, "--preview-window-id", &c.previewWindowId,
                                       "show the local preview in this X11 window (decimal or 0x hex)")
      ->excludes(preview);
  app.add_flag("--preview-mirror", c.previewMirror, "mirror the local preview (not the pushed picture)");
  app.add_flag("--debug-view", c.debugView, "statistics and the last events over the preview ('d' toggles)");
  app.add_flag("--json", c.json, "one JSON object per line per event and per net status");
  app.add_flag("-v,--verbose", c.verbose, "log at info level to stderr");
  c.files.addOptions(app);
}

bool buildConfig(const Cli& c, openlive::PushConfig& cfg, std::string& err) {
  if (!openlive::parsePushMode(c.mode, &cfg.mode)) {
    err = "unknown --mode '" + c.mode + "'";
    return false;
  }
  if (!c.sources.apply(cfg, err)) return false;
  cfg.width = c.width;
  cfg.height = c.height;
  cfg.fps = c.fps;
  cfg.gopSeconds = c.gop;
  cfg.bitrateKbps = c.bitrate;
  cfg.minBitrateKbps = c.minBitrate;
  cfg.maxBitrateKbps = c.maxBitrate;
  cfg.connectRetryCount = c.retries;
  cfg.connectRetryInterval = std::chrono::milliseconds(static_cast<int64_t>(c.retryInterval * 1000));
  cfg.mirror = c.mirror;
  return true;
}

// Events and net status to stdout: JSON lines, or text with one status line kept at the bottom of a terminal.
class Printer {
 public:
  explicit Printer(bool json) : json_(json), tty_(!json && isatty(STDOUT_FILENO)) {}

  void event(const openlive::Event& e) {
    std::lock_guard lk(mu_);
    const int code = openlive::toInt(e.code);
    if (json_) {
      nlohmann::json j;
      j["type"] = "event";
      j["code"] = code;
      j["name"] = std::string(e.name());
      for (const auto& [k, v] : e.params) j["params"][k] = v;
      std::printf("%s\n", j.dump().c_str());
    } else {
      if (tty_ && !lastStatus_.empty()) std::printf("\r\033[K");
      std::printf("[%d %s] %s\n", code, std::string(e.name()).c_str(), e.message().c_str());
      if (tty_ && !lastStatus_.empty()) std::printf("%s", lastStatus_.c_str());
    }
    std::fflush(stdout);
  }

  void status(const openlive::NetStatus& st) {
    std::lock_guard lk(mu_);
    if (json_) {
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
      if (tty_) {
        lastStatus_ = line;
        std::printf("\r\033[K%s", line);
      } else {
        std::printf("%s\n", line);
      }
    }
    std::fflush(stdout);
  }

  void finish() {
    std::lock_guard lk(mu_);
    if (tty_) std::printf("\n");
    std::fflush(stdout);
  }

  void startFailed(const openlive::Result& r) {
    if (json_) {
      nlohmann::json j;
      j["type"] = "error";
      j["code"] = openlive::toInt(r.event);
      j["result"] = std::string(openlive::toString(r.code));
      j["message"] = r.message;
      std::printf("%s\n", j.dump().c_str());
    }
    std::cerr << "openlive-push: " << r.message << "\n";
  }

 private:
  const bool json_, tty_;
  std::mutex mu_;
  std::string lastStatus_;
};

// What ends the run, signalled from the SDK's callbacks and the signal handler's flag.
struct RunFlags {
  std::mutex mu;
  std::condition_variable cv;
  std::atomic<bool> fatal{false}, ended{false};
  void set(std::atomic<bool>& flag) {
    flag = true;
    std::lock_guard lk(mu);
    cv.notify_all();
  }
};

// Until Ctrl-C, a fatal event, the end of the input or --duration; returns false when a file request was refused.
bool runUntilDone(openlive::LivePusher& pusher, Cli& c, RunFlags& flags) {
  using Clock = std::chrono::steady_clock;
  std::optional<Clock::time_point> publishedAt;
  auto lastSei = Clock::now();
  while (!gInterrupted && !flags.fatal && !flags.ended && pusher.isActive()) {
    {
      std::unique_lock lk(flags.mu);  // woken by events; the 20 ms bound picks up Ctrl-C and the timers
      flags.cv.wait_for(lk, std::chrono::milliseconds(20), [&] { return flags.fatal || flags.ended; });
    }
    if (!publishedAt && pusher.isPublished()) publishedAt = Clock::now();
    if (!publishedAt) continue;
    if (!c.files.tick(pusher, *publishedAt)) return false;
    if (c.duration > 0 && Clock::now() - *publishedAt >= std::chrono::duration<double>(c.duration)) break;
    if (!c.sei.empty() && Clock::now() - lastSei >= std::chrono::seconds(1)) {
      if (auto r = pusher.sendMessage(std::vector<uint8_t>(c.sei.begin(), c.sei.end())); !r)
        std::fprintf(stderr, "openlive-push: SEI message not sent: %s\n", r.message.c_str());
      lastSei = Clock::now();
    }
  }
  return true;
}

}  // namespace

// --list-devices: every camera and microphone, one line each (or one JSON object each).
int listDevices(bool json) {
  int rc = 0;
  for (auto kind : {openlive::DeviceKind::Camera, openlive::DeviceKind::Microphone}) {
    const char* what = kind == openlive::DeviceKind::Camera ? "camera" : "microphone";
    std::vector<openlive::DeviceInfo> list;
    if (openlive::Result r = openlive::listDevices(kind, &list); !r) {
      std::cerr << "openlive-push: cannot list " << what << "s: " << r.message << "\n";
      rc = 1;
      continue;
    }
    for (const auto& d : list) {
      std::string modes;
      for (const auto& m : d.modes) modes += (modes.empty() ? "" : " ") + std::to_string(m.width) + "x" +
                                            std::to_string(m.height) + "/" + m.pixelFormat;
      if (json) {
        std::cout << nlohmann::json{{"type", what}, {"id", d.id}, {"name", d.name}, {"default", d.isDefault},
                                    {"modes", modes}}
                         .dump()
                  << "\n";
      } else {
        std::cout << what << " " << d.id << "  " << d.name << (d.isDefault ? "  (default)" : "")
                  << (modes.empty() ? "" : "  " + modes) << "\n";
      }
    }
  }
  return rc;
}

int main(int argc, char** argv) {
  CLI::App app{"openlive-push: publish live audio/video to an RTMP server"};
  Cli c;
  addOptions(app, c);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }
  if (c.listDevices) return listDevices(c.json);
  if (c.url.empty()) {
    std::cerr << "openlive-push: the url is required\n";
    return 2;
  }
  openlive::PushConfig cfg;
  std::string err;
  if (!buildConfig(c, cfg, err)) {
    std::cerr << "openlive-push: " << err << "\n";
    return 2;
  }
  openlive::setLogLevel(c.verbose ? openlive::LogLevel::Info : openlive::LogLevel::Warning);

  Printer out(c.json);
  RunFlags flags;
  openlive::LivePusher pusher(cfg);
  pusher.setMute(c.mute);
  pusher.setEventCallback([&](const openlive::Event& e) {
    c.files.onEvent(e);
    out.event(e);
    if (openlive::toInt(e.code) < 0) flags.set(flags.fatal);
  });
  pusher.setNetStatusCallback([&](const openlive::NetStatus& st) { out.status(st); });
  pusher.setSourceEndCallback([&] { flags.set(flags.ended); });

  std::signal(SIGINT, onSignal);
  std::signal(SIGTERM, onSignal);
  std::signal(SIGPIPE, SIG_IGN);

  if (c.preview || c.previewWindowId) {
    openlive::VideoOutput view;
    view.kind = c.preview ? openlive::VideoOutput::Kind::Window : openlive::VideoOutput::Kind::NativeWindow;
    view.nativeWindow = c.previewWindowId;
    openlive::PreviewOptions po;
    po.mirror = c.previewMirror;
    pusher.showDebugView(c.debugView);
    if (const openlive::Result pr = pusher.startPreview(view, po); !pr)
      std::cerr << "openlive-push: no preview: " << pr.message << "\n";  // the push goes on without it
  }
  const openlive::Result r = pusher.start(c.url);
  if (!r) {
    out.startFailed(r);
    return 2;
  }
  const bool requestsOk = runUntilDone(pusher, c, flags);
  c.files.finish(pusher);  // the recording's result (1029) before stop() ends the callbacks
  pusher.stop();
  out.finish();
  if (!requestsOk) return 2;
  return flags.fatal || c.files.recordFailed() ? 1 : 0;
}
