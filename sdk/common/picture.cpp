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
