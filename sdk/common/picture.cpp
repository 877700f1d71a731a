#include "common/picture.h"

#include <algorithm>

namespace openlive::detail {

void I420Image::allocate(int w, int h) {
  width = w;
  height = h;
  y.resize(static_cast<size_t>(w) * h);
  u.resize(static_cast<size_t>((w + 1) / 2) * ((h + 1) / 2));
  v.resize(u.size());
}

void I420Image::fill(uint8_t Y, uint8_t U, uint8_t V) {
  std::fill(y.begin(), y.end(), Y);
  std::fill(u.begin(), u.end(), U);
  std::fill(v.begin(), v.end(), V);
}

void I420Image::copyFrom(const PlaneView& in) {
  if (width != in.width || height != in.height) allocate(in.width, in.height);
  uint8_t* dst[3] = {y.data(), u.data(), v.data()};
  for (int p = 0; p < 3; ++p) {
    const int w = p ? (width + 1) / 2 : width, h = p ? (height + 1) / 2 : height;  // also the plane's stride
    for (int r = 0; r < h; ++r)
      std::copy_n(in.data[p] + static_cast<ptrdiff_t>(r) * in.stride[p], w, dst[p] + static_cast<ptrdiff_t>(r) * w);
  }
}

PlaneView I420Image::view() const {
  PlaneView p;
  p.data[0] = y.data();
  p.data[1] = u.data();
  p.data[2] = v.data();
  p.stride[0] = width;
  p.stride[1] = p.stride[2] = (width + 1) / 2;
  p.width = width;
  p.height = height;
  return p;
}

}  // namespace openlive::detail
