// The pusher's relay stage (VideoRelay, mux/h264_config): H.264 from x264 (the SDK's own encoder) handed in as
// a stream carries it, with 4- and 2-byte NAL lengths. It starts at a keyframe, sends headers for the first
// packet and each new record (the size read back from the SPS), maps timestamps onto the media clock keeping
// the source's spacing and B-frame offsets, re-anchors after a jump, never goes back before the stream's last
// packet, and refuses what is not an access unit with a record.
#include <gtest/gtest.h>

#include "capture/test_pattern.h"
#include "encode/video_encoder.h"
#include "mux/flv_mux.h"
#include "mux/h264_config.h"
#include "pusher/video_relay.h"

namespace openlive::detail {
namespace {

struct Stream {
  Bytes record;
  std::vector<EncodedPacket> packets;  // AVCC, 4-byte lengths
};

Stream encode(int w, int h, int frames) {
  VideoEncoderOptions o;
  o.params = {w, h, 15, 1.0, 300, 150, 400, true};
  VideoEncoder enc;
  std::string err;
  EXPECT_TRUE(enc.open(o, &err)) << err;
  Stream s;
  s.record = *buildAvcDecoderConfig(enc.extradata().data(), enc.extradata().size());
  TestPatternGenerator gen(w, h);
  I420Image img;
  for (int i = 0; i < frames; ++i) {
    gen.render(i, 0, img);
    const uint8_t* planes[3] = {img.y.data(), img.u.data(), img.v.data()};
    int strides[3] = {w, w / 2, w / 2};
    std::vector<EncodedPacket> out;
    EXPECT_TRUE(enc.encode(planes, strides, i * 66, false, out, &err));
    for (auto& p : out) {
      p.data = annexBToAvcc(p.data.data(), p.data.size());
      s.packets.push_back(std::move(p));
    }
  }
  return s;
}

EncodedVideoPacket view(const Stream& s, const EncodedPacket& p, int64_t dts, int64_t pts) {
  EncodedVideoPacket e;
  e.data = p.data.data();
  e.size = p.data.size();
  e.config = s.record.data();
  e.configSize = s.record.size();
  e.dts = std::chrono::milliseconds(dts);
  e.pts = std::chrono::milliseconds(pts);
  e.keyframe = p.keyframe;
  return e;
}

TEST(VideoRelay, StartsAtAKeyframeWithHeadersAndKeepsTheSourceSpacing) {
  const Stream s = encode(320, 180, 4);
  ASSERT_GE(s.packets.size(), 3u);
  ASSERT_TRUE(s.packets[0].keyframe);
  RelayTimeline timeline;
  VideoRelay relay(timeline);
  EncodedPacket out;
  std::shared_ptr<const VideoStreamHeader> header;
  // A P-frame first: refused until the keyframe.
  EXPECT_EQ(relay.take(view(s, s.packets[1], 5066, 5066), 1000, 0, 500, out, header), VideoRelay::Verdict::WaitKeyframe);
  ASSERT_EQ(relay.take(view(s, s.packets[0], 5000, 5000), 1000, 0, 500, out, header), VideoRelay::Verdict::Accepted);
  ASSERT_TRUE(header);
  EXPECT_EQ(header->width, 320);
  EXPECT_EQ(header->height, 180);
  EXPECT_EQ(header->avcc, s.record);  // x264's record already has 4-byte lengths
  EXPECT_EQ(out.dtsMs, 1000);
  EXPECT_EQ(out.data, s.packets[0].data);
  EXPECT_TRUE(out.keyframe);
  // The next: no header, the source's spacing and its B-frame offset kept.
  ASSERT_EQ(relay.take(view(s, s.packets[1], 5066, 5132), 1070, 1000, 500, out, header), VideoRelay::Verdict::Accepted);
  EXPECT_FALSE(header);
  EXPECT_EQ(out.dtsMs, 1066);
  EXPECT_EQ(out.ptsMs, 1132);
  EXPECT_EQ(out.data, s.packets[1].data);
}

// The first keyframe came late (held at the start of its player, say): later packets arrive earlier against their
// source time. The offset follows the earliest arrivals down, a few ms per packet, so packets are not stamped
// later than they came; arrivals later than the earliest by less than the deadband (jitter) move nothing.
TEST(VideoRelay, TheOffsetFollowsTheEarliestArrivalsAFewMsAtATime) {
  const Stream s = encode(160, 96, 2);
  RelayTimeline timeline;
  VideoRelay relay(timeline);
  EncodedPacket out;
  std::shared_ptr<const VideoStreamHeader> header;
  ASSERT_EQ(relay.take(view(s, s.packets[0], 0, 0), 1050, 0, 300, out, header), VideoRelay::Verdict::Accepted);
  EXPECT_EQ(out.dtsMs, 1050);
  int64_t last = out.dtsMs;
  for (int i = 1; i <= 20; ++i) {  // each arrives 1000 + 33 i: 50 ms earlier than the anchor says
    ASSERT_EQ(relay.take(view(s, s.packets[1], 33 * i, 33 * i), 1000 + 33 * i, 0, 300, out, header),
              VideoRelay::Verdict::Accepted);
    EXPECT_GE(out.dtsMs - last, 33 - RelayTimeline::kSlewMs) << i;  // the spacing stays within the slew
    EXPECT_LE(out.dtsMs - last, 33) << i;
    last = out.dtsMs;
  }
  EXPECT_EQ(out.dtsMs, 1000 + 33 * 20) << "down to the arrivals";
  // Jitter: a packet 15 ms late keeps the offset.
  ASSERT_EQ(relay.take(view(s, s.packets[1], 33 * 21, 33 * 21), 1000 + 33 * 21 + 15, 0, 300, out, header),
            VideoRelay::Verdict::Accepted);
  EXPECT_EQ(out.dtsMs, 1000 + 33 * 21);
}

TEST(VideoRelay, TwoByteLengthsAreRewrittenAndTheRecordSaysFour) {
  const Stream s = encode(160, 96, 1);
  // The same access unit and record with 2-byte lengths.
  Bytes au2;
  const Bytes& au4 = s.packets[0].data;
  for (size_t p = 0; p + 4 <= au4.size();) {
    const size_t len = (size_t(au4[p]) << 24) | (size_t(au4[p + 1]) << 16) | (size_t(au4[p + 2]) << 8) | au4[p + 3];
    ASSERT_LT(len, 65536u);
    au2.push_back(uint8_t(len >> 8));
    au2.push_back(uint8_t(len));
    au2.insert(au2.end(), au4.begin() + long(p) + 4, au4.begin() + long(p + 4 + len));
    p += 4 + len;
  }
  Bytes record2 = s.record;
  record2[4] = 0xFD;  // lengthSizeMinusOne = 1
  EncodedVideoPacket e = view(s, s.packets[0], 0, 0);
  e.data = au2.data();
  e.size = au2.size();
  e.config = record2.data();
  RelayTimeline timeline;
  VideoRelay relay(timeline);
  EncodedPacket out;
  std::shared_ptr<const VideoStreamHeader> header;
  ASSERT_EQ(relay.take(e, 0, 0, 300, out, header), VideoRelay::Verdict::Accepted);
  EXPECT_EQ(out.data, au4);
  ASSERT_TRUE(header);
  EXPECT_EQ(header->avcc[4] & 3, 3);
  EXPECT_EQ(header->width, 160);
}

TEST(VideoRelay, ANewRecordNeedsAKeyframeAndBringsNewHeaders) {
  const Stream a = encode(320, 180, 3), b = encode(256, 144, 3);
  RelayTimeline timeline;
  VideoRelay relay(timeline);
  EncodedPacket out;
  std::shared_ptr<const VideoStreamHeader> header;
  ASSERT_EQ(relay.take(view(a, a.packets[0], 0, 0), 0, 0, 300, out, header), VideoRelay::Verdict::Accepted);
  EXPECT_EQ(relay.take(view(b, b.packets[1], 66, 66), 66, 0, 300, out, header), VideoRelay::Verdict::WaitKeyframe);
  ASSERT_EQ(relay.take(view(b, b.packets[0], 132, 132), 132, 0, 300, out, header), VideoRelay::Verdict::Accepted);
  ASSERT_TRUE(header);
  EXPECT_EQ(header->width, 256);
  EXPECT_EQ(header->height, 144);
  // A loss: wait for a keyframe, which brings the headers again (a reconnect's reader needs them).
  EncodedVideoPacket lost = view(b, b.packets[1], 198, 198);
  lost.discontinuity = true;
  EXPECT_EQ(relay.take(lost, 198, 0, 300, out, header), VideoRelay::Verdict::WaitKeyframe);
  ASSERT_EQ(relay.take(view(b, b.packets[0], 264, 264), 264, 0, 300, out, header), VideoRelay::Verdict::Accepted);
  EXPECT_TRUE(header);
}

TEST(VideoRelay, AJumpIsReanchoredAtAKeyframeAndNothingGoesBeforeTheStream) {
  const Stream s = encode(160, 96, 2);
  RelayTimeline timeline;
  VideoRelay relay(timeline);
  EncodedPacket out;
  std::shared_ptr<const VideoStreamHeader> header;
  ASSERT_EQ(relay.take(view(s, s.packets[0], 100, 100), 2000, 0, 300, out, header), VideoRelay::Verdict::Accepted);
  EXPECT_EQ(out.dtsMs, 2000);
  // The source restarted its clock (a reconnect of its own): re-anchored to now at the keyframe.
  ASSERT_EQ(relay.take(view(s, s.packets[0], 0, 0), 3000, 2000, 300, out, header), VideoRelay::Verdict::Accepted);
  EXPECT_EQ(out.dtsMs, 3000);
  // A P-frame that would land before the last packet of the stream (encoded pictures went out meanwhile).
  ASSERT_EQ(relay.take(view(s, s.packets[1], 66, 66), 3066, 4000, 300, out, header), VideoRelay::Verdict::Accepted);
  EXPECT_EQ(out.dtsMs, 4001);
}

TEST(VideoRelay, WhatIsNotAnAccessUnitWithARecordIsRefused) {
  const Stream s = encode(160, 96, 1);
  RelayTimeline timeline;
  VideoRelay relay(timeline);
  EncodedPacket out;
  std::shared_ptr<const VideoStreamHeader> header;
  EncodedVideoPacket e = view(s, s.packets[0], 0, 0);
  e.config = nullptr;
  EXPECT_EQ(relay.take(e, 0, 0, 300, out, header), VideoRelay::Verdict::Malformed);
  e = view(s, s.packets[0], 0, 0);
  const Bytes junk = {0, 0, 0, 1, 0x65};  // a length past the end
  const Bytes badRecord = {2, 1, 2};
  e.data = junk.data();
  e.size = 3;
  EXPECT_EQ(relay.take(e, 0, 0, 300, out, header), VideoRelay::Verdict::Malformed);
  e = view(s, s.packets[0], 0, 0);
  e.config = badRecord.data();
  e.configSize = badRecord.size();
  EXPECT_EQ(relay.take(e, 0, 0, 300, out, header), VideoRelay::Verdict::Malformed);
}

}  // namespace
}  // namespace openlive::detail
