// openlive-view (samples/openlive-view, issue 15 item 1) under Xvfb, checked on screen: its own window shows the
// remote stream (the quadrant picture pushed by the ffmpeg CLI through nginx-rtmp) on the left and the local
// preview (a Y4M file of the same picture) on the right, both follow when the window is resized, and 'q' or the
// window manager's close request end it with status 0; --push also publishes the local source (read back with
// ffprobe) and --seconds ends the run with status 0; a bad --play URL, a missing source or no display are clear
// errors, never a crash. This file talks to the X server itself (Xlib, at the end): it is built outside the
// unity batches (tests/CMakeLists.txt).
#include "fixtures/media_probe.h"
#include "fixtures/process.h"
#include "fixtures/servers.h"
#include "fixtures/temp_dir.h"
#include "fixtures/xvfb.h"

using namespace openlive::test;  // before window_render_checks.h: its player fixture names these unqualified

#include "integration/window_render_checks.h"

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>

using namespace openlive::test::window_checks;
using namespace std::chrono_literals;

namespace {

// Xlib helpers (defined at the end of this file, after <X11/Xlib.h>), as a window manager or a user would act
// on the view's top-level window `id` of `display`. False when the display does not open.
bool resizeXWindow(const std::string& display, uint64_t id, int width, int height);
bool sendXKey(const std::string& display, uint64_t id, const char* keysym);  // a KeyPress, as typed
bool sendXCloseRequest(const std::string& display, uint64_t id);             // WM_DELETE_WINDOW

std::string readViewLog(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The top-level window id openlive-view prints on stderr ("openlive-view: window 0x... (WxH): ...").
std::optional<uint64_t> viewWindowIdIn(const std::string& log) {
  const std::string tag = "openlive-view: window 0x";
  const size_t at = log.find(tag);
  if (at == std::string::npos) return std::nullopt;
  return std::stoull(log.substr(at + tag.size(), 16), nullptr, 16);
}

}  // namespace

// Xvfb (1280x480), nginx-rtmp, the quadrant stream "q" (ffmpeg CLI) and the quadrant Y4M for the local source.
class OpenliveViewXvfb : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string why;
    view_ = samplePath("openlive-view");
    OPENLIVE_NEED(!view_.empty() && std::filesystem::exists(view_), "openlive-view not built");
    OPENLIVE_NEED(haveFfmpegCli(&why), why);
    xvfb_ = XvfbServer::start(1280, 480, &why);
    OPENLIVE_NEED(xvfb_, why);
    server_ = startNginxRtmp(&why);
    OPENLIVE_NEED(server_, why);
    push_ = startQuadrantPush(server_->rtmpUrl("q"), 60);
    y4m_ = (dir_ / "quadrants.y4m").string();
    ASSERT_TRUE(makeQuadrantY4m(y4m_, 20, &why)) << why;
    ASSERT_TRUE(server_->waitForPublish("q", 10s)) << server_->logTail();
  }

  // openlive-view on the private display, stderr into a file of the test's.
  Process startView(std::vector<std::string> extra) {
    std::vector<std::string> argv = {view_, "--play", server_->rtmpUrl("q"), "--source", "y4m:" + y4m_,
                                     "--audio", "none", "--no-sound", "--size", "1280x360"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    ProcessOptions o;
    o.out = Redirect::null();
    o.err = Redirect::file(logPath());
    o.env = {{"DISPLAY", xvfb_->display()}};
    return Process(argv, o);
  }
  std::string logPath() const { return (dir_ / "view.err").string(); }
  std::string log() const { return readViewLog(logPath()); }
  // The view's top-level window, once it has said which it is.
  uint64_t windowId() {
    std::optional<uint64_t> id;
    EXPECT_TRUE(waitUntil([&] { return (id = viewWindowIdIn(log())).has_value(); }, 10s, 20ms)) << log();
    return id.value_or(0);
  }
  const std::string& display() const { return xvfb_->display(); }

  TempDir dir_{"openlive-view"};
  std::string view_, y4m_;
  std::unique_ptr<XvfbServer> xvfb_;
  std::unique_ptr<MediaServer> server_;
  Process push_;
};

TEST_F(OpenliveViewXvfb, ShowsTheStreamAndThePreviewSideBySideAndFollowsAResize) {
  Process view = startView({});
  // The window is at (0, 0) (no window manager): the stream in the left half, the preview in the right half.
  EXPECT_TRUE(showsView(display(), 0, 0, 640, 360, View{}, 15s)) << "remote stream; " << log();
  EXPECT_TRUE(showsView(display(), 640, 0, 640, 360, View{}, 10s)) << "local preview; " << log();
  const uint64_t id = windowId();
  ASSERT_NE(id, 0u);
  // Resized as a window manager would: each half 480x300, where the 16:9 pictures fit with bars top and bottom.
  ASSERT_TRUE(resizeXWindow(display(), id, 960, 300));
  EXPECT_TRUE(showsView(display(), 0, 0, 480, 300, View{})) << "remote stream after the resize; " << log();
  EXPECT_TRUE(showsView(display(), 480, 0, 480, 300, View{})) << "local preview after the resize; " << log();
  EXPECT_TRUE(view.running()) << log();
  ASSERT_TRUE(sendXKey(display(), id, "q"));
  EXPECT_EQ(view.wait(5s).value_or(-1), 0) << "'q' must end the run cleanly; " << log();
  const std::string err = log();
  EXPECT_NE(err.find("[play 2004 PLAY_EVT_PLAY_BEGIN]"), std::string::npos) << err;  // events on stderr
}

TEST_F(OpenliveViewXvfb, PushPublishesTheLocalSourceAndSecondsEndsTheRun) {
  const auto t0 = std::chrono::steady_clock::now();
  Process view = startView({"--push", server_->rtmpUrl("mine"), "--seconds", "12"});
  ASSERT_TRUE(server_->waitForPublish("mine", 10s)) << server_->logTail() << "\n" << log();
  ProbeOptions po;
  po.readSeconds = 2;
  const ProbeResult probe = probeMedia(server_->rtmpUrl("mine"), 10s, {}, po);
  ASSERT_TRUE(probe.ok) << probe.error;
  ASSERT_NE(probe.video(), nullptr);
  EXPECT_EQ(probe.video()->codecName, "h264");
  EXPECT_EQ(probe.video()->width, 640);  // RTC mode's size: the 320x180 source scaled
  EXPECT_EQ(probe.video()->height, 360);
  EXPECT_TRUE(showsView(display(), 640, 0, 640, 360, View{})) << "local preview while pushing; " << log();
  const std::optional<int> rc = view.wait(20s);
  EXPECT_EQ(rc.value_or(-1), 0) << log();
  const double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_GE(took, 11.5) << "--seconds 12 ended the run early";
  EXPECT_NE(log().find("[push 1002 PUSH_EVT_PUSH_BEGIN]"), std::string::npos) << log();
}

TEST_F(OpenliveViewXvfb, TheCloseRequestEndsTheRun) {
  Process view = startView({});
  const uint64_t id = windowId();
  ASSERT_NE(id, 0u);
  EXPECT_TRUE(showsView(display(), 0, 0, 640, 360, View{}, 15s)) << log();
  ASSERT_TRUE(sendXCloseRequest(display(), id));
  EXPECT_EQ(view.wait(5s).value_or(-1), 0) << log();
}

// Refused before any window opens: a clear message and an exit status, never a crash (128 + N).
TEST(OpenliveViewCli, BadPlayUrlMissingSourceAndNoDisplayAreClearErrors) {
  const std::string view = samplePath("openlive-view");
  OPENLIVE_NEED(!view.empty() && std::filesystem::exists(view), "openlive-view not built");
  ProcessOptions po;
  po.env = {{"DISPLAY", ""}};  // nothing may open a window on the display this test runs on
  CommandResult bad = runCommand({view, "--play", "ftp://127.0.0.1/live/x", "--seconds", "5"}, 10s, po);
  EXPECT_EQ(bad.exitCode, 2) << bad.err;
  EXPECT_NE(bad.err.find("--play: not an rtmp(s):// or http(s):// URL"), std::string::npos) << bad.err;
  CommandResult missing =
      runCommand({view, "--play", "rtmp://127.0.0.1/live/x", "--source", "y4m:/nonexistent/none.y4m"}, 10s, po);
  EXPECT_EQ(missing.exitCode, 1) << missing.err;
  EXPECT_NE(missing.err.find("cannot be opened"), std::string::npos) << missing.err;
  CommandResult noDisplay = runCommand({view, "--play", "rtmp://127.0.0.1/live/x", "--seconds", "5"}, 10s, po);
  EXPECT_EQ(noDisplay.exitCode, 1) << noDisplay.err;
  EXPECT_NE(noDisplay.err.find("no X display"), std::string::npos) << noDisplay.err;
  CommandResult noPlay = runCommand({view, "--source", "test"}, 10s, po);
  EXPECT_EQ(noPlay.exitCode, 2) << noPlay.err;
  EXPECT_NE(noPlay.err.find("--play"), std::string::npos) << noPlay.err;
}

// ---- Xlib, last: its macros (None, Bool, Status ...) stay out of the code above ----
#include <X11/Xlib.h>
#include <X11/Xutil.h>

namespace {

// Runs `act` on a connection of its own to `display`, then waits until the server has handled it.
template <class F>
bool withXDisplay(const std::string& display, F&& act) {
  Display* d = XOpenDisplay(display.c_str());
  if (!d) return false;
  act(d);
  XSync(d, False);
  XCloseDisplay(d);
  return true;
}

bool resizeXWindow(const std::string& display, uint64_t id, int width, int height) {
  return withXDisplay(display, [&](Display* d) { XResizeWindow(d, Window(id), unsigned(width), unsigned(height)); });
}

bool sendXKey(const std::string& display, uint64_t id, const char* keysym) {
  return withXDisplay(display, [&](Display* d) {
    XEvent ev{};
    ev.xkey.type = KeyPress;
    ev.xkey.display = d;
    ev.xkey.window = Window(id);
    ev.xkey.root = DefaultRootWindow(d);
    ev.xkey.time = CurrentTime;
    ev.xkey.same_screen = True;
    ev.xkey.keycode = XKeysymToKeycode(d, XStringToKeysym(keysym));
    XSendEvent(d, Window(id), True, KeyPressMask, &ev);
  });
}

bool sendXCloseRequest(const std::string& display, uint64_t id) {
  return withXDisplay(display, [&](Display* d) {
    XEvent ev{};
    ev.xclient.type = ClientMessage;
    ev.xclient.window = Window(id);
    ev.xclient.message_type = XInternAtom(d, "WM_PROTOCOLS", False);
    ev.xclient.format = 32;
    ev.xclient.data.l[0] = long(XInternAtom(d, "WM_DELETE_WINDOW", False));
    ev.xclient.data.l[1] = CurrentTime;
    XSendEvent(d, Window(id), False, NoEventMask, &ev);
  });
}

}  // namespace
