// The pusher's adaptive-bitrate state machine, driven with synthetic queue levels, throughput and time.
#include <gtest/gtest.h>

#include "pusher/bitrate_controller.h"

#include <vector>

using openlive::detail::BitrateController;
using openlive::detail::BitrateControllerConfig;

namespace {
BitrateControllerConfig rtc() {
  BitrateControllerConfig c;
  c.minKbps = 150;
  c.maxKbps = 1200;
  c.startKbps = 1200;
  c.stepUpKbps = 140;
  return c;
}
}  // namespace

TEST(BitrateController, StartsAtTheClampedStartBitrate) {
  auto c = rtc();
  c.startKbps = 5000;
  EXPECT_EQ(BitrateController(c).kbps(), 1200);
  c.startKbps = 10;
  EXPECT_EQ(BitrateController(c).kbps(), 150);
}

TEST(BitrateController, CutsByQueueThresholdWithHoldOffs) {
  BitrateController bc(rtc());
  auto d = bc.update(0, 250, -1);  // >= 200 ms: -10 %
  EXPECT_TRUE(d.bitrateChanged);
  EXPECT_EQ(d.kbps, 1080);
  d = bc.update(200, 250, -1);  // inside the 400 ms hold-off
  EXPECT_FALSE(d.bitrateChanged);
  EXPECT_EQ(bc.kbps(), 1080);
  d = bc.update(400, 450, -1);  // >= 400 ms: -20 %
  EXPECT_EQ(d.kbps, 864);
  d = bc.update(900, 800, -1);  // still inside the 600 ms hold-off
  EXPECT_FALSE(d.bitrateChanged);
  d = bc.update(1000, 800, -1);  // >= 700 ms: -30 %
  EXPECT_EQ(d.kbps, 604);
  d = bc.update(1900, 800, -1);  // 1 s hold-off
  EXPECT_FALSE(d.bitrateChanged);
  d = bc.update(2000, 800, -1);
  EXPECT_EQ(d.kbps, 422);
}

TEST(BitrateController, NeverBelowMeasuredThroughputNorMin) {
  BitrateController bc(rtc());
  // The link carries 1000 kbps of video: a 30 % cut would go to 840, the floor is 0.9 x 1000 = 900.
  auto d = bc.update(0, 800, 1000);
  EXPECT_EQ(d.kbps, 900);
  // Throughput floor at or above the current bitrate: no change (the floor never raises it).
  d = bc.update(5000, 800, 2000);
  EXPECT_FALSE(d.bitrateChanged);
  EXPECT_EQ(bc.kbps(), 900);
  // A stall (nothing carried): cuts continue, down to min and no further.
  for (int64_t t = 10000; t < 40000; t += 1000) bc.update(t, 900, 0);
  EXPECT_EQ(bc.kbps(), 150);
}

TEST(BitrateController, StepsUpSlowlyWhileCalmAndCapsAtMax) {
  auto c = rtc();
  c.startKbps = 700;
  BitrateController bc(c);
  std::vector<std::pair<int64_t, int>> ups;
  for (int64_t t = 0; t <= 30000; t += 200) {
    auto d = bc.update(t, 50, 2000);
    if (d.bitrateChanged) ups.emplace_back(t, d.kbps);
  }
  ASSERT_EQ(ups.size(), 4u);  // 700 -> 840 -> 980 -> 1120 -> 1200 (capped)
  EXPECT_EQ(ups[0].first, 4000);
  EXPECT_EQ(ups[0].second, 840);
  EXPECT_EQ(ups[1].first, 8000);
  EXPECT_EQ(ups[1].second, 980);
  EXPECT_EQ(ups[2].first, 12000);
  EXPECT_EQ(ups[2].second, 1120);
  EXPECT_EQ(ups[3].first, 16000);
  EXPECT_EQ(ups[3].second, 1200);
}

TEST(BitrateController, CongestionResetsTheCalmTimer) {
  auto c = rtc();
  c.startKbps = 700;
  BitrateController bc(c);
  bc.update(0, 50, -1);
  bc.update(3800, 50, -1);
  auto d = bc.update(3900, 300, -1);  // a burst just before the up-step: cut, and the 4 s count restarts
  EXPECT_EQ(d.kbps, 630);
  for (int64_t t = 4000; t < 7900; t += 100) EXPECT_FALSE(bc.update(t, 50, -1).bitrateChanged) << t;
  EXPECT_EQ(bc.update(8000, 50, -1).kbps, 770);
}

TEST(BitrateController, NoOscillationUnderASteadyLink) {
  // A link carrying 600 kbps of video; the queue follows the bitrate (grows when above, drains when below).
  BitrateController bc(rtc());
  double queue = 0;
  int downs = 0, ups = 0, lastDir = 0, flips = 0;
  for (int64_t t = 0; t < 60000; t += 200) {
    const int prev = bc.kbps();
    queue = std::max(0.0, queue + (prev - 600) / 600.0 * 200);
    auto d = bc.update(t, static_cast<int64_t>(queue), 600);
    if (!d.bitrateChanged) continue;
    int dir = d.kbps < prev ? -1 : +1;
    (dir < 0 ? downs : ups)++;
    if (lastDir != 0 && dir != lastDir) ++flips;
    lastDir = dir;
    EXPECT_GE(d.kbps, 540) << "cut below the 0.9 x throughput floor at " << t;
  }
  EXPECT_GE(downs, 1);
  // Probing up into the cap is allowed, but at most once per 4 s up-interval: <= 60 s / 4 s direction changes.
  EXPECT_LE(flips, 2 * 60 / 4);
  // And it spends most of the time at or under the link: from 1200 down within the first 5 s.
  BitrateController bc2(rtc());
  queue = 0;
  int64_t underAt = -1;
  for (int64_t t = 0; t < 10000 && underAt < 0; t += 200) {
    queue = std::max(0.0, queue + (bc2.kbps() - 600) / 600.0 * 200);
    bc2.update(t, static_cast<int64_t>(queue), 600);
    if (bc2.kbps() <= 600) underAt = t;
  }
  EXPECT_GE(underAt, 0);
  EXPECT_LE(underAt, 5000);
}

TEST(BitrateController, ResolutionLadderWithHysteresisAndHold) {
  auto c = rtc();
  c.adjustResolution = true;
  BitrateController bc(c);
  EXPECT_EQ(bc.rung(), 0);
  // Cut hard: 1200 -> ... below 600 (50 % of max) -> rung 1 at once.
  int64_t t = 0;
  BitrateController::Decision d;
  while (bc.kbps() >= 600) d = bc.update(t += 1000, 800, -1);
  EXPECT_TRUE(d.resolutionChanged);
  EXPECT_EQ(d.rung, 1);
  // Below 360 (30 %) soon after: the 5 s hold delays the second change.
  int64_t changedAt = t;
  while (bc.kbps() >= 360) EXPECT_FALSE(bc.update(t += 1000, 800, -1).resolutionChanged);
  bool second = false;
  for (; t < changedAt + 6000; t += 200) {
    d = bc.update(t, 50, -1);
    if (d.resolutionChanged) {
      second = true;
      EXPECT_GE(t - changedAt, 5000);
      EXPECT_EQ(d.rung, 2);
      break;
    }
  }
  EXPECT_TRUE(second);
  // Back up needs >= 40 % of max (480) for rung 1, >= 65 % (780) for rung 0: not at 450.
  int w, h;
  BitrateController::scaledSize(640, 360, 1, &w, &h);
  EXPECT_EQ(w, 480);
  EXPECT_EQ(h, 270);
  BitrateController::scaledSize(640, 360, 2, &w, &h);
  EXPECT_EQ(w, 320);
  EXPECT_EQ(h, 180);
  // Climb (calm queue) all the way: ends at full size and max.
  for (t += 200; t < 200000; t += 200) bc.update(t, 50, -1);
  EXPECT_EQ(bc.kbps(), 1200);
  EXPECT_EQ(bc.rung(), 0);
}

TEST(BitrateController, NoResolutionChangeWhenDisabled) {
  BitrateController bc(rtc());
  for (int64_t t = 0; t < 20000; t += 500) EXPECT_FALSE(bc.update(t, 900, -1).resolutionChanged);
  EXPECT_EQ(bc.rung(), 0);
  EXPECT_EQ(bc.kbps(), 150);
}
