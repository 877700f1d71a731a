// Issue 10: a resolution change by republishing. ffmpeg publishes 640x360 for 6 s, stops, and a second ffmpeg
// publishes 960x540 to the same stream name on nginx-rtmp; LivePlayer keeps playing through it: 2009 with the new
// size, then pictures of the new size at the source rate.
#include <gtest/gtest.h>

#include <iostream>

#include "fixtures/media_probe.h"
#include "fixtures/servers.h"
#include "interop/play_runs.h"
#include "interop/publishers.h"
#include "interop/scenario.h"

using namespace openlive::test;
using namespace std::chrono_literals;

TEST(FfmpegPublisher, ResolutionChangeByRepublish) {
  std::string why;
  OPENLIVE_NEED(haveFfmpegCli(&why), why);
  auto nginx = startNginxRtmp(&why);
  OPENLIVE_NEED(nginx, "nginx-rtmp: " + why);
  const std::string url = nginx->rtmpUrl("republish");
  auto tap = FlvTap::rtmp(url);
  ApiPlay player("LivePlayer rtmp nginx");
  ASSERT_TRUE(player.start(url).ok());
  ASSERT_TRUE(tap->waitUntilPlaying(10s));
  ASSERT_TRUE(player.waitForEvent(2001, 10s));

  ProcessOptions po;
  po.out = Redirect::null();
  po.err = Redirect::null();
  FfmpegPublish p;
  p.seconds = 6;
  p.videoCodecArgs = {"-preset", "veryfast", "-g", "30"};
  {
    Process first(ffmpegPublishArgv(p, {url}), po);
    ASSERT_EQ(first.wait(30s).value_or(-1), 0) << first.commandLine();
  }
  p.size = "960x540";
  p.seconds = 7;
  Process second(ffmpegPublishArgv(p, {url}), po);
  ASSERT_EQ(second.wait(30s).value_or(-1), 0) << second.commandLine();
  PlayRecord r = player.stop();
  tap->stop();

  // The pictures of the new size, from the first one to the stop.
  PlayRecord after = r;
  after.pictures.clear();
  for (size_t i = 0; i < r.pictures.size(); ++i)
    if (r.pictureWidths[i] == 960) after.pictures.push_back(r.pictures[i]);
  const double fps = picturesPerSecondAfterFirst(after);
  const int change = r.indexOf(2009);
  std::cout << "[interop] ffmpeg republish 640x360 -> 960x540 | LivePlayer rtmp nginx: " << r.pictures.size()
            << " pictures, " << after.pictures.size() << " at 960x540, " << fps << "/s after the first of them, "
            << "longest gap " << longestRenderGapMs(after) << " ms; events " << r.eventsText() << std::endl;
  ASSERT_GE(change, 0) << r.eventsText();
  EXPECT_EQ(r.events[size_t(change)].param1, "960") << r.eventsText();
  EXPECT_EQ(r.events[size_t(change)].param2, "540") << r.eventsText();
  ASSERT_GE(after.pictures.size(), 2u) << r.eventsText();
  EXPECT_GE(double(r.endMs - after.pictures.front()), 3000) << "new size shown only at the very end";
  EXPECT_NEAR(fps, 30, 3) << r.eventsText();
  for (const auto& e : r.events) EXPECT_GE(e.code, 0) << r.eventsText();
}
