// The SDL2 window renders under Xvfb: openlive-play --video window on a private X display, screenshots with
// ffmpeg's x11grab until the picture is the test pattern (bright, many levels), not black.
#include "fixtures/media_probe.h"
#include "fixtures/process.h"
#include "fixtures/require.h"
#include "fixtures/servers.h"
#include "fixtures/wait.h"
#include "fixtures/xvfb.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

using namespace openlive::test;
using namespace std::chrono_literals;

namespace {
struct Stats {
  double mean = 0, stddev = 0;
  bool ok = false;
};
Stats grabGrayStats(const std::string& display) {
  Screenshot shot = grabScreen(display, 0, 0, 640, 480);
  Stats s;
  if (!shot.ok()) return s;
  double sum = 0, sq = 0;
  const double n = double(shot.width) * shot.height;
  for (int y = 0; y < shot.height; ++y)
    for (int x = 0; x < shot.width; ++x) {
      const Rgb c = shot.at(x, y);
      const double v = 0.299 * c.r + 0.587 * c.g + 0.114 * c.b;
      sum += v, sq += v * v;
    }
  s.mean = sum / n;
  s.stddev = std::sqrt(std::max(0.0, sq / n - s.mean * s.mean));
  s.ok = true;
  return s;
}
}  // namespace

TEST(PlayerWindowXvfb, RendersTestPattern) {
  std::string why;
  OPENLIVE_NEED(haveFfmpegCli(&why), why);
  std::string play = samplePath("openlive-play");
  OPENLIVE_NEED(!play.empty() && std::filesystem::exists(play), "openlive-play not built");
  auto server = startNginxRtmp(&why);
  OPENLIVE_NEED(server, why);
  auto xvfb = XvfbServer::start(640, 480, &why);
  OPENLIVE_NEED(xvfb, why);
  const std::string display = xvfb->display();

  auto push = startFfmpegTestPush(server->rtmpUrl("w"), 15, "640x360", 30);
  ASSERT_TRUE(server->waitForPublish("w", 10s)) << server->logTail();
  ProcessOptions po;
  po.env = {{"DISPLAY", display}, {"SDL_AUDIODRIVER", "dummy"}};
  po.out = Redirect::null();
  po.err = Redirect::null();
  Process player({play, server->rtmpUrl("w"), "--video", "window", "--audio", "null", "--render", "fill",
                  "--duration", "12", "--cache-mode", "fast"},
                 po);
  Stats best;
  waitUntil(
      [&] {
        Stats s = grabGrayStats(display);
        if (s.ok && s.stddev > best.stddev) best = s;
        return best.stddev > 40 && best.mean > 40;
      },
      12s, 200ms);
  EXPECT_TRUE(best.ok) << "x11grab failed";
  EXPECT_GT(best.mean, 40) << "screen looks black";
  EXPECT_GT(best.stddev, 40) << "screen is flat, not the test pattern";
  player.terminate(2000ms);
}
