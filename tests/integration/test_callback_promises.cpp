// Callbacks keep their promises: decoded frames for a slow app callback wait in their own bounded lane
// (drop-oldest), so the final event still arrives and memory stays bounded.
#include "fixtures/media_probe.h"
#include "fixtures/require.h"
#include "fixtures/servers.h"
#include "slow_app.h"

#include <gtest/gtest.h>

using namespace openlive;
using namespace openlive::test;
using namespace std::chrono_literals;

TEST(CallbackPromises, SlowVideoCallbackStillGetsTheFinalErrorWithBoundedMemory) {
  std::string why;
  OPENLIVE_NEED(haveFfmpegCli(&why), why);
  auto server = startNginxRtmp(&why);
  OPENLIVE_NEED(server, why);
  // 720p30: 1.4 MB a decoded picture. A callback of 200 ms takes 5 of every 30: without a bound the backlog grows
  // by ~35 MB a second of playback.
  auto push = startFfmpegTestPush(server->rtmpUrl("slow"), 60, "1280x720", 30);
  PlayConfig cfg;
  cfg.video = {VideoOutput::Kind::None, ""};
  cfg.audio = {AudioOutput::Kind::None, ""};
  cfg.connectRetryCount = 2;
  cfg.connectRetryInterval = std::chrono::milliseconds(500);
  const SlowAppRun run = runSlowVideoApp(*server, server->rtmpUrl("slow"), cfg, 200ms, 8s, 30s);
  ASSERT_TRUE(run.began) << run.events;
  EXPECT_TRUE(run.finalEvent) << "-2301 must arrive although the video callback is slow: " << run.events;
  EXPECT_GT(run.videoCallbacks, 10);
  // 16 frames wait at most (~22 MB at 720p); allow for the decoder's and the jitter buffer's own memory.
  EXPECT_LT(run.rssPeakMiB - run.rssAtBeginMiB, 120)
      << "at 2004 " << run.rssAtBeginMiB << " MiB, before the kill " << run.rssBeforeKillMiB << " MiB, peak "
      << run.rssPeakMiB << " MiB";
  RecordProperty("rss_at_begin_mib", static_cast<int>(run.rssAtBeginMiB));
  RecordProperty("rss_before_kill_mib", static_cast<int>(run.rssBeforeKillMiB));
  RecordProperty("rss_peak_mib", static_cast<int>(run.rssPeakMiB));
  RecordProperty("video_callbacks", run.videoCallbacks);
}
