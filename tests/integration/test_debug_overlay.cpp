// The debug overlay (issue 15 item 4, TX showDebugView) under Xvfb, checked on screen: the translucent box with
// its text appears over the picture and goes again, by the API in an app's window and by the 'd' key (pressed
// with XTEST, as a user would) in the SDK's own window, and its text changes as the statistics come in. What
// the text says is checked in tests/unit/test_debug_info.cpp. Shared parts: window_render_checks.h.
#include "integration/window_render_checks.h"

using namespace openlive::test;
using namespace openlive::test::window_checks;
using namespace std::chrono_literals;

// By the API, into the app's window: on before start() (the box says there are no statistics yet, then the
// first NET_STATUS changes its text), off while playing; the picture around the box is untouched.
TEST_F(PlayerNativeWindowXvfb, DebugOverlayByTheApiInTheAppWindow) {
  auto w = window(0, 0, 640, 360);
  ASSERT_TRUE(w);
  openlive::LivePlayer player(config(w->id()));
  player.showDebugView(true);
  ASSERT_TRUE(player.start(server_->rtmpUrl("q")));
  ASSERT_TRUE(overlayBecomes(xvfb_->display(), 0, 0, true));
  const OverlayLook first = lookAtOverlay(xvfb_->display(), 0, 0);
  EXPECT_TRUE(waitUntil(
      [&] {
        const OverlayLook now = lookAtOverlay(xvfb_->display(), 0, 0);
        return now.shown() && now.rgb != first.rgb;
      },
      5s, 100ms))
      << "the overlay's text never changed (it is redrawn with every NET_STATUS)";
  // The quadrants outside the box are still where they belong (the bottom half of the window).
  EXPECT_EQ(classify(grabScreen(xvfb_->display(), 160, 270, 1, 1).at(160, 270)), Paint::Green);
  EXPECT_EQ(classify(grabScreen(xvfb_->display(), 480, 270, 1, 1).at(480, 270)), Paint::Blue);
  player.showDebugView(false);
  EXPECT_TRUE(overlayBecomes(xvfb_->display(), 0, 0, false));
  EXPECT_TRUE(showsView(xvfb_->display(), 0, 0, 640, 360, View{}));  // the whole picture again
  player.stop();
}

// A screen that holds the SDK's 960x540 window whole (SDL centres it).
class PlayerSdkWindowXvfb : public PlayerNativeWindowXvfb {
 protected:
  PlayerSdkWindowXvfb() {
    screenW_ = 1280;
    screenH_ = 720;
  }
};

// By the key, in the SDK's own window (SDL): 'd' shows it, 'd' again hides it.
TEST_F(PlayerSdkWindowXvfb, DebugOverlayByTheDKeyInTheSdkWindow) {
  openlive::PlayConfig cfg = config(0);
  cfg.video.kind = openlive::VideoOutput::Kind::Window;
  cfg.windowTitle = "OpenLive overlay key test";
  openlive::LivePlayer player(cfg);
  ASSERT_TRUE(player.start(server_->rtmpUrl("q")));
  std::optional<WindowGeometry> g;
  ASSERT_TRUE(waitUntil([&] { return (g = findTopLevelWindow(xvfb_->display(), cfg.windowTitle)).has_value(); },
                        5s, 20ms))
      << "the SDK's window never appeared";
  ASSERT_GE(g->x, 0);
  ASSERT_GE(g->y, 0);
  // Off by default: the white quadrant at the top-left, no box.
  EXPECT_TRUE(waitUntil(
      [&] {
        return classify(grabScreen(xvfb_->display(), g->x + 40, g->y + 40, 1, 1).at(g->x + 40, g->y + 40)) ==
               Paint::White;
      },
      6s, 50ms))
      << "the picture never showed in the SDK's window";
  EXPECT_FALSE(lookAtOverlay(xvfb_->display(), g->x, g->y).shown());
  std::string why;
  ASSERT_TRUE(pressKeyIn(xvfb_->display(), g->id, g->x + g->width / 2, g->y + g->height / 2, "d", &why)) << why;
  EXPECT_TRUE(overlayBecomes(xvfb_->display(), g->x, g->y, true));
  ASSERT_TRUE(pressKeyIn(xvfb_->display(), g->id, g->x + g->width / 2, g->y + g->height / 2, "d", &why)) << why;
  EXPECT_TRUE(overlayBecomes(xvfb_->display(), g->x, g->y, false));
  EXPECT_EQ(player.state(), openlive::PlayState::Playing);  // the key did nothing else
  player.stop();
}

// Two players' SDK windows in one process (two render threads sharing SDL's one event queue): a key pressed in
// one window acts on that window only, however the threads happen to pump the queue.
TEST_F(PlayerSdkWindowXvfb, EachSdkWindowGetsItsOwnKeys) {
  openlive::PlayConfig a = config(0), b = config(0);
  a.video.kind = b.video.kind = openlive::VideoOutput::Kind::Window;
  a.windowTitle = "OpenLive window A";
  b.windowTitle = "OpenLive window B";
  openlive::LivePlayer pa(a), pb(b);
  ASSERT_TRUE(pa.start(server_->rtmpUrl("q")));
  ASSERT_TRUE(pb.start(server_->rtmpUrl("q")));
  std::optional<WindowGeometry> ga, gb;
  ASSERT_TRUE(waitUntil(
      [&] {
        ga = findTopLevelWindow(xvfb_->display(), a.windowTitle);
        gb = findTopLevelWindow(xvfb_->display(), b.windowTitle);
        return ga && gb;
      },
      5s, 20ms))
      << "the two windows never appeared";
  // A at the top-left, B lower right and on top: each has a part of its own to press keys in, and both
  // overlays' corners are visible.
  ASSERT_TRUE(moveAndRaiseWindow(xvfb_->display(), ga->id, 0, 0));
  ASSERT_TRUE(moveAndRaiseWindow(xvfb_->display(), gb->id, 320, 180));
  for (const auto& at : {std::pair{40, 40}, std::pair{360, 220}}) {
    const int x = at.first, y = at.second;  // clang 14: no lambda capture of structured bindings
    EXPECT_TRUE(waitUntil([&] { return classify(grabScreen(xvfb_->display(), x, y, 1, 1).at(x, y)) == Paint::White; },
                          6s, 50ms))
        << "no picture at " << x << "," << y;
  }
  std::string why;
  auto press = [&](const WindowGeometry& g, int x, int y) {
    ASSERT_TRUE(pressKeyIn(xvfb_->display(), g.id, x, y, "d", &why)) << why;
  };
  bool onA = false, onB = false;
  for (int round = 0; round < 3; ++round) {
    press(*ga, 100, 100);  // only A is there
    onA = !onA;
    EXPECT_TRUE(overlayBecomes(xvfb_->display(), 0, 0, onA)) << "window A, round " << round;
    EXPECT_EQ(lookAtOverlay(xvfb_->display(), 320, 180).shown(), onB) << "window B changed with A's key";
    press(*gb, 1200, 650);  // only B is there
    onB = !onB;
    EXPECT_TRUE(overlayBecomes(xvfb_->display(), 320, 180, onB)) << "window B, round " << round;
    EXPECT_EQ(lookAtOverlay(xvfb_->display(), 0, 0).shown(), onA) << "window A changed with B's key";
  }
  pa.stop();
  pb.stop();
}
