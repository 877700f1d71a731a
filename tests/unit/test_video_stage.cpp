// Unit tests for the play side's video stage with a real H.264 stream with B-frames and B-pyramid (libx264
// through libavcodec, as x264's default preset makes them): every picture comes out, in presentation order,
// with its own pts; the first picture comes out of the first keyframe after a few packets (reordering), not
// after the next keyframe; a new configuration mid-stream drains the old decoder first.
#include "jitter/jitter_buffer.h"
#include "mux/flv_mux.h"
#include "player/video_stage.h"
#include "fixtures/require.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavutil/frame.h>
#include <libavutil/log.h>
#include <libavutil/opt.h>
}

#include <gtest/gtest.h>

#include <cstring>

using namespace openlive;
using openlive::demux::MediaPacket;

namespace {

// Encodes `frames` pictures of w x h at 30 fps, GOP `gop`, `bframes` B-frames (pyramid when >= 2).
std::vector<MediaPacket> encodeH264(int frames, int w, int h, int gop, int bframes) {
  std::vector<MediaPacket> out;
  av_log_set_level(AV_LOG_ERROR);
  const AVCodec* codec = avcodec_find_encoder_by_name("libx264");
  if (!codec) return out;
  AVCodecContext* c = avcodec_alloc_context3(codec);
  c->width = w;
  c->height = h;
  c->pix_fmt = AV_PIX_FMT_YUV420P;
  c->time_base = {1, 30};
  c->gop_size = gop;
  c->max_b_frames = bframes;
  c->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
  av_opt_set(c->priv_data, "preset", "veryfast", 0);
  av_opt_set(c->priv_data, "x264-params", bframes >= 2 ? "b-pyramid=normal" : "", 0);
  if (avcodec_open2(c, codec, nullptr) < 0) {
    avcodec_free_context(&c);
    return out;
  }
  auto cfg = detail::buildAvcDecoderConfig(c->extradata, size_t(c->extradata_size));
  auto vcfg = std::make_shared<demux::VideoConfig>();
  vcfg->avcc = *cfg;
  AVFrame* f = av_frame_alloc();
  f->format = c->pix_fmt;
  f->width = w;
  f->height = h;
  av_frame_get_buffer(f, 0);
  AVPacket* p = av_packet_alloc();
  auto drain = [&] {
    while (avcodec_receive_packet(c, p) == 0) {
      MediaPacket m;
      m.kind = MediaPacket::Kind::Video;
      m.dtsMs = p->dts * 1000 / 30;
      m.ptsMs = p->pts * 1000 / 30;
      m.keyframe = p->flags & AV_PKT_FLAG_KEY;
      m.data = detail::annexBToAvcc(p->data, size_t(p->size));
      m.videoConfig = vcfg;
      out.push_back(std::move(m));
      av_packet_unref(p);
    }
  };
  for (int i = 0; i < frames; ++i) {
    av_frame_make_writable(f);
    for (int y = 0; y < h; ++y) std::memset(f->data[0] + y * f->linesize[0], (i * 7 + y) & 0xff, size_t(w));
    std::memset(f->data[1], 128, size_t(f->linesize[1]) * size_t(h / 2));
    std::memset(f->data[2], 128, size_t(f->linesize[2]) * size_t(h / 2));
    f->pts = i;
    avcodec_send_frame(c, f);
    drain();
  }
  avcodec_send_frame(c, nullptr);
  drain();
  av_packet_free(&p);
  av_frame_free(&f);
  avcodec_free_context(&c);
  return out;
}

struct Seen {
  int opened = 0, first = 0, errors = 0;
  player::VideoStage::Listener listener() {
    return {[this] { ++opened; }, [this] { ++first; }, [this](const std::string&) { ++errors; }};
  }
};

}  // namespace

TEST(VideoStage, BFramesWithPyramidComeOutInPresentationOrder) {
  auto packets = encodeH264(90, 160, 96, 250, 3);
  OPENLIVE_NEED(!packets.empty(), "libavcodec has no libx264 encoder");
  bool reordered = false;
  for (auto& p : packets) reordered = reordered || p.ptsMs != p.dtsMs;
  ASSERT_TRUE(reordered) << "the test stream must have B-frames";
  jitter::JitterBuffer buf;
  for (auto& p : packets) buf.push(MediaPacket(p), 0);
  Seen seen;
  player::VideoStage stage(false, seen.listener());
  // The first picture: the keyframe's, after a few packets, not after the next keyframe.
  stage.fill(buf, INT64_MIN);
  ASSERT_FALSE(stage.empty());
  EXPECT_EQ(*stage.nextPts(), 0);
  EXPECT_GE(buf.count(MediaPacket::Kind::Video), packets.size() - 8) << "decoded only as far as reordering needs";
  EXPECT_EQ(seen.opened, 1);
  EXPECT_EQ(seen.first, 1);
  std::vector<int64_t> shown;
  for (int64_t now = 0; now <= 3000; now += 33) {
    stage.fill(buf, now + 50);
    if (buf.count(MediaPacket::Kind::Video) == 0) stage.drain();
    while (auto f = stage.takeDue(now)) shown.push_back(f->pts);
  }
  ASSERT_EQ(shown.size(), 90u);
  for (size_t i = 0; i < shown.size(); ++i) EXPECT_EQ(shown[i], int64_t(i) * 1000 / 30) << i;
  EXPECT_EQ(stage.drops(), 0u);
  EXPECT_EQ(seen.errors, 0);
}

TEST(VideoStage, StartsAtALaterKeyframeAndDrainsOnNewConfiguration) {
  auto a = encodeH264(60, 160, 96, 30, 2);
  auto b = encodeH264(30, 176, 144, 30, 2);  // another size: another configuration
  OPENLIVE_NEED(!a.empty() && !b.empty(), "libavcodec has no libx264 encoder");
  // Join mid-GOP: the buffer holds the stream from the second keyframe on.
  size_t secondKeyIndex = 0;
  for (size_t i = 1; i < a.size() && !secondKeyIndex; ++i)
    if (a[i].keyframe) secondKeyIndex = i;
  ASSERT_GT(secondKeyIndex, 0u);
  const int64_t secondKey = a[secondKeyIndex].ptsMs;
  jitter::JitterBuffer buf;
  for (size_t i = secondKeyIndex; i < a.size(); ++i) buf.push(MediaPacket(a[i]), 0);
  for (auto& p : b) {
    MediaPacket q(p);
    q.dtsMs += 2000;
    q.ptsMs += 2000;
    buf.push(std::move(q), 0);
  }
  ASSERT_EQ(buf.dropToFirstKeyframe(), std::optional<int64_t>(secondKey));
  int expectSmall = 0;
  for (auto& p : a) expectSmall += p.ptsMs >= secondKey;
  Seen seen;
  player::VideoStage stage(false, seen.listener());
  std::vector<std::pair<int64_t, int>> shown;  // pts, width
  for (int64_t now = secondKey; now <= 3500; now += 10) {
    stage.fill(buf, now + 50);
    if (buf.count(MediaPacket::Kind::Video) == 0) stage.drain();
    if (auto f = stage.takeDue(now)) shown.emplace_back(f->pts, f->width);
  }
  ASSERT_FALSE(shown.empty());
  EXPECT_EQ(shown.front().first, secondKey);
  int small = 0, large = 0;
  for (auto& [pts, w] : shown) (w == 160 ? small : large)++;
  EXPECT_EQ(small, expectSmall) << "every picture of the first configuration, including those the decoder held";
  EXPECT_EQ(large, 30);
  EXPECT_EQ(stage.drops(), 0u);
  EXPECT_EQ(seen.errors, 0);
}

// Pictures due at once (a render thread woken late, decodes slowed by many players decoding the same IDR, a
// decoder that held the pictures before an IDR, a clock that moved on) all come out, the oldest first, in both
// modes; only those more than kLateDropMs late are not shown.
TEST(VideoStage, ShowsLatePicturesInOrderAndSkipsTooLateOnes) {
  auto packets = encodeH264(12, 160, 96, 30, 0);  // pts 0, 33, 66, 100, ..., 366
  OPENLIVE_NEED(!packets.empty(), "libavcodec has no libx264 encoder");
  static_assert(player::VideoStage::kLateDropMs == 500);
  for (bool rtc : {true, false}) {
    SCOPED_TRACE(rtc ? "RTC" : "live");
    jitter::JitterBuffer buf;
    for (auto& p : packets) buf.push(MediaPacket(p), 0);
    Seen seen;
    player::VideoStage stage(rtc, seen.listener());
    stage.fill(buf, 1000);
    stage.drain();
    auto takeAll = [&](int64_t now) {
      std::vector<int64_t> shown;
      while (auto f = stage.takeDue(now)) shown.push_back(f->pts);
      return shown;
    };
    EXPECT_EQ(takeAll(40), (std::vector<int64_t>{0, 33}));
    EXPECT_EQ(stage.drops(), 0u);
    // 66 is 234 ms late at 300: still shown, then the others due, in order.
    EXPECT_EQ(takeAll(300), (std::vector<int64_t>{66, 100, 133, 166, 200, 233, 266, 300}));
    EXPECT_EQ(stage.drops(), 0u);
    // 333 is 517 ms late at 850: not shown; 366 (484 ms late) is.
    EXPECT_EQ(takeAll(850), (std::vector<int64_t>{366}));
    EXPECT_EQ(stage.drops(), 1u);
    EXPECT_EQ(seen.errors, 0);
  }
}

// RTC skip to the live edge: pictures before the new clock are not shown, whether decoded already or still in
// the decoder; the first picture at or after it ends the skip.
TEST(VideoStage, RtcHideBeforeSkipsPicturesDecodedBeforeAndAfter) {
  auto packets = encodeH264(12, 160, 96, 30, 0);  // pts 0, 33, ..., 366
  OPENLIVE_NEED(!packets.empty(), "libavcodec has no libx264 encoder");
  jitter::JitterBuffer buf;
  for (auto& p : packets) buf.push(MediaPacket(p), 0);
  Seen seen;
  player::VideoStage stage(true, seen.listener());
  stage.fill(buf, 40, 4);  // pts 0..100 out of the decoder, the rest still in the buffer
  stage.hideBefore(200);
  stage.fill(buf, 1000);
  stage.drain();
  std::vector<int64_t> shown;
  while (auto f = stage.takeDue(400)) shown.push_back(f->pts);
  EXPECT_EQ(shown, (std::vector<int64_t>{200, 233, 266, 300, 333, 366}));
  EXPECT_EQ(stage.drops(), 6u);
  EXPECT_EQ(seen.errors, 0);
}

// RTC (slice-threaded) decoding: when an IDR arrives, the pictures the decoder held for reordering come out at
// once (H.264's bumping), not a few pictures into the new GOP; every picture still comes out once, in order.
TEST(VideoStage, RtcOutputsThePicturesHeldForReorderingWhenAnIdrArrives) {
  auto packets = encodeH264(90, 160, 96, 30, 2);
  OPENLIVE_NEED(!packets.empty(), "libavcodec has no libx264 encoder");
  jitter::JitterBuffer buf;
  Seen seen;
  player::VideoStage stage(true, seen.listener());
  std::vector<int64_t> out;
  int idrsChecked = 0;
  for (size_t i = 0; i < packets.size(); ++i) {
    buf.push(MediaPacket(packets[i]), 0);
    stage.fill(buf, INT64_MAX, 1);
    while (auto f = stage.takeFirst()) out.push_back(f->pts);
    if (!packets[i].keyframe || i == 0) continue;
    ++idrsChecked;
    size_t before = 0;
    for (auto& p : packets) before += p.ptsMs < packets[i].ptsMs;
    size_t outBefore = 0;
    for (auto pts : out) outBefore += pts < packets[i].ptsMs;
    EXPECT_EQ(outBefore, before) << "pictures before the IDR at " << packets[i].ptsMs << " still held";
  }
  EXPECT_GE(idrsChecked, 2);
  stage.drain();
  while (auto f = stage.takeFirst()) out.push_back(f->pts);
  ASSERT_EQ(out.size(), 90u);
  for (size_t i = 0; i < out.size(); ++i) EXPECT_EQ(out[i], int64_t(i) * 1000 / 30) << i;
  EXPECT_EQ(seen.errors, 0);
}
