// The pusher's interleaver: packets leave in dts order across tracks, bounded by maxHold and by track ends.
#include <gtest/gtest.h>

#include <vector>

#include "pusher/interleaver.h"

using namespace openlive::detail;
using std::chrono::milliseconds;
using Kind = EncodedPacket::Kind;

namespace {

EncodedPacket packet(Kind kind, int64_t dts, bool key = false) {
  EncodedPacket p;
  p.kind = kind;
  p.dtsMs = p.ptsMs = dts;
  p.keyframe = key || kind == Kind::Audio;
  return p;
}

struct Out {
  std::vector<EncodedPacket> packets;
  Interleaver make(Interleaver::Options o) {
    return Interleaver(o, [this](EncodedPacket&& p, bool) { packets.push_back(std::move(p)); });
  }
  // |ts - ts of the last packet of the other track| over the released order.
  int64_t maxSkew() const {
    int64_t last[2] = {INT64_MIN, INT64_MIN}, worst = 0;
    for (const auto& p : packets) {
      const int t = p.isVideo() ? 1 : 0;
      if (last[1 - t] != INT64_MIN) worst = std::max(worst, std::abs(p.dtsMs - last[1 - t]));
      last[t] = p.dtsMs;
    }
    return worst;
  }
};

Interleaver::Options opts(milliseconds hold = milliseconds(2000)) {
  Interleaver::Options o;
  o.audioToleranceMs = 66;
  o.videoToleranceMs = 64;
  o.maxHold = hold;
  return o;
}

}  // namespace

TEST(Interleaver, AudioWaitsForADelayedVideoEncoder) {
  Out out;
  Interleaver il = out.make(opts());
  const auto t0 = Interleaver::Clock::now();
  // The video encoder delays ~1 s (SD lookahead + B-frames): audio 0..1000 ms comes before any video.
  for (int64_t a = 0; a <= 1000; a += 21) il.push(packet(Kind::Audio, a), false, t0 + milliseconds(a));
  EXPECT_TRUE(out.packets.empty());
  EXPECT_GT(il.held(), 40u);
  // Then the encoder catches up, one frame per 66 ms of media with dts starting at -133 (B-frame delay).
  for (int64_t v = -133, t = 1000; v <= 1200; v += 66, t += 66) {
    il.push(packet(Kind::Video, v, v == -133), false, t0 + milliseconds(t));
    il.push(packet(Kind::Audio, t), false, t0 + milliseconds(t));
  }
  ASSERT_FALSE(out.packets.empty());
  EXPECT_TRUE(out.packets.front().isVideo());
  EXPECT_LE(out.maxSkew(), 66 + 21);
  EXPECT_EQ(il.timedOut(), 0u);
  // Per track, the order of arrival is kept.
  int64_t last[2] = {INT64_MIN, INT64_MIN};
  for (const auto& p : out.packets) {
    const int t = p.isVideo() ? 1 : 0;
    EXPECT_GE(p.dtsMs, last[t]);
    last[t] = p.dtsMs;
  }
}

TEST(Interleaver, VideoAheadOfAudioWaitsForAudio) {
  Out out;
  Interleaver il = out.make(opts());
  il.push(packet(Kind::Video, 0, true));
  il.push(packet(Kind::Video, 33));
  il.push(packet(Kind::Video, 200));
  EXPECT_TRUE(out.packets.empty());
  il.push(packet(Kind::Audio, 0));  // releases video 0 and 33 (within 64 ms of audio 0) and audio 0
  ASSERT_EQ(out.packets.size(), 3u);
  EXPECT_TRUE(out.packets[0].isVideo());
  EXPECT_EQ(out.packets[2].dtsMs, 33);
  il.push(packet(Kind::Audio, 150));  // video 200 is within 64 ms of 150
  ASSERT_EQ(out.packets.size(), 5u);
  EXPECT_EQ(out.packets[3].dtsMs, 150);
  EXPECT_EQ(out.packets[4].dtsMs, 200);
}

TEST(Interleaver, RealTimeTracksAreNotHeld) {
  // RTC: no encoder delay, video every 66 ms, audio every 21 ms: within the tolerance nothing waits.
  Out out;
  Interleaver il = out.make(opts());
  size_t pushed = 0;
  for (int64_t t = 0; t < 2000; t += 1) {
    if (t % 66 == 0) il.push(packet(Kind::Video, t, t == 0)), ++pushed;
    if (t % 21 == 0) il.push(packet(Kind::Audio, t)), ++pushed;
    EXPECT_LE(il.held(), 1u) << "at " << t;
  }
  EXPECT_GE(out.packets.size() + 1, pushed);
}

TEST(Interleaver, MaxHoldBoundsTheWaitForAStalledTrack) {
  Out out;
  Interleaver il = out.make(opts(milliseconds(500)));
  const auto t0 = Interleaver::Clock::now();
  il.push(packet(Kind::Video, 0, true), false, t0);
  il.push(packet(Kind::Audio, 0), false, t0);
  ASSERT_EQ(out.packets.size(), 2u);
  // The video source stalls; audio keeps coming and waits at most 500 ms.
  for (int64_t a = 21; a <= 1000; a += 21) il.push(packet(Kind::Audio, a), false, t0 + milliseconds(a));
  EXPECT_GT(out.packets.size(), 2u);
  EXPECT_GT(il.timedOut(), 0u);
  for (const auto& p : out.packets) EXPECT_LE(p.dtsMs, 1000 - 500 + 21);
  // Nothing new arrives: the send thread releases by time.
  il.releaseExpired(t0 + milliseconds(2000));
  EXPECT_EQ(il.held(), 0u);
}

TEST(Interleaver, EndedOrAbsentTrackIsNotWaitedFor) {
  Out out;
  Interleaver::Options o = opts();
  o.hasVideo = false;
  Interleaver audioOnly = out.make(o);
  audioOnly.push(packet(Kind::Audio, 0));
  EXPECT_EQ(out.packets.size(), 1u);

  Out out2;
  Interleaver il = out2.make(opts());
  for (int64_t a = 0; a < 200; a += 21) il.push(packet(Kind::Audio, a));
  EXPECT_TRUE(out2.packets.empty());
  il.endTrack(Kind::Video);  // the Y4M file ended
  EXPECT_EQ(il.held(), 0u);
  EXPECT_TRUE(il.trackEnded(Kind::Video));
  il.push(packet(Kind::Audio, 300));
  EXPECT_EQ(il.held(), 0u);
}

TEST(Interleaver, StreamHeaderKeepsItsPlaceAmongVideo) {
  Out out;
  Interleaver il = out.make(opts());
  il.push(packet(Kind::Video, 0, true));
  EncodedPacket hdr = packet(Kind::Video, 33);
  hdr.header = std::make_shared<VideoStreamHeader>();
  il.push(hdr);
  il.push(packet(Kind::Video, 40, true));  // the new encoder's IDR
  il.push(packet(Kind::Audio, 100));
  ASSERT_EQ(out.packets.size(), 4u);
  EXPECT_TRUE(out.packets[1].isHeader());
  EXPECT_TRUE(out.packets[2].keyframe);
}

TEST(Interleaver, FlushReleasesEverythingInDtsOrder) {
  Out out;
  Interleaver il = out.make(opts());
  for (int64_t a = 0; a < 300; a += 21) il.push(packet(Kind::Audio, a));
  il.flush();
  EXPECT_EQ(il.held(), 0u);
  ASSERT_FALSE(out.packets.empty());
  for (size_t i = 1; i < out.packets.size(); ++i) EXPECT_GE(out.packets[i].dtsMs, out.packets[i - 1].dtsMs);
}

TEST(Interleaver, HoldBoundFollowsTheEncoderDelay) {
  EXPECT_EQ(Interleaver::holdFor(16, 15), milliseconds(2133));
  EXPECT_EQ(Interleaver::holdFor(0, 15), milliseconds(500));
  EXPECT_EQ(Interleaver::holdFor(40, 5), milliseconds(3000));
}
