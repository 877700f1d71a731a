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
  // Throughput not known yet: percentage cuts. From 400 ms on the current queue counts at once.
  BitrateController bc(rtc());
  auto d = bc.update(0, 450, -1);  // >= 400 ms: -20 %
  EXPECT_TRUE(d.bitrateChanged);
  EXPECT_EQ(d.kbps, 960);
  d = bc.update(400, 450, -1);  // inside the 600 ms hold-off
  EXPECT_FALSE(d.bitrateChanged);
  EXPECT_EQ(bc.kbps(), 960);
  d = bc.update(600, 450, -1);
  EXPECT_EQ(d.kbps, 768);
  d = bc.update(1000, 800, -1);  // >= 700 ms, but still inside the hold-off
  EXPECT_FALSE(d.bitrateChanged);
  d = bc.update(1200, 800, -1);  // >= 700 ms: -30 %
  EXPECT_EQ(d.kbps, 537);
  d = bc.update(2100, 800, -1);  // 1 s hold-off
  EXPECT_FALSE(d.bitrateChanged);
  d = bc.update(2200, 800, -1);
  EXPECT_EQ(d.kbps, 375);
}

TEST(BitrateController, MildQueueCountsOnlyWhenItStands) {
  BitrateController bc(rtc());
  // 200..399 ms: a spike (one large IDR on its way) that drains within the 1 s window is not congestion.
  for (int64_t t = 0; t <= 4000; t += 200) {
    const int64_t q = (t % 1000 == 0) ? 350 : 40;
    EXPECT_FALSE(bc.update(t, q, 2000).bitrateChanged) << t;
  }
  // A queue that stays >= 200 ms for the whole window is: -10 % (throughput not known).
  BitrateController bc2(rtc());
  int64_t cutAt = -1;
  for (int64_t t = 0; t <= 2000 && cutAt < 0; t += 200)
    if (bc2.update(t, 250, -1).bitrateChanged) cutAt = t;
  EXPECT_EQ(cutAt, 1000);
  EXPECT_EQ(bc2.kbps(), 1080);
}

TEST(BitrateController, CutsToMeasuredThroughputLessDrainBounded) {
  BitrateController bc(rtc());
  // The link carries 1000 kbps of video, 450 ms queued: 0.9 x 1000 - 1000 x 450 / 2000 = 675 -> 670.
  auto d = bc.update(0, 450, 1000);
  EXPECT_EQ(d.kbps, 670);
  EXPECT_EQ(bc.ceilingKbps(), 1000);
  // A deep backlog: never below half the throughput (300), nor -60 % at once.
  BitrateController bc2(rtc());
  d = bc2.update(0, 1500, 600);
  EXPECT_EQ(d.kbps, 480);  // max(0.9 x 600 - 450, 300, 0.4 x 1200)
  d = bc2.update(1000, 1500, 600);
  EXPECT_EQ(d.kbps, 300);
  // The link carries more than we send: the queue is transient, no cut.
  BitrateController bc3(rtc());
  EXPECT_FALSE(bc3.update(0, 450, 2000).bitrateChanged);
  // A stall (nothing carried): cuts continue, down to min and no further.
  BitrateController bc4(rtc());
  for (int64_t t = 0; t < 20000; t += 1000) bc4.update(t, 900, 0);
  EXPECT_EQ(bc4.kbps(), 150);
}

TEST(BitrateController, ProbesCarefullyNearARememberedCeiling) {
  BitrateController bc(rtc());  // step 140
  bc.update(0, 450, 600);       // 0.9 x 600 - 135 = 405 -> 480 (the -60 % bound); ceiling 600
  ASSERT_EQ(bc.kbps(), 480);
  std::vector<std::pair<int64_t, int>> ups;
  for (int64_t t = 200; t <= 16000; t += 200) {
    auto d = bc.update(t, 50, 400);  // calm, the link not full
    if (d.bitrateChanged) ups.emplace_back(t, d.kbps);
  }
  // Up to 0.9 x ceiling = 540 in a normal step, then quarter steps (35) beyond it while it is remembered
  // (10 s after the congestion), then normal steps again.
  ASSERT_GE(ups.size(), 3u);
  EXPECT_EQ(ups[0], std::make_pair(int64_t{4200}, 540));
  EXPECT_EQ(ups[1], std::make_pair(int64_t{8200}, 575));
  EXPECT_EQ(ups[2].second, 575 + 140);  // 12 200: the ceiling (set at 0) is forgotten
  EXPECT_EQ(bc.ceilingKbps(), 0);
  // Forgotten at once when the link carries clearly more than it without a queue.
  BitrateController bc2(rtc());
  bc2.update(0, 450, 600);
  for (int64_t t = 200; t <= 2400; t += 200) bc2.update(t, 50, 400);
  EXPECT_EQ(bc2.ceilingKbps(), 600);
  bc2.update(2600, 50, 700);
  EXPECT_EQ(bc2.ceilingKbps(), 0);
}

TEST(BitrateController, LinkLimitedCutsBeforeTheSendQueueBuilds) {
  using In = BitrateController::Input;
  // The network delivered 600 of the 1000 kbps produced over the last second, 120 ms queued (below every
  // queue level): a bottleneck filling a buffer the socket cannot see. Two ticks in a row -> cut to what
  // the link delivered: 0.9 x 600 - 600 x 120 / 2000 = 504 -> 500.
  BitrateController bc(rtc());
  EXPECT_FALSE(bc.update(0, In{120, 1100, 600, 1000}).bitrateChanged);
  auto d = bc.update(200, In{120, 1100, 600, 1000});
  EXPECT_TRUE(d.bitrateChanged);
  EXPECT_EQ(d.kbps, 500);
  EXPECT_EQ(bc.ceilingKbps(), 600);
  // One IDR on a fast link: a mild deficit for one tick only, then delivered again. No cut.
  BitrateController idr(rtc());
  for (int64_t t = 0; t <= 4000; t += 200) {
    const bool spike = t % 1000 == 0;
    EXPECT_FALSE(idr.update(t, In{spike ? 150 : 20, 1200, spike ? 850 : 1150, 1200}).bitrateChanged) << t;
  }
  // A severe deficit (< 60 % delivered) counts at once, and "some queue" is the last second's maximum: the
  // queue is a sawtooth of IDRs while a hidden buffer fills.
  BitrateController severe(rtc());
  EXPECT_FALSE(severe.update(0, In{160, 1200, 1150, 1200}).bitrateChanged);
  d = severe.update(200, In{30, 1100, 500, 1000});
  EXPECT_TRUE(d.bitrateChanged);
  EXPECT_EQ(d.kbps, 480);  // 0.9 x 500 - 500 x 30 / 2000 = 442, bounded by -60 % at once (0.4 x 1200)
  // A deficit without any queue (acks lag on a long path; nothing waits): no cut.
  BitrateController noQueue(rtc());
  for (int64_t t = 0; t <= 2000; t += 200) EXPECT_FALSE(noQueue.update(t, In{40, 1200, 600, 1000}).bitrateChanged);
  // The deficit also counts as congestion for the up-step timer: no probe while it lasts.
  auto c = rtc();
  c.startKbps = 700;
  BitrateController calm(c);
  for (int64_t t = 0; t <= 8000; t += 200) {
    const bool limited = (t / 200) % 3 == 0;  // every third tick, so never two in a row: no cut either
    EXPECT_FALSE(calm.update(t, In{limited ? 120 : 50, 2000, limited ? 500 : 700, 700}).bitrateChanged) << t;
  }
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
  auto d = bc.update(3900, 450, -1);  // a burst just before the up-step: cut, and the 4 s count restarts
  EXPECT_EQ(d.kbps, 560);
  for (int64_t t = 4000; t < 7900; t += 100) EXPECT_FALSE(bc.update(t, 50, -1).bitrateChanged) << t;
  EXPECT_EQ(bc.update(8000, 50, -1).kbps, 700);
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
    EXPECT_GE(d.kbps, 300) << "cut below half the measured throughput at " << t;
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
