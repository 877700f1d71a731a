// Unit tests for the catch-up audio path (render stage): atempo keeps the pitch while shortening the audio,
// and the playback clock's speed / pause / re-anchor arithmetic.
#include "render/audio_tempo.h"
#include "render/clock.h"

#include <gtest/gtest.h>

#include <cmath>
#include <thread>

using namespace openlive;

namespace {
decode::PcmBlock tone(int64_t ptsMs, int frames, double freq, int rate, int64_t startSample) {
  decode::PcmBlock b;
  b.channels = 1;
  b.sampleRate = rate;
  b.ptsMs = ptsMs;
  b.samples.resize(size_t(frames));
  for (int i = 0; i < frames; ++i)
    b.samples[size_t(i)] = int16_t(12000 * std::sin(2 * M_PI * freq * double(startSample + i) / rate));
  return b;
}
double goertzel(const std::vector<int16_t>& x, double freq, int rate) {
  double k = 2 * std::cos(2 * M_PI * freq / rate), s1 = 0, s2 = 0, e = 0;
  for (int16_t v : x) {
    double s0 = v / 32768.0 + k * s1 - s2;
    s2 = s1;
    s1 = s0;
    e += (v / 32768.0) * (v / 32768.0);
  }
  return (s1 * s1 + s2 * s2 - k * s1 * s2) / (e * double(x.size()) / 2);
}
}  // namespace

TEST(AudioTempo, FasterPlaybackKeepsPitch) {
  render::AudioTempo t;
  std::vector<int16_t> out;
  const int rate = 48000, block = 1024;
  for (int i = 0; i < 94; ++i) {  // ~2 s
    for (auto& b : t.process(tone(i * block * 1000 / rate, block, 1000, rate, int64_t(i) * block), 1.25))
      out.insert(out.end(), b.samples.begin(), b.samples.end());
  }
  double in = 94.0 * block;
  EXPECT_NEAR(double(out.size()) / in, 0.8, 0.05);  // 1.25x faster: 80 % of the samples
  std::vector<int16_t> mid(out.begin() + 4800, out.begin() + 4800 + 24000);
  EXPECT_GT(goertzel(mid, 1000, rate), 0.8);  // still a 1 kHz tone (pitch kept)
  EXPECT_LT(goertzel(mid, 1250, rate), 0.05);
}

TEST(AudioTempo, NormalSpeedPassesThrough) {
  render::AudioTempo t;
  auto in = tone(40, 1024, 1000, 48000, 0);
  auto out = t.process(in, 1.0);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].samples, in.samples);
  EXPECT_EQ(out[0].ptsMs, 40);
}

TEST(PlaybackClock, SpeedPauseAndAnchor) {
  render::PlaybackClock c;
  EXPECT_FALSE(c.valid());
  c.set(1000);
  EXPECT_EQ(c.now(), 1000);  // not running: frozen
  const auto started = std::chrono::steady_clock::now();
  c.setRunning(true);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));  // scenario: let 50 ms pass
  int64_t a = c.now();
  const auto ranMs =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
  EXPECT_GE(a, 1045);
  EXPECT_LE(a, 1000 + ranMs + 1) << "the clock ran faster than the wall clock";
  c.setSpeed(1.25);
  auto t0 = render::PlaybackClock::SteadyClock::now();
  int64_t b = c.nowAt(t0 + std::chrono::milliseconds(400));
  EXPECT_NEAR(double(b - c.nowAt(t0)), 500, 2);
  c.setRunning(false);
  int64_t frozen = c.now();
  std::this_thread::sleep_for(std::chrono::milliseconds(20));  // scenario: 20 ms in which it must not move
  EXPECT_EQ(c.now(), frozen);
}
