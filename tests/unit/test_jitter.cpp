// Unit tests for the jitter stage: the buffer (media time, keyframe jumps, bounds), the arrival jitter
// measure and the cache policy (start, stall, auto target that also shrinks, catch-up, jump, TX presets).
#include "jitter/cache_controller.h"
#include "jitter/jitter_buffer.h"

#include <gtest/gtest.h>

using namespace openlive::jitter;
using openlive::demux::MediaPacket;

namespace {
MediaPacket video(int64_t ts, bool key) {
  MediaPacket p;
  p.kind = MediaPacket::Kind::Video;
  p.dtsMs = p.ptsMs = ts;
  p.keyframe = key;
  p.data = {1, 2, 3};
  return p;
}
MediaPacket audio(int64_t ts) {
  MediaPacket p;
  p.kind = MediaPacket::Kind::Audio;
  p.dtsMs = p.ptsMs = ts;
  p.data = {1};
  return p;
}
}  // namespace

TEST(JitterBuffer, PopsWhenDueAndJumpsToNewestKeyframe) {
  JitterBuffer b;
  for (int i = 0; i < 90; ++i) {
    b.push(video(i * 33, i % 30 == 0), i * 33);
    b.push(audio(i * 33), i * 33);
  }
  EXPECT_EQ(*b.newestTs(MediaPacket::Kind::Video), 89 * 33);
  EXPECT_FALSE(b.popIfDue(MediaPacket::Kind::Video, -1));
  EXPECT_TRUE(b.popIfDue(MediaPacket::Kind::Video, 0));
  auto key = b.dropToNewestKeyframe();
  ASSERT_TRUE(key);
  EXPECT_EQ(*key, 60 * 33);
  EXPECT_EQ(b.count(MediaPacket::Kind::Video), 30u);
  EXPECT_EQ(*b.oldestTs(MediaPacket::Kind::Audio), 60 * 33);
  EXPECT_TRUE(b.hasAudio());
}

TEST(JitterBuffer, BoundedInMediaTime) {
  JitterBuffer b;
  for (int i = 0; i < 2000; ++i) b.push(video(i * 33, false), 0);
  EXPECT_GT(b.overflowDrops(), 0u);
  EXPECT_LE(*b.newestTs(MediaPacket::Kind::Video) - *b.oldestTs(MediaPacket::Kind::Video),
            JitterBuffer::kMaxSpanMs);
}

TEST(ArrivalJitter, SpreadFollowsTheWindowAndShrinks) {
  ArrivalJitter j(4000);
  int64_t wall = 0;
  for (int i = 0; i < 100; ++i, wall += 40) j.onArrival(i * 40, wall + (i % 10 == 0 ? 300 : 0));
  EXPECT_GE(j.spreadMs(), 290);
  for (int i = 100; i < 300; ++i, wall += 40) j.onArrival(i * 40, wall);  // steady network
  EXPECT_LE(j.spreadMs(), 10);
}

TEST(CacheController, LiveStartsAfterAShortPrebufferStallsAndResumesAtMinCache) {
  CacheController c(cacheAuto());
  auto s = c.update(CacheController::kStartPrebufferMs - 10, false, false, 0, false);
  EXPECT_FALSE(s.playing);
  s = c.update(CacheController::kStartPrebufferMs, false, false, 0, false);
  EXPECT_TRUE(s.playing);
  EXPECT_TRUE(s.resumed);
  EXPECT_EQ(s.speed, 1.0) << "no slow fill while the caller does not allow it";
  s = c.update(300, false, false, 0, true);
  EXPECT_EQ(s.speed, CacheController::kFillSpeed) << "under the target: grow the buffer";
  EXPECT_GE(s.speed, 0.95) << "the sound stays within 5 % of real time";
  s = c.update(800, false, false, 0, true);
  EXPECT_EQ(s.speed, CacheController::kFillSpeed);
  s = c.update(950, false, false, 0, true);
  EXPECT_EQ(s.speed, 1.0) << "within the fill margin of the target";
  s = c.update(0, true, false, 0);
  EXPECT_TRUE(s.stallBegan);
  EXPECT_FALSE(s.playing);
  EXPECT_EQ(c.stalls(), 1);
  s = c.update(900, false, false, 0);
  EXPECT_FALSE(s.playing) << "after a stall the whole min cache is buffered again";
  s = c.update(1000, false, false, 0);
  EXPECT_TRUE(s.resumed);
}

TEST(CacheController, RestartPrebuffersShortlyAgain) {
  CacheController c(cacheSmooth());
  EXPECT_TRUE(c.update(CacheController::kStartPrebufferMs, false, false, 0).playing);
  c.restart();  // a new connection
  EXPECT_FALSE(c.update(CacheController::kStartPrebufferMs - 1, false, false, 0).playing);
  EXPECT_TRUE(c.update(CacheController::kStartPrebufferMs, false, false, 0).playing);
}

TEST(CacheController, AutoTargetFollowsJitterBothWays) {
  CacheController c(cacheAuto());
  EXPECT_EQ(c.targetMs(0), 1000);
  EXPECT_GT(c.targetMs(2000), 2000);
  EXPECT_EQ(c.targetMs(100000), 5000);
  EXPECT_EQ(c.targetMs(0), 1000);  // no ratchet: a steady network brings it back down
  CacheController fixed(cacheSmooth());
  EXPECT_EQ(fixed.targetMs(0), 5000);
  EXPECT_EQ(fixed.targetMs(3000), 5000);
}

TEST(CacheController, CatchUpAboveTargetAndMaxThenJump) {
  CacheController c(cacheMiniProgram());  // 1 / 3 s
  c.update(1000, false, false, 0);
  auto s = c.update(1400, false, false, 0);
  EXPECT_EQ(s.speed, CacheController::kGentleSpeed);
  s = c.update(3500, false, false, 0);
  EXPECT_EQ(s.speed, CacheController::kMaxSpeed);
  EXPECT_LE(s.speed, 1.25);
  s = c.update(1040, false, false, 0);
  EXPECT_EQ(s.speed, 1.0);  // back near the target
  s = c.update(6100, false, false, 0);
  EXPECT_TRUE(s.jump);      // beyond 2x max
}

TEST(CacheController, RecoveryIsBoundedAfterABurst) {
  // Auto 1-5 s: 2 s over max is what 1.25x plays off in 8 s. Beyond that, a jump that keeps the target.
  CacheController c(cacheAuto());
  c.update(1000, false, false, 0);
  auto s = c.update(6900, false, false, 0);
  EXPECT_FALSE(s.jump);
  EXPECT_EQ(s.speed, CacheController::kMaxSpeed);
  s = c.update(7100, false, false, 0);
  EXPECT_TRUE(s.jump);
  EXPECT_EQ(s.jumpKeepMs, s.targetMs);
  EXPECT_GT(s.jumpKeepMs, 0);
  // Not at the end of the stream (the rest is played out), and RTC keeps its own rules.
  CacheController e(cacheAuto());
  e.update(1000, false, false, 0);
  EXPECT_FALSE(e.update(7100, false, true, 0).jump);
}

TEST(JitterBuffer, JumpKeepsTheAskedBuffer) {
  JitterBuffer b;
  for (int i = 0; i < 100; ++i) {  // 100 video frames at 40 ms, a keyframe every 25 (1 s)
    MediaPacket p;
    p.kind = MediaPacket::Kind::Video;
    p.dtsMs = p.ptsMs = i * 40;
    p.keyframe = i % 25 == 0;
    b.push(std::move(p), i * 40);
  }
  // Newest dts 3960; keyframes at 0, 1000, 2000, 3000. Keeping 1500 ms: the one at 2000 (1960 ms after it).
  EXPECT_EQ(b.dropToNewestKeyframe(1500), std::optional<int64_t>(2000));
  // Keeping more than any keyframe after the head leaves: the oldest one after the head (3000); never the head
  // itself, even though it leaves the most (the jump would drop nothing, and repeat).
  EXPECT_EQ(b.dropToNewestKeyframe(5000), std::optional<int64_t>(3000));
  EXPECT_FALSE(b.dropToNewestKeyframe(500).has_value()) << "only the head is a keyframe now";
  // 0: the newest, as before (the head when it is the only one).
  EXPECT_EQ(b.dropToNewestKeyframe(0), std::optional<int64_t>(3000));
}

TEST(CacheController, FastAndSmoothPresets) {
  EXPECT_EQ(cacheFast().minMs, 1000);
  EXPECT_EQ(cacheFast().maxMs, 1000);
  EXPECT_FALSE(cacheSmooth().autoAdjust);
  EXPECT_EQ(cacheSmooth().fixedMs, 5000);
  EXPECT_EQ(cacheAuto().maxMs, 5000);
  EXPECT_EQ(cacheMiniProgram().maxMs, 3000);
  CacheController smooth(cacheSmooth());
  EXPECT_TRUE(smooth.update(CacheController::kStartPrebufferMs, false, false, 0).playing);
  EXPECT_TRUE(smooth.update(0, true, false, 0).stallBegan);
  EXPECT_FALSE(smooth.update(4000, false, false, 0).playing) << "fixed mode: resumes at the cache time";
  EXPECT_TRUE(smooth.update(5000, false, false, 0).playing);
  EXPECT_EQ(smooth.update(4900, false, false, 0).speed, 1.0);  // within max: no catch-up in fixed mode
  EXPECT_GT(smooth.update(5200, false, false, 0).speed, 1.0);  // above max: catch up
}

TEST(CacheController, RtcStartsAtOnceAndStaysSmall) {
  CacheController c(cacheRtc());
  auto s = c.update(0, false, false, 0);
  EXPECT_TRUE(s.playing);
  EXPECT_EQ(s.targetMs, 0) << "a clean link: each picture is shown when it is decoded";
  EXPECT_EQ(c.targetMs(35), 35) << "what the measured lateness needs";
  EXPECT_EQ(c.targetMs(900), 500);
  s = c.update(400, false, false, 0);
  EXPECT_GT(s.speed, 1.0);
  s = c.update(1100, false, false, 0);
  EXPECT_TRUE(s.jump);
}

TEST(CacheController, EndOfStreamDrainsWithoutStall) {
  CacheController c(cacheAuto());
  c.update(1000, false, false, 0);
  auto s = c.update(0, true, true, 0);
  EXPECT_FALSE(s.stallBegan);
}

TEST(ArrivalJitter, GopCacheBurstIsNotJitter) {
  ArrivalJitter j(4000);
  // 2 s of old frames delivered at once, then live frames in real time.
  for (int i = 0; i < 60; ++i) j.onArrival(i * 33, 2000);
  int64_t wall = 2000;
  for (int i = 60; i < 120; ++i, wall += 33) j.onArrival(i * 33, wall);
  EXPECT_LE(j.spreadMs(), 40);
  j.onArrival(120 * 33, wall + 400);  // one packet 400 ms late
  EXPECT_GE(j.spreadMs(), 390);
}

TEST(ArrivalJitter, HighPercentileIgnoresARareLatePacket) {
  ArrivalJitter j(1500);
  int64_t wall = 0;
  for (int i = 0; i < 45; ++i, wall += 33) j.onArrival(i * 33, wall + (i == 20 ? 300 : (i % 3) * 4));
  EXPECT_GE(j.spreadMs(), 290) << "the max sees the one late packet";
  EXPECT_LE(j.lateMsAt(0.95), 10) << "95 % of the arrivals were within a few ms";
  for (int i = 45; i < 100; ++i, wall += 33) j.onArrival(i * 33, wall);
  EXPECT_LE(j.spreadMs(), 10) << "the late packet left the short window";
}

TEST(JitterBuffer, ReorderingIsSeenFromThePacketsAndForgottenOnClear) {
  JitterBuffer b;
  b.push(video(0, true), 0);
  b.push(video(33, false), 33);
  EXPECT_FALSE(b.videoReorders());  // pts == dts: no B-frames
  MediaPacket p = video(66, false);
  p.ptsMs = 133;  // a reference picture shown after the B-frames that follow it
  b.push(std::move(p), 66);
  EXPECT_TRUE(b.videoReorders());
  b.clear();
  EXPECT_FALSE(b.videoReorders());
}
