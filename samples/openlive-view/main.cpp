// openlive-view: an app's own window (issue 15) with a remote stream and the local preview side by side. A
// LivePlayer draws the stream named by --play into the left half (PlayConfig::video = NativeWindow), the pusher's
// local preview (LivePusher::startPreview, NativeWindow) shows the local source (--source, as openlive-push takes
// it) in the right half; --push also publishes that source. Public API only. See README.md.
//
// Exit status: 0 after the window was closed ('q', Esc, the close button), --seconds, SIGINT / SIGTERM; 1 when the
// X display or the local source cannot be opened, or the player or the pusher reported a final error (-2301,
// -2303, -2308, -13xx); 2 for a bad command line (including a URL that is not one: -1313).
#include <openlive/live_player.h>
#include <openlive/live_pusher.h>
#include <openlive/log.h>

#include "common/push_sources.h"
#include "view_window.h"

#include <CLI/CLI.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <optional>
#include <string>

namespace {

using openlive::view::ViewWindow;

// The self-pipe that wakes the main loop (poll() in ViewWindow::pump): written by the signal handler and by the
// SDK's callback threads after they set a flag, drained by the main loop, which then looks at the flags.
int gWakeFds[2] = {-1, -1};
std::atomic<bool> gInterrupted{false};

void wake() {
  const char b = 1;
  [[maybe_unused]] const ssize_t n = write(gWakeFds[1], &b, 1);  // non-blocking: a full pipe wakes anyway
}
void onSignal(int) {
  gInterrupted = true;
  wake();  // write() is async-signal-safe
}
void drainWake() {
  char buf[64];
  while (read(gWakeFds[0], buf, sizeof buf) > 0) {
  }
}

struct Options {
  std::string play, push, mode = "RTC", title = "OpenLive view";
  openlive::samples::SourceOptions sources;  // --source, --audio, --source-pacing: as openlive-push
  int width = 1280, height = 360;            // --size
  int encodeWidth = 0, encodeHeight = 0, fps = 0;
  double seconds = 0;
  bool noSound = false, verbose = false, debugView = false;
};

// "WxH" -> w, h (64x36 .. 16384x16384).
bool parseSize(const std::string& text, int* w, int* h) {
  int pw = 0, ph = 0, used = 0;
  if (std::sscanf(text.c_str(), "%dx%d%n", &pw, &ph, &used) != 2 || size_t(used) != text.size()) return false;
  if (pw < 64 || ph < 36 || pw > 16384 || ph > 16384) return false;
  *w = pw;
  *h = ph;
  return true;
}

void addOptions(CLI::App& app, Options& o) {
  app.add_option("--play", o.play, "the remote stream, shown on the left: rtmp://host/app/stream or "
                                   "http://host/app/stream.flv")
      ->required();
  o.sources.addOptions(app);
  app.add_option("--push", o.push, "also publish the local source to rtmp://host[:port]/app/stream (without it: "
                                   "the preview only)");
  app.add_option("--mode", o.mode, "the local source's size and rate, and the push's quality: SD | HD | FHD | RTC | "
                                   "LinkMicMain | LinkMicSub");
  app.add_option("--width", o.encodeWidth, "encode width (even, <= 4096)");
  app.add_option("--height", o.encodeHeight, "encode height (even, <= 4096)");
  app.add_option("--fps", o.fps, "frames per second");
  app.add_option_function<std::string>(
         "--size", [&o](const std::string& v) { parseSize(v, &o.width, &o.height); },
         "the window's size, WxH (default 1280x360): each half shows one picture")
      ->check(CLI::Validator(
          [](std::string& v) {
            int w, h;
            return parseSize(v, &w, &h) ? std::string() : "not a window size WxH (64x36 .. 16384x16384): " + v;
          },
          "WxH"));
  app.add_option("--seconds", o.seconds, "exit after S seconds (0 = until the window is closed)")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--title", o.title, "the window's title");
  app.add_flag("--no-sound", o.noSound, "do not play the remote stream's sound");
  app.add_flag("--debug-view", o.debugView, "statistics and the last events over both pictures");
  app.add_flag("-v,--verbose", o.verbose, "log at info level to stderr");
}

// The pusher's configuration (the preview's source, and the push's); false with `err` for a bad command line.
bool buildPushConfig(const Options& o, openlive::PushConfig& cfg, std::string& err) {
  if (openlive::LivePlayer::inferType(o.play) == openlive::PlayType::Auto) {
    err = "--play: not an rtmp(s):// or http(s):// URL: " + o.play;
    return false;
  }
  if (!openlive::parsePushMode(o.mode, &cfg.mode)) {
    err = "unknown --mode '" + o.mode + "'";
    return false;
  }
  if (!o.sources.apply(cfg, err)) return false;
  const bool stdinVideo = cfg.video.type == openlive::VideoSourceType::Y4m && (cfg.video.path == "-");
  if (stdinVideo && o.push.empty()) {
    err = "--source y4m:- needs --push: stdin is read by the push only, the preview alone does not read it";
    return false;
  }
  cfg.width = o.encodeWidth;
  cfg.height = o.encodeHeight;
  cfg.fps = o.fps;
  return true;
}

// A file source that does not open or is not of its format: why ("" when it does). `magic`: its first bytes.
std::string fileProblem(const std::string& what, const std::string& path, const std::string& magic) {
  if (path == "-") return "";
  std::ifstream in(path, std::ios::binary);
  if (!in) return what + path + ": " + std::strerror(errno);
  std::string head(magic.size(), '\0');
  if (!in.read(head.data(), std::streamsize(head.size())) || head != magic)
    return what + path + ": not a " + (magic == "RIFF" ? "WAV" : "YUV4MPEG2") + " file";
  return "";
}

// The local source checked before anything opens: the preview reads it on a thread of the SDK's and, while
// nothing is pushed, a source that fails there only leaves the preview black. So the files and devices are tried
// here, for a clear message. "" when they look usable (a push still reports what fails later: -1301, -1302).
// The screen source's display is tried once the window is open (screenProblem).
std::string sourceProblem(const openlive::PushConfig& cfg, bool pushing) {
  using openlive::VideoSourceType;
  const openlive::VideoSourceConfig& v = cfg.video;
  std::string why;
  if (v.type == VideoSourceType::Y4m) {
    why = fileProblem("--source y4m:", v.path, "YUV4MPEG2");
  } else if (v.type == VideoSourceType::Camera) {
    std::string dev = v.path.empty() ? "/dev/video0" : v.path;
    if (dev.rfind("v4l2:", 0) == 0) dev = dev.substr(5);  // a device id of listDevices()
    if (dev.rfind('/', 0) == 0 && access(dev.c_str(), R_OK | W_OK) != 0)
      why = "--source camera: " + dev + ": " + std::strerror(errno);
  }
  if (why.empty() && pushing && cfg.audio.type == openlive::AudioSourceType::Wav)
    why = fileProblem("--audio wav:", cfg.audio.path, "RIFF");
  return why;
}

// The screen source's X display, tried while the window's connection is open: an Xvfb with no other client resets
// itself when its last client leaves, so a connection opened and closed before the window's would race that reset.
std::string screenProblem(const openlive::PushConfig& cfg) {
  std::string why;
  if (cfg.video.type == openlive::VideoSourceType::Screen && !ViewWindow::displayOpens(cfg.video.path, &why))
    return "--source screen: " + why;
  return "";
}

int sourceFailed(const std::string& why) {
  std::fprintf(stderr, "openlive-view: the local source cannot be opened: %s\n", why.c_str());
  return 1;
}

// What the SDK's callback threads tell the main loop (each then wakes it).
struct Flags {
  std::atomic<bool> fatal{false};        // a final error of the player or the pusher
  std::atomic<bool> sourceEnded{false};  // the pushed file source reached its end
  void set(std::atomic<bool>& flag) {
    flag = true;
    wake();
  }
};

void printEvent(const char* who, const openlive::Event& e) {
  std::fprintf(stderr, "[%s %d %s] %s\n", who, openlive::toInt(e.code), std::string(e.name()).c_str(),
               e.message().c_str());
}

void attachHandlers(openlive::LivePlayer& player, openlive::LivePusher& pusher, Flags& flags) {
  player.setEventCallback([&flags](const openlive::Event& e) {
    printEvent("play", e);
    if (const auto* info = openlive::findEvent(e.code); info && info->category == openlive::EventCategory::Error)
      flags.set(flags.fatal);
  });
  pusher.setEventCallback([&flags](const openlive::Event& e) {
    printEvent("push", e);
    if (openlive::toInt(e.code) < 0) flags.set(flags.fatal);
  });
  pusher.setSourceEndCallback([&flags] { flags.set(flags.sourceEnded); });
}

// Starts the preview, the player and (with --push) the push; 0, or the exit status when one was refused.
int startAll(const Options& o, const ViewWindow& win, openlive::LivePlayer& player, openlive::LivePusher& pusher) {
  const openlive::VideoOutput preview{openlive::VideoOutput::Kind::NativeWindow, {}, win.right()};
  player.showDebugView(o.debugView);
  pusher.showDebugView(o.debugView);
  if (const openlive::Result r = pusher.startPreview(preview); !r) {
    std::fprintf(stderr, "openlive-view: the local preview cannot be shown: %s\n", r.message.c_str());
    return 1;
  }
  if (const openlive::Result r = player.start(o.play); !r) {
    std::fprintf(stderr, "openlive-view: --play: %s\n", r.message.c_str());
    return r.code == openlive::ResultCode::InvalidUrl ? 2 : 1;
  }
  if (o.push.empty()) return 0;
  if (const openlive::Result r = pusher.start(o.push); !r) {
    std::fprintf(stderr, "openlive-view: --push: %s\n", r.message.c_str());
    return r.code == openlive::ResultCode::Failed ? 1 : 2;  // refused arguments (URL, size) as openlive-push
  }
  return 0;
}

// Until the window is closed, a signal, a final error or --seconds; returns the exit status. Waits on the X
// connection and the wake pipe only (no periodic wake-up).
int runLoop(ViewWindow& win, openlive::LivePusher& pusher, Flags& flags, double seconds) {
  using Clock = std::chrono::steady_clock;
  const auto deadline =
      Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  for (;;) {
    if (gInterrupted) return 0;
    if (flags.fatal) return 1;
    if (flags.sourceEnded.exchange(false)) {
      std::fprintf(stderr, "openlive-view: the source ended: the push stops, the preview reads it again\n");
      pusher.stop();
    }
    int timeoutMs = -1;
    if (seconds > 0) {
      const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
      if (left.count() <= 0) return 0;
      timeoutMs = int(std::min<int64_t>(left.count(), 60000));
    }
    if (!win.pump(gWakeFds[0], timeoutMs)) return 0;  // closed by the user
    drainWake();
  }
}

int run(const Options& o, const openlive::PushConfig& pushCfg, ViewWindow& win) {
  openlive::PlayConfig pc;
  pc.video = {openlive::VideoOutput::Kind::NativeWindow, {}, win.left()};
  if (o.noSound) pc.audio.kind = openlive::AudioOutput::Kind::None;
  Flags flags;
  openlive::LivePlayer player(pc);
  openlive::LivePusher pusher(pushCfg);
  attachHandlers(player, pusher, flags);
  int rc = startAll(o, win, player, pusher);
  if (rc == 0) rc = runLoop(win, pusher, flags, o.seconds);
  // The SDK lets go of the windows before they are destroyed (~ViewWindow, after this returns).
  player.stop();
  pusher.stopPreview();
  pusher.stop();
  return rc;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"openlive-view: a remote stream and the local preview side by side in one window"};
  Options o;
  addOptions(app, o);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 2;
  }
  openlive::PushConfig pushCfg;
  std::string why;
  if (!buildPushConfig(o, pushCfg, why)) {
    std::fprintf(stderr, "openlive-view: %s\n", why.c_str());
    return 2;
  }
  openlive::setLogLevel(o.verbose ? openlive::LogLevel::Info : openlive::LogLevel::Warning);
  if (why = sourceProblem(pushCfg, !o.push.empty()); !why.empty()) return sourceFailed(why);
  setenv("SDL_VIDEODRIVER", "x11", 0);  // the SDK draws into X11 windows: SDL's x11 driver (unless set otherwise)
  auto win = ViewWindow::open({o.width, o.height, o.title}, &why);
  if (!win) {
    std::fprintf(stderr, "openlive-view: %s\n", why.c_str());
    return 1;
  }
  if (why = screenProblem(pushCfg); !why.empty()) return sourceFailed(why);
  if (pipe2(gWakeFds, O_NONBLOCK | O_CLOEXEC) != 0) {
    std::fprintf(stderr, "openlive-view: pipe: %s\n", std::strerror(errno));
    return 1;
  }
  std::signal(SIGINT, onSignal);
  std::signal(SIGTERM, onSignal);
  std::signal(SIGPIPE, SIG_IGN);
  std::fprintf(stderr, "openlive-view: window 0x%llx (%dx%d): remote 0x%llx, preview 0x%llx\n",
               static_cast<unsigned long long>(win->id()), o.width, o.height,
               static_cast<unsigned long long>(win->left()), static_cast<unsigned long long>(win->right()));
  return run(o, pushCfg, *win);
}
