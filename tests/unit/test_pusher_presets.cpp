// Quality modes -> encode parameters, and the x264 settings they map to.
#include <gtest/gtest.h>
#include <openlive/live_pusher.h>

#include "encode/audio_encoder.h"
#include "encode/video_encoder.h"
#include "mux/flv_mux.h"
#include "pusher/push_params.h"

using namespace openlive;

TEST(PusherPresets, ModeTable) {
  struct Row {
    PushMode mode;
    int w, h, fps, target, min, max;
    bool lowLatency;
  };
  for (auto r : {Row{PushMode::SD, 640, 360, 15, 600, 300, 800, false}, Row{PushMode::HD, 960, 540, 24, 1000, 600, 1200, false},
                 Row{PushMode::FHD, 1280, 720, 30, 1500, 600, 1800, false},
                 Row{PushMode::RTC, 640, 360, 15, 700, 150, 1200, true}}) {
    PushConfig c;
    c.mode = r.mode;
    auto p = detail::resolveVideoParams(c);
    EXPECT_EQ(p.width, r.w) << toString(r.mode);
    EXPECT_EQ(p.height, r.h);
    EXPECT_EQ(p.fps, r.fps);
    EXPECT_EQ(p.bitrateKbps, r.target);
    EXPECT_EQ(p.minBitrateKbps, r.min);
    EXPECT_EQ(p.maxBitrateKbps, r.max);
    EXPECT_EQ(p.lowLatency, r.lowLatency);
    auto x = detail::x264SettingsFor(p);
    EXPECT_EQ(x.bframes, r.lowLatency ? 0 : 2);
    EXPECT_EQ(x.tune, r.lowLatency ? "zerolatency" : "");
    EXPECT_EQ(x.gopFrames, static_cast<int>(p.gopSeconds * p.fps));
  }
}

TEST(PusherPresets, OverridesAspectAndOrientation) {
  PushConfig c;
  c.mode = PushMode::HD;
  c.landscape = false;
  auto p = detail::resolveVideoParams(c);
  EXPECT_EQ(p.width, 540);
  EXPECT_EQ(p.height, 960);
  c.landscape = true;
  c.aspect = AspectRatio::R4x3;
  p = detail::resolveVideoParams(c);
  EXPECT_EQ(p.width, 720);
  EXPECT_EQ(p.height, 540);
  c.width = 320;
  c.height = 240;
  c.fps = 10;
  c.gopSeconds = 3;
  c.bitrateKbps = 5000;  // clamped into [min, max]
  p = detail::resolveVideoParams(c);
  EXPECT_EQ(p.width, 320);
  EXPECT_EQ(p.fps, 10);
  EXPECT_EQ(p.gopSeconds, 3);
  EXPECT_EQ(p.bitrateKbps, 1200);
  PushMode m;
  EXPECT_TRUE(parsePushMode("fhd", &m));
  EXPECT_EQ(m, PushMode::FHD);
  EXPECT_FALSE(parsePushMode("4K", &m));
}

TEST(PusherPresets, AacEncoderProducesFramesAndConfig) {
  detail::AudioEncoder enc;
  std::string err;
  ASSERT_TRUE(enc.open({16000, 1, 32}, &err)) << err;
  ASSERT_GE(enc.extradata().size(), 2u);  // FFmpeg's encoder may append a sync extension
  EXPECT_EQ(enc.extradata()[0], 0x14);     // AAC-LC, 16 kHz
  EXPECT_EQ(enc.extradata()[1] & 0xF8, 0x08);  // index low bit 0, 1 channel
  std::vector<int16_t> pcm(44100 * 2, 0);  // 1 s of stereo 44.1 kHz, resampled to 16 kHz mono
  std::vector<detail::EncodedPacket> out;
  ASSERT_TRUE(enc.encode(pcm.data(), 44100, 44100, 2, 500, out, &err)) << err;
  EXPECT_GE(out.size(), 13u);  // 16000 / 1024 = 15.6 frames, minus encoder delay
  EXPECT_EQ(out.front().ptsMs, 500);
  EXPECT_TRUE(detail::isSupportedInputSampleRate(44100));
  EXPECT_FALSE(detail::isSupportedInputSampleRate(12345));
}
