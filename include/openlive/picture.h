// OpenLive SDK - pictures from image files: an app's own I420 copy of a PNG, JPEG, BMP ... picture, to hand to
// LivePusher::sendCustomVideoFrame or to compose (openlive-mixer's picture inputs, `picture_id`).
#pragma once

#include <openlive/export.h>
#include <openlive/result.h>
#include <openlive/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace openlive {

// An I420 picture the app owns: three packed planes (no row padding), even width and height.
struct Picture {
  int width = 0, height = 0;
  std::vector<uint8_t> y, u, v;  // width x height, and (width / 2) x (height / 2) each
  bool empty() const { return width == 0; }
  // A view of the planes, valid while this Picture is neither changed nor destroyed.
  VideoFrame view(int64_t ptsMs = 0) const {
    VideoFrame f;
    f.width = width;
    f.height = height;
    f.planes[0] = y.data(), f.planes[1] = u.data(), f.planes[2] = v.data();
    f.strides[0] = width, f.strides[1] = f.strides[2] = width / 2;
    f.ptsMs = ptsMs;
    return f;
  }
};

// Decodes the first picture of an image file (anything FFmpeg's image decoders read: PNG, JPEG, BMP, GIF, ...)
// into `out`, at its own size rounded down to even numbers, or scaled to `width` x `height` when both are given
// (even, 2..8192). InvalidArgument for a bad size; BadPath when the file cannot be opened; Failed when it holds
// no picture that can be decoded (`message` says which file and why). `out` is left as it was on failure.
OPENLIVE_API Result loadPicture(const std::string& path, Picture* out, int width = 0, int height = 0);

}  // namespace openlive
