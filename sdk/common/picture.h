// The one picture type of the SDK's push side and of snapshots: an owned I420 picture, and a borrowed view of
// any I420 picture (an app's frame, a decoder's output) for the stages that only read it.
#pragma once

#include <cstdint>
#include <vector>

namespace openlive::detail {

// Borrowed planes of a width x height I420 picture; valid as long as their owner keeps them.
struct PlaneView {
  const uint8_t* data[3] = {nullptr, nullptr, nullptr};
  int stride[3] = {0, 0, 0};
  int width = 0, height = 0;
  bool valid() const { return data[0] && data[1] && data[2] && width > 0 && height > 0; }
};

// An owned I420 picture (limited range, BT.601). Strides: width, (width + 1) / 2, (width + 1) / 2.
struct I420Image {
  int width = 0, height = 0;
  std::vector<uint8_t> y, u, v;
  void allocate(int w, int h);
  void fill(uint8_t Y, uint8_t U, uint8_t V);
  void copyFrom(const PlaneView& in);  // the same size as `in` (allocated when it differs)
  PlaneView view() const;
};

}  // namespace openlive::detail
