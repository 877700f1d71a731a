// openlive-mixer's compositor (I420 scale-blits into windows) and its per-input sound FIFO (conversion to
// 48 kHz stereo, prefill, bounded by dropping the oldest).
#include "mixer/i420_canvas.h"
#include "mixer/pcm_fifo.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

using openlive::AudioFrame;
using openlive::VideoFrame;
using openlive::mixer::centreCrop;
using openlive::mixer::PcmFifo;
using MixImage = openlive::mixer::I420Image;  // not the SDK's internal openlive::I420Image
using MixRect = openlive::mixer::Rect;

namespace {

// A w x h picture whose luma is `left` in its left half and `right` in its right half; chroma u / v.
struct Picture {
  int w, h;
  std::vector<uint8_t> y, u, v;
  Picture(int w_, int h_, uint8_t left, uint8_t right, uint8_t cu, uint8_t cv)
      : w(w_), h(h_), y(size_t(w_ * h_)), u(size_t(w_ * h_ / 4), cu), v(size_t(w_ * h_ / 4), cv) {
    for (int r = 0; r < h; ++r)
      for (int c = 0; c < w; ++c) y[size_t(r * w + c)] = c < w / 2 ? left : right;
  }
  VideoFrame frame() const {
    VideoFrame f;
    f.width = w;
    f.height = h;
    f.planes[0] = y.data();
    f.planes[1] = u.data();
    f.planes[2] = v.data();
    f.strides[0] = w;
    f.strides[1] = f.strides[2] = w / 2;
    return f;
  }
};

}  // namespace

TEST(MixerCanvas, BlitScalesIntoTheWindowOnly) {
  Picture p(320, 480, 200, 60, 90, 160);
  MixImage src;
  ASSERT_TRUE(src.copyFrom(p.frame()));
  MixImage canvas(540, 960);
  canvas.fill({0, 0, 540, 960}, 16, 128, 128);
  canvas.blit(src, {0, 0, 320, 480}, {380, 630, 160, 240});
  EXPECT_EQ(canvas.lumaAt(100, 100), 16) << "outside the window";
  EXPECT_EQ(canvas.lumaAt(379, 700), 16);
  EXPECT_EQ(canvas.lumaAt(400, 700), 200) << "left half of the source";
  EXPECT_EQ(canvas.lumaAt(520, 700), 60) << "right half of the source";
  EXPECT_EQ(canvas.lumaAt(460, 629), 16);
  EXPECT_EQ(canvas.lumaAt(400, 869), 200) << "last row of the window";
  EXPECT_EQ(canvas.lumaAt(400, 870), 16) << "below the window";
  const VideoFrame out = canvas.view(0);
  EXPECT_EQ(out.planes[1][size_t((700 / 2) * (540 / 2) + 400 / 2)], 90);
  EXPECT_EQ(out.planes[2][size_t((700 / 2) * (540 / 2) + 400 / 2)], 160);
  EXPECT_EQ(out.planes[1][size_t((100 / 2) * (540 / 2) + 100 / 2)], 128);
}

TEST(MixerCanvas, CentreCropKeepsTheWindowAspect) {
  EXPECT_EQ(centreCrop(640, 360, 160, 240), (MixRect{200, 0, 240, 360}));  // landscape into portrait
  EXPECT_EQ(centreCrop(320, 480, 160, 240), (MixRect{0, 0, 320, 480}));    // same aspect
  EXPECT_EQ(centreCrop(360, 640, 426, 426), (MixRect{0, 140, 360, 360}));  // square crop
  // A landscape picture cropped into a portrait window shows its middle: the left and right halves' edge.
  Picture p(640, 360, 220, 40, 128, 128);
  MixImage src;
  ASSERT_TRUE(src.copyFrom(p.frame()));
  MixImage canvas(160, 240);
  canvas.blit(src, centreCrop(640, 360, 160, 240), {0, 0, 160, 240});
  EXPECT_EQ(canvas.lumaAt(10, 120), 220);
  EXPECT_EQ(canvas.lumaAt(150, 120), 40);
}

TEST(MixerCanvas, RejectsPicturesItCannotCopy) {
  MixImage img;
  VideoFrame f;
  EXPECT_FALSE(img.copyFrom(f));
  Picture odd(322, 480, 1, 1, 128, 128);
  VideoFrame of = odd.frame();
  of.width = 321;
  EXPECT_FALSE(img.copyFrom(of));
  EXPECT_TRUE(img.empty());
}

TEST(MixerPcmFifo, ConvertsRateAndChannelsAndPrefills) {
  PcmFifo fifo;
  // 100 ms of a 441 Hz mono sine at 44.1 kHz, in AAC-sized blocks.
  std::vector<int16_t> mono(4410);
  for (size_t i = 0; i < mono.size(); ++i) mono[i] = int16_t(10000 * std::sin(2 * M_PI * 441.0 * double(i) / 44100));
  std::vector<int32_t> acc(960 * 2);
  for (size_t off = 0; off < mono.size(); off += 1024) {
    AudioFrame f;
    f.samples = mono.data() + off;
    f.frames = int(std::min<size_t>(1024, mono.size() - off));
    f.channels = 1;
    f.sampleRate = 44100;
    fifo.push(f);
    if (off == 0) {
      EXPECT_EQ(fifo.mixInto(acc.data(), 960), 0) << "under the prefill: nothing taken yet";
    }
  }
  EXPECT_NEAR(double(fifo.queuedFrames()), 4800.0, 3.0) << "100 ms at 48 kHz";
  ASSERT_EQ(fifo.mixInto(acc.data(), 960), 960);
  // Stereo from mono, and the sine survives the conversion: 441 Hz at 48 kHz, sample k = sin(2 pi 441 k/48000).
  for (int k = 0; k < 960; k += 97) {
    EXPECT_EQ(acc[size_t(2 * k)], acc[size_t(2 * k + 1)]);
    EXPECT_NEAR(acc[size_t(2 * k)], 10000 * std::sin(2 * M_PI * 441.0 * k / 48000), 150) << k;
  }
}

TEST(MixerPcmFifo, BoundedByDroppingTheOldestAndRunsDryToSilence) {
  PcmFifo fifo;
  std::vector<int16_t> block(480 * 2, 1000);
  AudioFrame f;
  f.samples = block.data();
  f.frames = 480;
  f.channels = 2;
  f.sampleRate = 48000;
  for (int i = 0; i < 60; ++i) fifo.push(f);  // 600 ms into a 500 ms FIFO
  EXPECT_EQ(fifo.queuedFrames(), size_t(48000 * PcmFifo::kCapacityMs / 1000));
  EXPECT_EQ(fifo.dropped(), 4800u);
  std::vector<int32_t> acc(48000 * 2);
  EXPECT_EQ(fifo.mixInto(acc.data(), 48000), 24000) << "what is there, then silence";
  EXPECT_EQ(acc[0], 1000);
  EXPECT_EQ(acc[2 * 30000], 0);
  fifo.push(f);
  EXPECT_EQ(fifo.mixInto(acc.data(), 480), 0) << "ran dry: prefill again before taking";
}
