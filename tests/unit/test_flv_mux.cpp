// FLV/AMF0/AVC/AAC/SEI byte formats, checked against independent parsers (librtmp's AMF decoder, FFmpeg's
// H.264 decoder) or against the specification's bit layout.
#include <gtest/gtest.h>

#include "common/sei_uuids.h"
#include "encode/video_encoder.h"
#include "capture/test_pattern.h"
#include "mux/flv_mux.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <librtmp/amf.h>
}

#include <cstring>

using namespace openlive::detail;

namespace {
// Test-side SEI parser: strips emulation prevention, walks the sei_message()s.
std::vector<std::pair<int, Bytes>> parseSei(const uint8_t* nal, size_t n) {
  Bytes rbsp;
  int zeros = 0;
  for (size_t i = 1; i < n; ++i) {
    if (zeros >= 2 && nal[i] == 3) {
      zeros = 0;
      continue;
    }
    rbsp.push_back(nal[i]);
    zeros = nal[i] == 0 ? zeros + 1 : 0;
  }
  std::vector<std::pair<int, Bytes>> out;
  size_t i = 0;
  while (i < rbsp.size() && rbsp[i] != 0x80) {
    int type = 0, size = 0;
    while (rbsp[i] == 0xFF) type += rbsp[i++];
    type += rbsp[i++];
    while (rbsp[i] == 0xFF) size += rbsp[i++];
    size += rbsp[i++];
    if (i + size > rbsp.size()) break;
    out.emplace_back(type, Bytes(rbsp.begin() + i, rbsp.begin() + i + size));
    i += size;
  }
  return out;
}
}  // namespace

TEST(FlvMux, MetadataIsSetDataFrameOnMetaDataEcmaArray) {
  StreamMetadata m;
  m.width = 640;
  m.height = 360;
  m.fps = 15;
  m.videoKbps = 700;
  m.audioKbps = 64;
  m.audioSampleRate = 48000;
  m.audioChannels = 1;
  Bytes b = buildMetadataBody(m);
  AMFObject obj;
  ASSERT_GE(AMF_Decode(&obj, reinterpret_cast<const char*>(b.data()), static_cast<int>(b.size()), FALSE), 0);
  ASSERT_EQ(AMF_CountProp(&obj), 3);
  AVal s;
  AMFProp_GetString(AMF_GetProp(&obj, nullptr, 0), &s);
  EXPECT_EQ(std::string(s.av_val, s.av_len), "@setDataFrame");
  AMFProp_GetString(AMF_GetProp(&obj, nullptr, 1), &s);
  EXPECT_EQ(std::string(s.av_val, s.av_len), "onMetaData");
  AMFObjectProperty* arrProp = AMF_GetProp(&obj, nullptr, 2);
  ASSERT_EQ(AMFProp_GetType(arrProp), AMF_ECMA_ARRAY);
  AMFObject arr = arrProp->p_vu.p_object;  // librtmp's AMFProp_GetObject only hands out AMF_OBJECT
  auto num = [&](const char* k) {
    AVal key{const_cast<char*>(k), static_cast<int>(std::strlen(k))};
    return AMFProp_GetNumber(AMF_GetProp(&arr, &key, -1));
  };
  EXPECT_EQ(num("width"), 640);
  EXPECT_EQ(num("height"), 360);
  EXPECT_EQ(num("framerate"), 15);
  EXPECT_EQ(num("videocodecid"), 7);
  EXPECT_EQ(num("audiocodecid"), 10);
  EXPECT_EQ(num("audiosamplerate"), 48000);
  AMF_Reset(&obj);
  EXPECT_EQ(Bytes(b.end() - 3, b.end()), (Bytes{0, 0, 9}));
}

TEST(FlvMux, SplitsAnnexBAndConvertsToAvcc) {
  const Bytes annexB = {0, 0, 0, 1, 0x09, 0xF0,            // AUD (dropped)
                        0, 0, 0, 1, 0x67, 1, 2, 3,         // SPS
                        0, 0, 1, 0x68, 4, 5,               // PPS, 3-byte start code
                        0, 0, 1, 0x65, 0, 0, 3, 1, 9, 0};  // IDR with an emulation-prevented 00 00 03 01, trailing zero
  auto nals = splitAnnexB(annexB.data(), annexB.size());
  ASSERT_EQ(nals.size(), 4u);
  EXPECT_EQ(nals[1].second, 4u);
  EXPECT_EQ(nals[3].second, 6u);  // trailing zero stripped
  Bytes avcc = annexBToAvcc(annexB.data(), annexB.size());
  EXPECT_EQ(avcc, (Bytes{0, 0, 0, 4, 0x67, 1, 2, 3, 0, 0, 0, 3, 0x68, 4, 5, 0, 0, 0, 6, 0x65, 0, 0, 3, 1, 9}));
}

TEST(FlvMux, TagBodyHeaders) {
  Bytes avcc{0, 0, 0, 1, 0x65};
  Bytes key = videoFrameBody(avcc, true, 66);
  EXPECT_EQ(Bytes(key.begin(), key.begin() + 5), (Bytes{0x17, 0x01, 0x00, 0x00, 66}));
  Bytes inter = videoFrameBody(avcc, false, -33);  // 24-bit two's complement
  EXPECT_EQ(Bytes(inter.begin(), inter.begin() + 5), (Bytes{0x27, 0x01, 0xFF, 0xFF, 0xDF}));
  Bytes seq = videoSequenceHeaderBody({1, 2, 3});
  EXPECT_EQ(seq, (Bytes{0x17, 0x00, 0, 0, 0, 1, 2, 3}));
  uint8_t raw[] = {0x21, 0x10};
  EXPECT_EQ(audioFrameBody(raw, 2), (Bytes{0xAF, 0x01, 0x21, 0x10}));
  EXPECT_EQ(audioSequenceHeaderBody({0x11, 0x88}), (Bytes{0xAF, 0x00, 0x11, 0x88}));
}

TEST(FlvMux, AudioSpecificConfig) {
  EXPECT_EQ(makeAudioSpecificConfig(48000, 1), (Bytes{0x11, 0x88}));
  EXPECT_EQ(makeAudioSpecificConfig(44100, 2), (Bytes{0x12, 0x10}));
  EXPECT_EQ(makeAudioSpecificConfig(16000, 1), (Bytes{0x14, 0x08}));
}

TEST(FlvMux, SeiUserDataRoundTripsWithEmulationPrevention) {
  Bytes data = {0, 0, 1, 0, 0, 0, 0, 2, 'h', 'i'};
  data.resize(300, 0);  // payload size >= 255 needs the 0xFF size extension
  Bytes nal = buildSeiUserDataNal(kSeiUuidAppMessage, data.data(), data.size());
  EXPECT_EQ(nal[0], 0x06);
  for (size_t i = 2; i < nal.size(); ++i)  // no start code emulation survives
    EXPECT_FALSE(nal[i - 2] == 0 && nal[i - 1] == 0 && nal[i] <= 2) << i;
  auto msgs = parseSei(nal.data(), nal.size());
  ASSERT_EQ(msgs.size(), 1u);
  EXPECT_EQ(msgs[0].first, 5);
  ASSERT_EQ(msgs[0].second.size(), 16 + data.size());
  EXPECT_TRUE(std::equal(kSeiUuidAppMessage.begin(), kSeiUuidAppMessage.end(), msgs[0].second.begin()));
  EXPECT_EQ(Bytes(msgs[0].second.begin() + 16, msgs[0].second.end()), data);

  Bytes clock = captureTimePayload(0x0102030405060708LL);
  EXPECT_EQ(clock, (Bytes{1, 2, 3, 4, 5, 6, 7, 8}));
}

// The AVCDecoderConfigurationRecord built from x264's extradata, plus AVCC frames with an SEI in front,
// must be decodable by FFmpeg's H.264 decoder (an independent consumer of both formats).
TEST(FlvMux, AvcConfigAndAvccFramesDecodeWithFfmpeg) {
  VideoEncoderOptions o;
  o.params = {320, 180, 15, 1.0, 300, 150, 400, true};
  VideoEncoder enc;
  std::string err;
  ASSERT_TRUE(enc.open(o, &err)) << err;
  auto cfg = buildAvcDecoderConfig(enc.extradata().data(), enc.extradata().size());
  ASSERT_TRUE(cfg);
  ASSERT_GE(cfg->size(), 11u);
  EXPECT_EQ((*cfg)[0], 1);
  EXPECT_EQ((*cfg)[4], 0xFF);
  EXPECT_EQ((*cfg)[5], 0xE1);
  auto nals = splitAnnexB(enc.extradata().data(), enc.extradata().size());
  EXPECT_EQ((*cfg)[1], nals[0].first[1]);  // profile_idc copied from the SPS

  const AVCodec* codec = avcodec_find_decoder(AV_CODEC_ID_H264);
  AVCodecContext* dec = avcodec_alloc_context3(codec);
  dec->extradata = static_cast<uint8_t*>(av_mallocz(cfg->size() + AV_INPUT_BUFFER_PADDING_SIZE));
  std::memcpy(dec->extradata, cfg->data(), cfg->size());
  dec->extradata_size = static_cast<int>(cfg->size());
  ASSERT_EQ(avcodec_open2(dec, codec, nullptr), 0);
  AVPacket* pkt = av_packet_alloc();
  AVFrame* frame = av_frame_alloc();
  TestPatternGenerator gen(320, 180);
  I420Image img;
  int decoded = 0;
  for (int i = 0; i < 10; ++i) {
    gen.render(i, 0, img);
    const uint8_t* planes[3] = {img.y.data(), img.u.data(), img.v.data()};
    int strides[3] = {320, 160, 160};
    std::vector<EncodedPacket> out;
    ASSERT_TRUE(enc.encode(planes, strides, i * 66, false, out, &err));
    for (auto& p : out) {
      Bytes avcc = annexBToAvcc(p.data.data(), p.data.size());
      const char msg[] = "hello";
      prependNal(avcc, buildSeiUserDataNal(kSeiUuidAppMessage, reinterpret_cast<const uint8_t*>(msg), 5));
      avcc.resize(avcc.size() + AV_INPUT_BUFFER_PADDING_SIZE);
      pkt->data = avcc.data();
      pkt->size = static_cast<int>(avcc.size() - AV_INPUT_BUFFER_PADDING_SIZE);
      ASSERT_EQ(avcodec_send_packet(dec, pkt), 0);
      while (avcodec_receive_frame(dec, frame) == 0) {
        ++decoded;
        EXPECT_EQ(frame->width, 320);
        av_frame_unref(frame);
      }
    }
  }
  EXPECT_EQ(decoded, 10);
  av_frame_free(&frame);
  av_packet_free(&pkt);
  avcodec_free_context(&dec);
}
