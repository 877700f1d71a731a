// The machine-readable capture time of the test pattern: exact round trip, rejection of damaged bands, and
// survival through real H.264 compression at the lowest preset bitrate.
#include <gtest/gtest.h>

#include "capture/test_pattern.h"
#include "capture/timecode.h"
#include "encode/video_encoder.h"

extern "C" {
#include <libavcodec/avcodec.h>
}

#include <cstring>

using namespace openlive::detail;

TEST(Timecode, RoundTripsAtSeveralSizes) {
  for (auto [w, h] : {std::pair{128, 72}, {320, 180}, {640, 360}, {1280, 720}, {1920, 1080}, {360, 640}}) {
    std::vector<uint8_t> y(static_cast<size_t>(w) * h, 90);
    const int64_t t = 1795305081544 + w;
    stampTimecode(y.data(), w, w, h, t);
    auto got = readTimecode(y.data(), w, w, h);
    ASSERT_TRUE(got.has_value()) << w << "x" << h;
    EXPECT_EQ(*got, t);
  }
}

TEST(Timecode, RejectsAbsentOrDamagedBand) {
  const int w = 640, h = 360;
  std::vector<uint8_t> y(static_cast<size_t>(w) * h, 128);
  EXPECT_FALSE(readTimecode(y.data(), w, w, h).has_value());
  stampTimecode(y.data(), w, w, h, 1700000000000);
  // Flip one data cell (bit 20): the CRC must catch it.
  const int cw = w / 32, ch = std::max(8, cw);
  for (int r = 0; r < ch; ++r)
    for (int c = 20 * cw; c < 21 * cw; ++c) y[static_cast<size_t>(r) * w + c] ^= 0xFF;
  EXPECT_FALSE(readTimecode(y.data(), w, w, h).has_value());
  EXPECT_FALSE(readTimecode(y.data(), w, 64, 16).has_value());  // too small to carry a band
}

TEST(Timecode, TestPatternCarriesItsCaptureTime) {
  TestPatternGenerator gen(640, 360);
  I420Image img;
  gen.render(42, 1795305081000, img);
  auto got = readTimecode(img.y.data(), img.width, img.width, img.height);
  ASSERT_TRUE(got);
  EXPECT_EQ(*got, 1795305081000);
}

// Encode the pattern with x264 at 300 kbps (the lowest preset minimum), decode with FFmpeg's H.264 decoder,
// read every frame's timecode back.
TEST(Timecode, SurvivesH264AtLowBitrate) {
  for (auto [w, h] : {std::pair{640, 360}, {320, 180}}) {
    VideoEncoderOptions o;
    o.params.width = w;
    o.params.height = h;
    o.params.fps = 15;
    o.params.gopSeconds = 2;
    o.params.bitrateKbps = 300;
    o.params.minBitrateKbps = 300;
    o.params.maxBitrateKbps = 300;
    o.params.lowLatency = true;
    VideoEncoder enc;
    std::string err;
    ASSERT_TRUE(enc.open(o, &err)) << err;

    const AVCodec* codec = avcodec_find_decoder(AV_CODEC_ID_H264);
    ASSERT_NE(codec, nullptr);
    AVCodecContext* dec = avcodec_alloc_context3(codec);
    ASSERT_EQ(avcodec_open2(dec, codec, nullptr), 0);
    AVPacket* pkt = av_packet_alloc();
    AVFrame* frame = av_frame_alloc();

    TestPatternGenerator gen(w, h);
    I420Image img;
    std::map<int64_t, int64_t> stampByPts;
    int decoded = 0, matched = 0;
    bool first = true;
    for (int i = 0; i < 45; ++i) {
      const int64_t wall = 1795305000000 + i * 67;
      gen.render(i, wall, img);
      const uint8_t* planes[3] = {img.y.data(), img.u.data(), img.v.data()};
      int strides[3] = {w, w / 2, w / 2};
      std::vector<EncodedPacket> out;
      ASSERT_TRUE(enc.encode(planes, strides, i * 67, false, out, &err)) << err;
      stampByPts[i * 67] = wall;
      for (auto& p : out) {
        std::vector<uint8_t> data;
        if (first) {  // Annex B SPS/PPS in front of the first access unit
          data = enc.extradata();
          first = false;
        }
        data.insert(data.end(), p.data.begin(), p.data.end());
        data.resize(data.size() + AV_INPUT_BUFFER_PADDING_SIZE);
        pkt->data = data.data();
        pkt->size = static_cast<int>(data.size() - AV_INPUT_BUFFER_PADDING_SIZE);
        pkt->pts = p.ptsMs;
        ASSERT_EQ(avcodec_send_packet(dec, pkt), 0);
        while (avcodec_receive_frame(dec, frame) == 0) {
          ++decoded;
          auto tc = readTimecode(frame->data[0], frame->linesize[0], frame->width, frame->height);
          if (tc && *tc == stampByPts[frame->pts]) ++matched;
          av_frame_unref(frame);
        }
      }
    }
    EXPECT_GE(decoded, 40) << w;
    EXPECT_EQ(matched, decoded) << w << "x" << h;
    av_frame_free(&frame);
    av_packet_free(&pkt);
    avcodec_free_context(&dec);
  }
}
