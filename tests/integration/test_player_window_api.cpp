// The app's-window API and CLI under Xvfb, checked on screen: openlive-play --window-id draws into a window
// this test process created and follows it when the test resizes it (XResizeWindow); bad or missing window ids
// give a clear error and an exit code, never a crash; updateRenderWindow / closeRenderWindow while playing,
// set before start, and a window the app destroys while the SDK draws into it (BadWindow must not end the
// process). Shared parts: window_render_checks.h.
#include "integration/window_render_checks.h"

#include <atomic>
#include <filesystem>
#include <mutex>

using namespace openlive::test;
using namespace openlive::test::window_checks;
using namespace std::chrono_literals;

namespace {
std::string hexId(uint64_t id) {
  char b[32];
  std::snprintf(b, sizeof b, "0x%llx", static_cast<unsigned long long>(id));
  return b;
}

// Counts the player's 2110 events and decoded frames (callback thread -> test thread).
struct WindowEvents {
  std::atomic<int> windowFails{0};
  std::atomic<int> frames{0};
  std::mutex mu;
  std::string lastWhy;
  void attach(openlive::LivePlayer& p) {
    p.setEventCallback([this](const openlive::Event& ev) {
      if (ev.code != openlive::EventCode::PLAY_WARNING_RENDER_WINDOW_FAIL) return;
      std::lock_guard lk(mu);
      lastWhy = ev.get(openlive::evt::kDescription);
      ++windowFails;
    });
    p.setVideoFrameCallback([this](const openlive::VideoFrame&) { ++frames; });
  }
  std::string why() {
    std::lock_guard lk(mu);
    return lastWhy;
  }
};
}  // namespace

TEST_F(PlayerNativeWindowXvfb, CliWindowIdFollowsResize) {
  const std::string play = samplePath("openlive-play");
  OPENLIVE_NEED(!play.empty() && std::filesystem::exists(play), "openlive-play not built");
  auto win = window(0, 0, 320, 240);
  ASSERT_TRUE(win);
  ProcessOptions po;
  po.env = {{"DISPLAY", xvfb_->display()}, {"SDL_VIDEODRIVER", "x11"}};
  po.out = Redirect::null();
  po.err = Redirect::null();
  Process player({play, server_->rtmpUrl("q"), "--window-id", hexId(win->id()), "--audio", "null", "--render",
                  "fit", "--rotation", "180", "--cache-mode", "fast", "--duration", "15"},
                 po);
  EXPECT_TRUE(showsView(xvfb_->display(), 0, 0, 320, 240, View{false, 180}));
  win->resize(600, 400);  // as the app would: the picture must follow the new size
  EXPECT_TRUE(showsView(xvfb_->display(), 0, 0, 600, 400, View{false, 180}));
  win->resize(200, 400);  // portrait: the bars move from the sides to top and bottom
  EXPECT_TRUE(showsView(xvfb_->display(), 0, 0, 200, 400, View{false, 180}));
  EXPECT_TRUE(player.running()) << "openlive-play ended early";
  player.terminate(2000ms);
}

TEST_F(PlayerNativeWindowXvfb, CliRefusesBadWindowIds) {
  const std::string play = samplePath("openlive-play");
  OPENLIVE_NEED(!play.empty() && std::filesystem::exists(play), "openlive-play not built");
  ProcessOptions po;
  po.env = {{"DISPLAY", xvfb_->display()}, {"SDL_VIDEODRIVER", "x11"}};
  for (const char* bad : {"abc", "0x", "0", "-5", "0x20000000", "12abc"}) {
    auto r = runCommand({play, server_->rtmpUrl("q"), "--window-id", bad, "--duration", "5"}, 10s, po);
    EXPECT_EQ(r.exitCode, 2) << bad << ": " << r.err;
    EXPECT_NE(r.err.find("--window-id"), std::string::npos) << bad << ": " << r.err;
  }
  auto both = runCommand({play, server_->rtmpUrl("q"), "--window-id", "0x400001", "--video", "null"}, 10s, po);
  EXPECT_EQ(both.exitCode, 2) << both.err;
  // A well-formed id that is no window: the SDK reports 2110, the CLI says so and fails; X's BadWindow does not
  // end the process (a crash would be 128 + N).
  auto win = window(0, 0, 100, 100);
  ASSERT_TRUE(win);
  auto r = runCommand({play, server_->rtmpUrl("q"), "--window-id", hexId(win->unusedId()), "--audio", "null",
                       "--duration", "8"},
                      15s, po);
  EXPECT_EQ(r.exitCode, 1) << r.err;
  EXPECT_NE(r.err.find("does not exist"), std::string::npos) << r.err;
}

TEST_F(PlayerNativeWindowXvfb, UpdateAndCloseRenderWindowWhilePlaying) {
  auto w1 = window(0, 0, 300, 200), w2 = window(320, 0, 300, 200);
  ASSERT_TRUE(w1 && w2);
  openlive::PlayConfig cfg = config(0);
  cfg.video.kind = openlive::VideoOutput::Kind::None;
  openlive::LivePlayer player(cfg);
  WindowEvents events;
  events.attach(player);
  player.updateRenderWindow(w1->id());  // before start: kept for the start
  EXPECT_EQ(player.config().video.kind, openlive::VideoOutput::Kind::NativeWindow);
  EXPECT_EQ(player.config().video.nativeWindow, w1->id());
  ASSERT_TRUE(player.start(server_->rtmpUrl("q")));
  const View fit{};
  EXPECT_TRUE(showsView(xvfb_->display(), 0, 0, 300, 200, fit));

  player.updateRenderWindow(w2->id());  // rebind while playing
  EXPECT_TRUE(showsView(xvfb_->display(), 320, 0, 300, 200, fit));
  player.closeRenderWindow();           // detach: frames go on to the callback, nothing is drawn
  EXPECT_EQ(player.config().video.kind, openlive::VideoOutput::Kind::None);
  // closeRenderWindow() posts the detach to the render thread, which draws a picture it was already presenting:
  // the window is cleared once the render thread has delivered 20 more pictures (it delivers each one after
  // drawing it, and applies the detach before the next), then nothing may draw into it for 20 more.
  const int closedAt = events.frames;
  EXPECT_TRUE(waitUntil([&] { return events.frames >= closedAt + 20; }, 5s)) << "frames stopped after close";
  w2->clear();
  const int before = events.frames;
  EXPECT_TRUE(waitUntil([&] { return events.frames >= before + 20; }, 5s)) << "frames stopped after close";
  EXPECT_TRUE(compareView(xvfb_->display(), 320, 0, 300, 200, View{false, 0}) != "")  // not drawn any more
      << "the window was drawn into after closeRenderWindow()";

  player.updateRenderWindow(w2->id());
  EXPECT_TRUE(showsView(xvfb_->display(), 320, 0, 300, 200, fit));
  w2->destroy();  // the app closes its window while the SDK draws into it
  EXPECT_TRUE(waitUntil([&] { return events.windowFails >= 1; }, 5s)) << "no 2110 for a destroyed window";
  player.updateRenderWindow(w2->unusedId());  // no such window
  EXPECT_TRUE(waitUntil([&] { return events.windowFails >= 2; }, 5s)) << "no 2110 for a missing window";
  EXPECT_NE(events.why().find("does not exist"), std::string::npos) << events.why();
  const int after = events.frames;
  EXPECT_TRUE(waitUntil([&] { return events.frames >= after + 20; }, 5s)) << "playback stopped";
  EXPECT_EQ(player.state(), openlive::PlayState::Playing);
  player.stop();
}
