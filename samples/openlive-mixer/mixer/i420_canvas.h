// The compositor of openlive-mixer: planar I420 pictures and a bilinear scale-blit of a source rectangle into a
// window of the canvas (the SDK's own blits: no FFmpeg type crosses the public API the mixer is built on).
#pragma once

#include "mixer/mix_layout.h"

#include <openlive/types.h>

#include <cstdint>
#include <vector>

namespace openlive::mixer {

class I420Image {
 public:
  I420Image() = default;
  I420Image(int width, int height);
  int width() const { return width_; }
  int height() const { return height_; }
  bool empty() const { return width_ == 0; }
  // Copies a decoded picture (any even size); false for a picture without planes or an odd size.
  bool copyFrom(const VideoFrame& f);
  // A view for LivePusher::sendCustomVideoFrame; valid while this image is neither changed nor destroyed.
  VideoFrame view(int64_t ptsMs) const;
  void fill(const Rect& r, uint8_t y, uint8_t u, uint8_t v);
  // Scales `src`'s rectangle `from` into this image's rectangle `to` (bilinear). Both are clamped to their
  // images and aligned to even coordinates (4:2:0 chroma).
  void blit(const I420Image& src, Rect from, Rect to);
  // The luma and chroma at a pixel (tests, checks).
  uint8_t lumaAt(int x, int y) const { return y_[size_t(y) * size_t(width_) + size_t(x)]; }

 private:
  int width_ = 0, height_ = 0;
  std::vector<uint8_t> y_, u_, v_;
};

// The centre part of a w x h picture with the aspect ratio of a ww x wh window (aspect fill).
Rect centreCrop(int w, int h, int ww, int wh);

}  // namespace openlive::mixer
