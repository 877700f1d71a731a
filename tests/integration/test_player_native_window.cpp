// Render checks that see pixels (issue 15): the player draws into a window the test process creates itself
// (an app's own X11 window) on a private Xvfb; x11grab screenshots are compared, point by point, with where each
// quadrant of the test picture must land for fit (black bars) and fill (none), each rotation, and mirror.
// Shared parts: window_render_checks.h.
#include "integration/window_render_checks.h"

using namespace openlive::test;
using namespace std::chrono_literals;

void PlayerNativeWindowXvfb::checkViews(bool fill) {
  constexpr int kX = 40, kY = 30, kW = 480, kH = 400;  // not the picture's aspect: fit bars, fill crops
  auto win = window(kX, kY, kW, kH);
  ASSERT_TRUE(win);
  openlive::LivePlayer player(config(win->id()));
  player.setRenderMode(fill ? openlive::RenderMode::Fill : openlive::RenderMode::Fit);
  ASSERT_TRUE(player.start(server_->rtmpUrl("q")));
  for (View v : {View{fill, 0}, View{fill, 90}, View{fill, 180}, View{fill, 270}, View{fill, 0, true},
                 View{fill, 90, true}}) {
    player.setRenderRotation(v.rotation);
    player.setMirror(v.mirror);
    EXPECT_TRUE(showsView(xvfb_->display(), kX, kY, kW, kH, v));
  }
  player.stop();
}

TEST_F(PlayerNativeWindowXvfb, FitEachRotationAndMirror) { checkViews(false); }
TEST_F(PlayerNativeWindowXvfb, FillEachRotationAndMirror) { checkViews(true); }
