// The pusher's send queue: time-based span, drop-video-to-IDR and drop-oldest policies, counted drops.
#include <gtest/gtest.h>

#include "fixtures/timing.h"
#include "pusher/send_queue.h"

using namespace openlive::detail;
using std::chrono::milliseconds;

namespace {
EncodedPacket make(EncodedPacket::Kind kind, int64_t dts, bool key) {
  EncodedPacket p;
  p.kind = kind;
  p.dtsMs = p.ptsMs = dts;
  p.keyframe = key;
  p.data = {kind == EncodedPacket::Kind::Video ? uint8_t{1} : uint8_t{2}};
  return p;
}
EncodedPacket video(int64_t dts, bool key) { return make(EncodedPacket::Kind::Video, dts, key); }
EncodedPacket audio(int64_t dts) { return make(EncodedPacket::Kind::Audio, dts, true); }
}  // namespace

TEST(SendQueue, SpanIsMediaTime) {
  SendQueue q(milliseconds(900), milliseconds(5000));
  q.push(video(0, true));
  q.push(audio(10));
  q.push(video(66, false));
  EXPECT_EQ(q.durationMs(), 66);
  EXPECT_EQ(q.size(), 3u);
  auto p = q.pop(milliseconds(0));
  ASSERT_TRUE(p);
  EXPECT_EQ(p->dtsMs, 0);
  EXPECT_EQ(q.durationMs(), 0);  // one packet per track left
}

TEST(SendQueue, EncoderDelayBetweenTracksIsNotBacklog) {
  SendQueue q(milliseconds(900), milliseconds(5000));
  q.push(video(0, true));
  for (int t = 0; t <= 800; t += 20) q.push(audio(t));  // audio 0.8 s of backlog
  q.push(video(66, false));
  EXPECT_EQ(q.dropped(), 0u);
  EXPECT_EQ(q.durationMs(), 800);  // the audio backlog alone
  while (q.pop(milliseconds(0))) {
  }
  q.push(audio(1220));  // audio runs 1.1 s ahead of the delayed video: not backlog
  q.push(video(133, false));
  EXPECT_EQ(q.durationMs(), 0);
  EXPECT_EQ(q.dropped(), 0u);
}

TEST(SendQueue, PastThresholdDropsNonKeyVideoUntilNextIdr) {
  SendQueue q(milliseconds(900), milliseconds(5000));
  q.push(video(0, true));
  for (int t = 66; t <= 990; t += 66) {
    q.push(video(t, false));
    q.push(audio(t));
  }
  // The span passed 900 ms: every P-frame went, audio and the IDR stayed.
  EXPECT_GT(q.dropped(), 0u);
  EXPECT_TRUE(q.takeKeyframeRequest());
  EXPECT_FALSE(q.takeKeyframeRequest());
  uint64_t before = q.dropped();
  EXPECT_FALSE(q.push(video(1056, false)));  // refused until an IDR
  EXPECT_EQ(q.dropped(), before + 1);
  int videos = 0, audios = 0;
  while (auto p = q.pop(milliseconds(0))) (p->isVideo() ? videos : audios)++;  // the network catches up
  EXPECT_EQ(audios, 15);
  EXPECT_EQ(videos, 1);  // only the IDR at 0 survived
  EXPECT_TRUE(q.push(video(1122, true)));
  EXPECT_TRUE(q.push(video(1188, false)));  // accepted again after the IDR
  EXPECT_EQ(q.size(), 2u);
}

TEST(SendQueue, OneDropCostsOneForcedIdrNotAStorm) {
  SendQueue q(milliseconds(900), milliseconds(5000));
  q.push(video(0, true));
  for (int t = 20; t <= 1000; t += 20) q.push(audio(t));  // the link is stuck: audio piles up
  for (int t = 66; t <= 990; t += 66) q.push(video(t, false));
  ASSERT_TRUE(q.takeKeyframeRequest());  // the P-frames waited > 900 ms: dropped, IDR asked for
  const uint64_t dropped = q.dropped();
  // The forced IDR and the P-frames after it: audio and the old IDR still span > 900 ms, but they cannot be
  // dropped here, so the new P-frames are kept (no second forced IDR) until they have waited 900 ms themselves.
  EXPECT_TRUE(q.push(video(1056, true)));
  for (int t = 1122; t <= 1900; t += 66) EXPECT_TRUE(q.push(video(t, false))) << t;
  EXPECT_FALSE(q.takeKeyframeRequest());
  EXPECT_EQ(q.dropped(), dropped);
  EXPECT_GT(q.durationMs(), 900);
}

TEST(SendQueue, MaxCacheDropsOldestWhateverItIs) {
  SendQueue q(milliseconds(500), milliseconds(1000));
  for (int t = 0; t <= 3000; t += 20) q.push(audio(t));
  EXPECT_LE(q.durationMs(), 1000);
  EXPECT_GE(q.dropped(), 99u);
}

TEST(SendQueue, ResetKeepsFromNewestIdrOrWaitsForOne) {
  SendQueue q(milliseconds(900), milliseconds(5000));
  q.push(video(0, true));
  q.push(video(33, false));
  q.push(video(66, true));
  q.push(audio(70));
  q.resetToNextIdr();
  auto p = q.pop(milliseconds(0));
  ASSERT_TRUE(p);
  EXPECT_EQ(p->dtsMs, 66);
  q.pop(milliseconds(0));
  q.resetToNextIdr();  // empty: wait for the next IDR
  EXPECT_FALSE(q.push(video(100, false)));
  EXPECT_TRUE(q.takeKeyframeRequest());
}

TEST(SendQueue, EncoderFlushIsNotDropped) {
  SendQueue q(milliseconds(900), milliseconds(5000));
  q.push(video(0, true), true);
  for (int t = 66; t <= 1066; t += 66) EXPECT_TRUE(q.push(video(t, false), true));
  EXPECT_EQ(q.dropped(), 0u);
  EXPECT_EQ(q.size(), 17u);
}

TEST(SendQueue, CloseWakesPop) {
  SendQueue q(milliseconds(900), milliseconds(5000));
  std::thread t([&] {
    std::this_thread::sleep_for(milliseconds(20));  // scenario: close while pop waits (nothing to observe)
    q.close();
  });
  auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(q.pop(milliseconds(5000)));
  EXPECT_LT(std::chrono::steady_clock::now() - start, openlive::test::scaled(milliseconds(2000)));
  t.join();
  EXPECT_FALSE(q.push(audio(0)));
}
