// The pusher's local preview (issue 15 item 2) into an app's own X11 window on a private Xvfb, checked in
// screenshots of the four-quadrant picture (window_render_checks.h): before start() the preview reads the source
// itself; while pushing it shows the push's capture with its own mirror (the pushed stream, read back by the
// ffmpeg CLI from nginx-rtmp, is not mirrored); the pause card while paused; stopPreview returns promptly and
// leaves the window black; fill, rotation and a resized window; the debug overlay over the preview; a failed push
// leaves the preview live. The source is a Y4M file of the quadrant picture made by the ffmpeg CLI.
#include "fixtures/ports.h"
#include "fixtures/servers.h"
#include "fixtures/temp_dir.h"
#include "fixtures/x11_window.h"
#include "fixtures/xvfb.h"

using namespace openlive::test;  // before window_render_checks.h: its player fixture names these unqualified

#include "integration/window_render_checks.h"

#include <openlive/live_pusher.h>

#include <atomic>
#include <filesystem>
#include <fstream>

using namespace openlive::test::window_checks;
using namespace std::chrono_literals;

namespace {

constexpr int kPvX = 40, kPvY = 30, kPvW = 480, kPvH = 400;  // not the picture's aspect: fit shows bars

// A solid PNG (the pause image), `color` in ffmpeg's names.
bool makeSolidPng(const std::string& path, const std::string& color, std::string* why) {
  CommandResult r = runCommand({findTool("ffmpeg"), "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
                                "color=c=" + color + ":s=320x180", "-frames:v", "1", path},
                               30s);
  if (r.exitCode != 0) *why = "ffmpeg: " + r.err;
  return r.exitCode == 0;
}

// Every point of a 8 x 8 grid of the window is `want`.
std::string allPaint(const std::string& display, Paint want) {
  Screenshot shot = grabScreen(display, kPvX, kPvY, kPvW, kPvH);
  if (!shot.ok()) return "x11grab failed";
  for (int gy = 0; gy < 8; ++gy)
    for (int gx = 0; gx < 8; ++gx) {
      const int px = kPvX + (gx * 2 + 1) * kPvW / 16, py = kPvY + (gy * 2 + 1) * kPvH / 16;
      const Paint got = classify(shot.at(px, py));
      if (got != want) return std::string(paintName(got)) + " at " + std::to_string(px) + "," + std::to_string(py);
    }
  return "";
}

}  // namespace

class PusherPreviewXvfb : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string why;
    OPENLIVE_NEED(haveFfmpegCli(&why), why);
    xvfb_ = XvfbServer::start(640, 480, &why);
    OPENLIVE_NEED(xvfb_, why);
    setenv("DISPLAY", xvfb_->display().c_str(), 1);  // for SDL in this process (one test per process)
    setenv("SDL_VIDEODRIVER", "x11", 1);
    y4m_ = (dir_ / "quadrants.y4m").string();
    ASSERT_TRUE(makeQuadrantY4m(y4m_, 8, &why)) << why;
    window_ = TestXWindow::create(xvfb_->display(), kPvX, kPvY, kPvW, kPvH, &why);
    ASSERT_TRUE(window_) << why;
  }
  openlive::PushConfig config() const {
    openlive::PushConfig cfg;
    cfg.video.type = openlive::VideoSourceType::Y4m;
    cfg.video.path = y4m_;
    cfg.video.pacing = openlive::SourcePacingMode::Realtime;
    cfg.audio.type = openlive::AudioSourceType::None;
    cfg.width = 320;
    cfg.height = 180;
    return cfg;
  }
  openlive::VideoOutput appWindow() const {
    openlive::VideoOutput v;
    v.kind = openlive::VideoOutput::Kind::NativeWindow;
    v.nativeWindow = window_->id();
    return v;
  }
  ::testing::AssertionResult shows(bool mirror) {
    return showsView(xvfb_->display(), kPvX, kPvY, kPvW, kPvH, View{false, 0, mirror});
  }

  TempDir dir_{"openlive-preview"};
  std::string y4m_;
  std::unique_ptr<XvfbServer> xvfb_;
  std::unique_ptr<TestXWindow> window_;
};

TEST_F(PusherPreviewXvfb, BeforeStartShowsTheSourceAndStopLeavesTheWindowBlack) {
  openlive::LivePusher pusher(config());
  ASSERT_TRUE(pusher.startPreview(appWindow()));
  EXPECT_TRUE(pusher.isPreviewing());
  EXPECT_TRUE(shows(false));
  pusher.setPreviewMirror(true);
  EXPECT_TRUE(shows(true));
  const auto t0 = std::chrono::steady_clock::now();
  pusher.stopPreview();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 200ms);
  EXPECT_FALSE(pusher.isPreviewing());
  std::string last;
  EXPECT_TRUE(waitUntil([&] { return (last = allPaint(xvfb_->display(), Paint::Black)).empty(); }, 3s, 50ms))
      << last;
}

TEST_F(PusherPreviewXvfb, AWindowThatDoesNotExistIsAResultError) {
  openlive::LivePusher pusher(config());
  openlive::VideoOutput v = appWindow();
  v.nativeWindow = window_->unusedId();
  const openlive::Result r = pusher.startPreview(v);
  EXPECT_FALSE(r);
  EXPECT_EQ(r.event, openlive::EventCode::PUSH_WARNING_BEAUTYSURFACE_VIEW_INIT_FAIL) << r.message;
  EXPECT_FALSE(pusher.isPreviewing());
}

// The preview mirrored, the stream not: the pushed picture read back has white top-left, red top-right.
TEST_F(PusherPreviewXvfb, MirroredPreviewWhileThePushedStreamIsNotAndThePauseCard) {
  std::string why;
  auto server = startNginxRtmp(&why);
  OPENLIVE_NEED(server, why);
  const std::string card = (dir_ / "card.png").string();
  ASSERT_TRUE(makeSolidPng(card, "lime", &why)) << why;
  openlive::PushConfig cfg = config();
  cfg.pauseImagePath = card;
  openlive::LivePusher pusher(cfg);
  openlive::PreviewOptions po;
  po.mirror = true;
  ASSERT_TRUE(pusher.startPreview(appWindow(), po));
  EXPECT_TRUE(shows(true));
  ASSERT_TRUE(pusher.start(server->rtmpUrl("pv")));
  ASSERT_TRUE(server->waitForPublish("pv", 10s)) << server->logTail();
  EXPECT_TRUE(shows(true));  // the push's capture now

  std::string err;
  const std::string px = readBackPicture(server->rtmpUrl("pv"), (dir_ / "frame.rgb").string(), &err);
  ASSERT_FALSE(px.empty()) << err;
  auto at = [&](int x, int y) { return pixelOf64x36(px, x, y); };
  EXPECT_EQ(classify(at(16, 9)), Paint::White) << "the pushed stream must not be mirrored";
  EXPECT_EQ(classify(at(48, 9)), Paint::Red);
  EXPECT_EQ(classify(at(16, 27)), Paint::Green);
  EXPECT_EQ(classify(at(48, 27)), Paint::Blue);

  pusher.pause();
  std::string last;
  EXPECT_TRUE(waitUntil(
      [&] {
        Screenshot s = grabScreen(xvfb_->display(), kPvX, kPvY, kPvW, kPvH);
        // fit: the card fills the middle of the window (the top and bottom bars stay black)
        return s.ok() && classify(s.at(kPvX + kPvW / 4, kPvY + kPvH / 2 - 40)) == Paint::Green &&
               classify(s.at(kPvX + 3 * kPvW / 4, kPvY + kPvH / 2 - 40)) == Paint::Green;
      },
      6s, 50ms))
      << "the pause card never showed in the preview";
  pusher.resume();
  EXPECT_TRUE(shows(true));
  pusher.stop();
  EXPECT_TRUE(pusher.isPreviewing());  // the preview goes on from its own reader
  window_->clear();
  EXPECT_TRUE(shows(true));
  const auto t0 = std::chrono::steady_clock::now();
  pusher.stopPreview();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 200ms);
}

// openlive-push --preview-window-id: the CLI draws the preview into another program's window (this test's).
TEST_F(PusherPreviewXvfb, CliPreviewWindowIdDrawsIntoTheAppWindow) {
  std::string why;
  auto server = startNginxRtmp(&why);
  OPENLIVE_NEED(server, why);
  char id[32];
  std::snprintf(id, sizeof id, "0x%llx", static_cast<unsigned long long>(window_->id()));
  ProcessOptions o;
  o.out = Redirect::null();
  o.err = Redirect::file((dir_ / "push.err").string());
  o.env = {{"DISPLAY", xvfb_->display()}, {"SDL_VIDEODRIVER", "x11"}};
  Process push({samplePath("openlive-push"), server->rtmpUrl("cli"), "--source", "y4m:" + y4m_, "--audio", "none",
                "--width", "320", "--height", "180", "--preview-window-id", id, "--preview-mirror"},
               o);
  EXPECT_TRUE(shows(true));
  EXPECT_TRUE(server->waitForPublish("cli", 10s)) << server->logTail();
  EXPECT_EQ(push.terminate().value_or(-1), 0);
  CommandResult bad = runCommand({samplePath("openlive-push"), server->rtmpUrl("cli"), "--preview-window-id", "0xZZ"},
                                 10s);
  EXPECT_EQ(bad.exitCode, 2) << bad.err;
}

// The app destroys its window while the preview draws into it during a push: 1105, and the push goes on.
TEST_F(PusherPreviewXvfb, AWindowDestroyedWhilePushingIs1105AndThePushGoesOn) {
  std::string why;
  auto server = startNginxRtmp(&why);
  OPENLIVE_NEED(server, why);
  openlive::LivePusher pusher(config());
  std::atomic<bool> lost{false};
  pusher.setEventCallback([&](const openlive::Event& e) {
    if (e.code == openlive::EventCode::PUSH_WARNING_BEAUTYSURFACE_VIEW_INIT_FAIL) lost = true;
  });
  ASSERT_TRUE(pusher.startPreview(appWindow()));
  ASSERT_TRUE(pusher.start(server->rtmpUrl("gone")));
  ASSERT_TRUE(server->waitForPublish("gone", 10s)) << server->logTail();
  EXPECT_TRUE(shows(false));
  window_->destroy();
  EXPECT_TRUE(waitUntil([&] { return lost.load(); }, 5s, 20ms)) << "no 1105 after the window went away";
  EXPECT_TRUE(pusher.isPublished());
  const auto t0 = std::chrono::steady_clock::now();
  pusher.stopPreview();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 200ms);
  EXPECT_TRUE(pusher.isPublished());
  pusher.stop();
}

// The preview's own view, seen on screen: fill and each rotation, and an app's window that is resized while the
// preview draws into it (the picture follows the new size).
TEST_F(PusherPreviewXvfb, FillRotationAndResizeOfTheAppWindow) {
  openlive::LivePusher pusher(config());
  ASSERT_TRUE(pusher.startPreview(appWindow()));
  EXPECT_TRUE(shows(false));
  for (int rotation : {90, 180, 270, 0}) {
    openlive::PreviewOptions po;
    po.renderMode = openlive::RenderMode::Fill;
    po.rotation = rotation;
    pusher.setPreviewOptions(po);
    EXPECT_TRUE(showsView(xvfb_->display(), kPvX, kPvY, kPvW, kPvH, View{true, rotation, false}));
  }
  pusher.setPreviewOptions({});
  window_->resize(320, 240);
  EXPECT_TRUE(showsView(xvfb_->display(), kPvX, kPvY, 320, 240, View{}));
  pusher.stopPreview();
}

// The debug overlay over the preview: "not pushing" before start(), the push's statistics after (the text
// changes), gone again when hidden; the pushed stream never carries it.
TEST_F(PusherPreviewXvfb, DebugOverlayOverThePreview) {
  std::string why;
  auto server = startNginxRtmp(&why);
  OPENLIVE_NEED(server, why);
  openlive::LivePusher pusher(config());
  openlive::PreviewOptions po;
  po.renderMode = openlive::RenderMode::Fill;  // the white quadrant under the box
  ASSERT_TRUE(pusher.startPreview(appWindow(), po));
  EXPECT_TRUE(showsView(xvfb_->display(), kPvX, kPvY, kPvW, kPvH, View{true, 0, false}));
  EXPECT_FALSE(lookAtOverlay(xvfb_->display(), kPvX, kPvY).shown());
  pusher.showDebugView(true);
  ASSERT_TRUE(overlayBecomes(xvfb_->display(), kPvX, kPvY, true));
  const OverlayLook before = lookAtOverlay(xvfb_->display(), kPvX, kPvY);
  ASSERT_TRUE(pusher.start(server->rtmpUrl("dbg")));
  ASSERT_TRUE(server->waitForPublish("dbg", 10s)) << server->logTail();
  EXPECT_TRUE(waitUntil(
      [&] {
        const OverlayLook now = lookAtOverlay(xvfb_->display(), kPvX, kPvY);
        return now.shown() && now.rgb != before.rgb;
      },
      5s, 100ms))
      << "the overlay's text did not change when the push began";
  // The pushed picture, read back by the ffmpeg CLI: its top-left is the white quadrant, no box.
  std::string err;
  const std::string px = readBackPicture(server->rtmpUrl("dbg"), (dir_ / "frame.rgb").string(), &err);
  ASSERT_FALSE(px.empty()) << err;
  EXPECT_EQ(classify(pixelOf64x36(px, 2, 2)), Paint::White)
      << "the pushed stream carries the overlay";
  pusher.showDebugView(false);
  EXPECT_TRUE(overlayBecomes(xvfb_->display(), kPvX, kPvY, false));
  pusher.stop();
  pusher.stopPreview();
}

// A push that fails (nothing listens at its address) gives the video source back to the preview: the preview
// goes on showing the live picture (the moving test pattern), not its last one, until the app stops it.
TEST_F(PusherPreviewXvfb, APushThatFailsLeavesThePreviewLive) {
  openlive::PushConfig cfg = config();
  cfg.video.type = openlive::VideoSourceType::TestPattern;
  cfg.connectRetryCount = 1;
  cfg.connectRetryInterval = 200ms;
  openlive::LivePusher pusher(cfg);
  std::atomic<bool> gaveUp{false};
  pusher.setEventCallback([&](const openlive::Event& e) {
    if (e.code == openlive::EventCode::PUSH_ERR_NET_DISCONNECT) gaveUp = true;
  });
  ASSERT_TRUE(pusher.startPreview(appWindow()));
  auto moving = [&](std::chrono::milliseconds within) {
    const Screenshot first = grabScreen(xvfb_->display(), kPvX, kPvY, kPvW, kPvH);
    return first.ok() && waitUntil(
                             [&] {
                               const Screenshot now = grabScreen(xvfb_->display(), kPvX, kPvY, kPvW, kPvH);
                               return now.ok() && now.rgb != first.rgb;
                             },
                             within, 100ms);
  };
  ASSERT_TRUE(moving(5s)) << "the preview of the test pattern never moved";
  const int closedPort = pickFreeLoopbackPorts(1).at(0);
  ASSERT_TRUE(pusher.start("rtmp://127.0.0.1:" + std::to_string(closedPort) + "/live/nobody"));
  ASSERT_TRUE(waitUntil([&] { return gaveUp.load(); }, 15s, 20ms)) << "the push did not give up";
  EXPECT_EQ(pusher.state(), openlive::PushState::Failed);
  EXPECT_TRUE(moving(3s)) << "the preview froze when the push failed";
  pusher.stop();
  EXPECT_TRUE(moving(3s)) << "the preview froze after stop()";
  pusher.stopPreview();
}
