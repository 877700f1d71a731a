// Issue 10: a resolution change by republishing. ffmpeg publishes 640x360 for 6 s, stops, and a second ffmpeg
// publishes 960x540 to the same stream name on nginx-rtmp; LivePlayer keeps playing through it: 2009 with the new
// size, then pictures of the new size at the rate the wire carried them (the source's 30/s, unless the second
// ffmpeg, encoding live on the same two cores, fell behind: the reference client sees that).
#include <gtest/gtest.h>

#include <algorithm>
#include <iostream>

#include "fixtures/media_probe.h"
#include "fixtures/servers.h"
#include "interop/pipe_readers.h"
#include "interop/play_runs.h"
#include "interop/publishers.h"
#include "interop/scenario.h"

using namespace openlive::test;
using namespace std::chrono_literals;

namespace {
// Video frames per second that reached the reference client over `spanMs` from the second publisher's first
// frame (the first one to arrive after it started): the same span our player is judged over, from its own first
// picture of the new size.
double wireVideoRate(const std::vector<FlvTag>& tags, int64_t secondStartMs, int64_t spanMs) {
  int64_t from = -1;
  size_t n = 0;
  for (const FlvTag& t : tags) {
    if (t.type != 9 || t.avcPacketType != 1 || t.arrivalMs < secondStartMs) continue;
    if (from < 0) from = t.arrivalMs;
    if (t.arrivalMs > from && t.arrivalMs <= from + spanMs) ++n;
  }
  return from < 0 || spanMs <= 0 ? 0 : double(n) * 1000.0 / double(spanMs);
}
}  // namespace

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
  const int64_t secondStartMs = wallMs();
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
  const double wireFps = after.pictures.empty() ? 0 : wireVideoRate(tap->flv().tags(), secondStartMs,
                                                                    r.endMs - after.pictures.front());
  const int change = r.indexOf(2009);
  std::cout << "[interop] ffmpeg republish 640x360 -> 960x540 | LivePlayer rtmp nginx: " << r.pictures.size()
            << " pictures, " << after.pictures.size() << " at 960x540, " << fps << "/s after the first of them "
            << "(the reference client: " << wireFps << "/s), longest gap "
            << longestRenderGapMs(after) << " ms; events " << r.eventsText() << std::endl;
  ASSERT_GE(change, 0) << r.eventsText();
  EXPECT_EQ(r.events[size_t(change)].param1, "960") << r.eventsText();
  EXPECT_EQ(r.events[size_t(change)].param2, "540") << r.eventsText();
  ASSERT_GE(after.pictures.size(), 2u) << r.eventsText();
  EXPECT_GE(double(r.endMs - after.pictures.front()), 3000) << "new size shown only at the very end";
  // No slower than what arrived (at most the source's 30/s) and no faster than the source.
  EXPECT_GE(fps, std::min(30.0, wireFps) - 3) << "the wire: " << wireFps << "/s; " << r.eventsText();
  EXPECT_LE(fps, 33) << r.eventsText();
  for (const auto& e : r.events) EXPECT_GE(e.code, 0) << r.eventsText();
}
