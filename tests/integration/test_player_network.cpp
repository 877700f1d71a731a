// The player on a bad link (tests/faults FaultProxy between nginx-rtmp and the player): a stall drains the
// buffer (2007 LOADING, 2105 render gap) and playback resumes (2004 again); a long stall then a burst is caught
// up by jumping to the newest IDR (drops counted), back inside max-cache.
#include "faults/fault_proxy.h"
#include "fixtures/media_probe.h"
#include "fixtures/require.h"
#include "fixtures/servers.h"
#include "fixtures/timing.h"
#include "integration/proxy_play.h"
#include "integration/test_player_util.h"

#include <openlive/live_player.h>

#include <gtest/gtest.h>

#include <thread>

using namespace openlive;
using namespace openlive::test;
using namespace std::chrono_literals;

TEST(PlayerNetwork, StallGivesLoadingAndRenderGapThenResumes) {
  std::string why;
  OPENLIVE_NEED(haveFfmpegCli(&why), why);
  auto server = startNginxRtmp(&why);
  OPENLIVE_NEED(server, why);
  FaultProxy proxy("127.0.0.1", server->rtmpPort());
  auto push = startFfmpegTestPush(server->rtmpUrl("st"), 25, "320x240", 30);
  ASSERT_TRUE(server->waitForPublish("st", 10s)) << server->logTail();
  // Declared before the player: its callbacks use it until the player is destroyed.
  EventLog log;
  LivePlayer player(headlessPlay(CacheMode::MiniProgram));
  log.attach(player);
  ASSERT_TRUE(player.start(viaProxy(proxy, "st")));
  ASSERT_TRUE(log.waitFor(2004, 10s)) << log.dump();
  std::this_thread::sleep_for(2s);  // scenario: 2 s of clean playback (a full buffer), then the stall
  proxy.stall(2000ms, Direction::Downstream);
  EXPECT_TRUE(log.waitFor(2007, 4s)) << log.dump();
  EXPECT_TRUE(log.waitFor(2004, 8s, 2)) << log.dump();  // playback resumed
  EXPECT_GE(log.indexOf(2105), 0) << log.dump();
  EXPECT_LT(log.indexOf(2007), log.indexOf(2105)) << log.dump();
  // The held-back data arrives late (in a burst, or - nginx-rtmp drops for slow clients - after a gap): 2104.
  EXPECT_TRUE(log.waitFor(2104, 6s)) << "irregular arrival not reported: " << log.dump();
  // A net status after the resume counts the stall.
  EXPECT_TRUE(log.waitForStatus(
      [](const NetStatus& s) {
        return s.number(net::kStallCount).value_or(0) >= 1 && s.number(net::kStallMs).value_or(0) >= 500;
      },
      3s))
      << "no net status with STALL_COUNT >= 1 and STALL_MS >= 500; last: " << log.lastStatus();
  EXPECT_EQ(log.indexOf(-2301), -1);
  player.stop();
}

TEST(PlayerNetwork, BurstAfterLongStallJumpsToNewestIdr) {
  std::string why;
  OPENLIVE_NEED(haveFfmpegCli(&why), why);
  auto server = startNginxRtmp(&why);
  OPENLIVE_NEED(server, why);
  FaultProxy proxy("127.0.0.1", server->rtmpPort());
  auto push = startFfmpegTestPush(server->rtmpUrl("jb"), 25, "320x240", 30);
  ASSERT_TRUE(server->waitForPublish("jb", 10s)) << server->logTail();
  // Declared before the player: its callbacks use it until the player is destroyed.
  EventLog log;
  LivePlayer player(headlessPlay(CacheMode::Fast));  // 1 / 1 s: a 4 s burst is beyond 2x max
  log.attach(player);
  ASSERT_TRUE(player.start(viaProxy(proxy, "jb")));
  ASSERT_TRUE(log.waitFor(2004, 10s)) << log.dump();
  std::this_thread::sleep_for(2s);  // scenario: 2 s of clean playback (a full buffer), then the stall
  proxy.stall(4000ms, Direction::Downstream);  // below the 5 s play-read timeout: no reconnect
  // The burst after the stall is caught up by a jump to the newest IDR (drops counted), back inside max-cache,
  // within 3.5 s of the stall's end.
  EXPECT_TRUE(log.waitForStatus(
      [](const NetStatus& s) {
        return s.number(net::kVideoDrop).value_or(0) > 30 && s.number(net::kAudioCache).value_or(1e9) <= 1500;
      },
      4000ms + scaled(3500ms)))
      << "no jump to the newest IDR back inside max-cache; last: " << log.lastStatus();
  EXPECT_EQ(log.indexOf(2103), -1) << log.dump();
  player.stop();
}
