// Process stage: scale any I420 picture to the encode size (libswscale, bilinear), mirror it horizontally when
// asked, and make the pause picture (a user image decoded with libavformat, or a generated "PAUSED" card).
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "common/picture.h"

struct SwsContext;

namespace openlive::detail {

class VideoProcessor {
 public:
  VideoProcessor(int outWidth, int outHeight);
  ~VideoProcessor();
  VideoProcessor(const VideoProcessor&) = delete;
  VideoProcessor& operator=(const VideoProcessor&) = delete;

  // Converts an I420 picture of any size into `out` (the output size). Returns false on a bad input.
  bool process(const PlaneView& in, bool mirror, I420Image& out);
  // True when process() would only copy `in` (the output size, no mirror): the caller may use `in` as it is.
  bool passesThrough(const PlaneView& in, bool mirror) const {
    return !mirror && in.valid() && in.width == outW_ && in.height == outH_;
  }

 private:
  int outW_, outH_;
  ::SwsContext* sws_ = nullptr;
  int swsInW_ = 0, swsInH_ = 0;
};

// Mirrors an I420 image horizontally in place.
void mirrorI420(I420Image& img);

// The picture shown while paused: `imagePath` decoded and scaled (when non-empty and readable), else a dark card
// with "PAUSED". `error` tells why an image could not be used.
I420Image makePauseCard(int width, int height, const std::string& imagePath, std::string* error);

}  // namespace openlive::detail
