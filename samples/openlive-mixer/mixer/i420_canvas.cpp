#include "mixer/i420_canvas.h"

#include <algorithm>
#include <cstring>

namespace openlive::mixer {

namespace {

struct PlaneView {
  const uint8_t* data;
  int stride, width, height;
};

Rect clampEven(Rect r, int w, int h) {
  r.x = std::clamp(r.x, 0, w) & ~1;
  r.y = std::clamp(r.y, 0, h) & ~1;
  r.width = std::min(r.width, w - r.x) & ~1;
  r.height = std::min(r.height, h - r.y) & ~1;
  return r;
}

// Bilinear scale of `src`'s rectangle `from` into `dst` (stride `dstStride`) at rectangle `to`, 16.16 fixed point.
void scalePlane(const PlaneView& src, Rect from, uint8_t* dst, int dstStride, Rect to) {
  if (from.width <= 0 || from.height <= 0 || to.width <= 0 || to.height <= 0) return;
  if (from.width == to.width && from.height == to.height) {  // same size: a copy (the anchor on its own canvas)
    for (int y = 0; y < to.height; ++y)
      std::memcpy(dst + size_t(to.y + y) * size_t(dstStride) + size_t(to.x),
                  src.data + size_t(from.y + y) * size_t(src.stride) + size_t(from.x), size_t(to.width));
    return;
  }
  const int64_t stepX = (int64_t(from.width) << 16) / to.width, stepY = (int64_t(from.height) << 16) / to.height;
  const int maxX = from.x + from.width - 1, maxY = from.y + from.height - 1;
  // Per output column: the two source columns and the weight of the second (0..256), computed once.
  std::vector<int> xa(size_t(to.width)), xb(size_t(to.width)), wx(size_t(to.width));
  for (int x = 0; x < to.width; ++x) {
    const int64_t sx = std::max<int64_t>(0, (int64_t(from.x) << 16) + x * stepX + stepX / 2 - (1 << 15));
    xa[size_t(x)] = std::min(int(sx >> 16), maxX);
    xb[size_t(x)] = std::min(xa[size_t(x)] + 1, maxX);
    wx[size_t(x)] = int(sx & 0xffff) >> 8;
  }
  std::vector<uint16_t> row(size_t(src.width));  // the vertical blend of two source rows, x 256
  for (int y = 0; y < to.height; ++y) {
    const int64_t sy = std::max<int64_t>(0, (int64_t(from.y) << 16) + y * stepY + stepY / 2 - (1 << 15));
    const int ya = std::min(int(sy >> 16), maxY), yb = std::min(ya + 1, maxY), wy = int(sy & 0xffff) >> 8;
    const uint8_t* ra = src.data + size_t(ya) * size_t(src.stride);
    const uint8_t* rb = src.data + size_t(yb) * size_t(src.stride);
    for (int x = from.x; x <= maxX; ++x) row[size_t(x)] = uint16_t(ra[x] * (256 - wy) + rb[x] * wy);
    uint8_t* out = dst + size_t(to.y + y) * size_t(dstStride) + size_t(to.x);
    for (int x = 0; x < to.width; ++x) {
      const int w = wx[size_t(x)];
      out[x] = uint8_t((row[size_t(xa[size_t(x)])] * (256 - w) + row[size_t(xb[size_t(x)])] * w + (1 << 15)) >> 16);
    }
  }
}

Rect half(const Rect& r) { return {r.x / 2, r.y / 2, r.width / 2, r.height / 2}; }

}  // namespace

I420Image::I420Image(int width, int height)
    : width_(width & ~1),
      height_(height & ~1),
      y_(size_t(width_) * size_t(height_), 16),
      u_(size_t(width_ / 2) * size_t(height_ / 2), 128),
      v_(size_t(width_ / 2) * size_t(height_ / 2), 128) {}

bool I420Image::copyFrom(const VideoFrame& f) {
  if (!f.planes[0] || !f.planes[1] || !f.planes[2] || f.width <= 0 || f.height <= 0 || (f.width | f.height) & 1)
    return false;
  if (f.width != width_ || f.height != height_) *this = I420Image(f.width, f.height);
  const int cw = width_ / 2, ch = height_ / 2;
  for (int y = 0; y < height_; ++y)
    std::memcpy(&y_[size_t(y) * size_t(width_)], f.planes[0] + size_t(y) * size_t(f.strides[0]), size_t(width_));
  for (int y = 0; y < ch; ++y) {
    std::memcpy(&u_[size_t(y) * size_t(cw)], f.planes[1] + size_t(y) * size_t(f.strides[1]), size_t(cw));
    std::memcpy(&v_[size_t(y) * size_t(cw)], f.planes[2] + size_t(y) * size_t(f.strides[2]), size_t(cw));
  }
  return true;
}

VideoFrame I420Image::view(int64_t ptsMs) const {
  VideoFrame f;
  f.width = width_;
  f.height = height_;
  f.planes[0] = y_.data();
  f.planes[1] = u_.data();
  f.planes[2] = v_.data();
  f.strides[0] = width_;
  f.strides[1] = f.strides[2] = width_ / 2;
  f.ptsMs = ptsMs;
  return f;
}

void I420Image::fill(const Rect& r0, uint8_t y, uint8_t u, uint8_t v) {
  const Rect r = clampEven(r0, width_, height_);
  for (int row = 0; row < r.height; ++row)
    std::memset(&y_[size_t(r.y + row) * size_t(width_) + size_t(r.x)], y, size_t(r.width));
  const Rect c = half(r);
  for (int row = 0; row < c.height; ++row) {
    std::memset(&u_[size_t(c.y + row) * size_t(width_ / 2) + size_t(c.x)], u, size_t(c.width));
    std::memset(&v_[size_t(c.y + row) * size_t(width_ / 2) + size_t(c.x)], v, size_t(c.width));
  }
}

void I420Image::blit(const I420Image& src, Rect from, Rect to) {
  from = clampEven(from, src.width_, src.height_);
  to = clampEven(to, width_, height_);
  scalePlane({src.y_.data(), src.width_, src.width_, src.height_}, from, y_.data(), width_, to);
  const int scw = src.width_ / 2, sch = src.height_ / 2;
  scalePlane({src.u_.data(), scw, scw, sch}, half(from), u_.data(), width_ / 2, half(to));
  scalePlane({src.v_.data(), scw, scw, sch}, half(from), v_.data(), width_ / 2, half(to));
}

Rect centreCrop(int w, int h, int ww, int wh) {
  if (ww <= 0 || wh <= 0 || w <= 0 || h <= 0) return {0, 0, w, h};
  // Wider than the window: keep the full height; taller: keep the full width.
  if (int64_t(w) * wh > int64_t(h) * ww) {
    const int cw = int(int64_t(h) * ww / wh);
    return {(w - cw) / 2, 0, cw, h};
  }
  const int chh = int(int64_t(w) * wh / ww);
  return {0, (h - chh) / 2, w, chh};
}

}  // namespace openlive::mixer
