// The SDL2 window renders under Xvfb: openlive-play --video window on a private X display, screenshots with
// ffmpeg's x11grab until the picture is the test pattern (bright, many levels), not black.
#include "fixtures/media_probe.h"
#include "fixtures/process.h"
#include "fixtures/require.h"
#include "fixtures/servers.h"
#include "fixtures/wait.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <thread>

using namespace openlive::test;
using namespace std::chrono_literals;

namespace {
struct Stats {
  double mean = 0, stddev = 0;
  bool ok = false;
};
Stats grabScreen(const std::string& display) {
  auto r = runCommand({findTool("ffmpeg"), "-hide_banner", "-loglevel", "error", "-f", "x11grab", "-video_size",
                       "640x480", "-i", display, "-frames:v", "1", "-pix_fmt", "gray", "-f", "rawvideo", "-"},
                      std::chrono::seconds(10));
  Stats s;
  if (r.exitCode != 0 || r.out.size() < 640 * 480) return s;
  double sum = 0, sq = 0;
  for (unsigned char c : r.out) sum += c, sq += double(c) * c;
  double n = double(r.out.size());
  s.mean = sum / n;
  s.stddev = std::sqrt(std::max(0.0, sq / n - s.mean * s.mean));
  s.ok = true;
  return s;
}
}  // namespace

TEST(PlayerWindowXvfb, RendersTestPattern) {
  std::string why;
  OPENLIVE_NEED(!findTool("Xvfb").empty(), "Xvfb is not installed");
  OPENLIVE_NEED(haveFfmpegCli(&why), why);
  std::string play = samplePath("openlive-play");
  OPENLIVE_NEED(!play.empty() && std::filesystem::exists(play), "openlive-play not built");
  auto server = startNginxRtmp(&why);
  OPENLIVE_NEED(server, why);

  int dpy = 0;
  for (int n = 91; n < 140; ++n)
    if (!std::filesystem::exists("/tmp/.X11-unix/X" + std::to_string(n)) &&
        !std::filesystem::exists("/tmp/.X" + std::to_string(n) + "-lock")) {
      dpy = n;
      break;
    }
  ASSERT_NE(dpy, 0) << "no free X display number";
  std::string display = ":" + std::to_string(dpy);
  ProcessOptions xo;
  xo.out = Redirect::null();
  xo.err = Redirect::null();
  Process xvfb({findTool("Xvfb"), display, "-screen", "0", "640x480x24", "-nolisten", "tcp"}, xo);
  waitUntil([&] { return std::filesystem::exists("/tmp/.X11-unix/X" + std::to_string(dpy)); }, 10s);
  OPENLIVE_NEED(xvfb.running(), "Xvfb did not start on " + display);

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
        Stats s = grabScreen(display);
        if (s.ok && s.stddev > best.stddev) best = s;
        return best.stddev > 40 && best.mean > 40;
      },
      12s, 200ms);
  EXPECT_TRUE(best.ok) << "x11grab failed";
  EXPECT_GT(best.mean, 40) << "screen looks black";
  EXPECT_GT(best.stddev, 40) << "screen is flat, not the test pattern";
  player.terminate(2000ms);
}
