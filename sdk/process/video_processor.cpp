#include "process/video_processor.h"

#include "capture/test_pattern.h"
#include "process/image_file.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libswscale/swscale.h>
}

#include <algorithm>
#include <cstring>

namespace openlive::detail {

VideoProcessor::VideoProcessor(int outWidth, int outHeight) : outW_(outWidth), outH_(outHeight) {}
VideoProcessor::~VideoProcessor() { sws_freeContext(sws_); }

bool VideoProcessor::process(const PlaneView& in, bool mirror, I420Image& out) {
  if (!in.valid()) return false;
  const uint8_t* const* planes = in.data;
  const int* strides = in.stride;
  const int inW = in.width, inH = in.height;
  if (out.width != outW_ || out.height != outH_) out.allocate(outW_, outH_);
  if (inW == outW_ && inH == outH_) {
    out.copyFrom(in);
  } else {
    if (!sws_ || swsInW_ != inW || swsInH_ != inH) {
      sws_freeContext(sws_);
      sws_ = sws_getContext(inW, inH, AV_PIX_FMT_YUV420P, outW_, outH_, AV_PIX_FMT_YUV420P, SWS_BILINEAR, nullptr,
                            nullptr, nullptr);
      swsInW_ = inW;
      swsInH_ = inH;
      if (!sws_) return false;
    }
    uint8_t* dst[3] = {out.y.data(), out.u.data(), out.v.data()};
    int dstStride[3] = {outW_, outW_ / 2, outW_ / 2};
    sws_scale(sws_, planes, strides, 0, inH, dst, dstStride);
  }
  if (mirror) mirrorI420(out);
  return true;
}

void mirrorI420(I420Image& img) {
  auto flip = [](uint8_t* p, int w, int h) {
    for (int r = 0; r < h; ++r) std::reverse(p + static_cast<ptrdiff_t>(r) * w, p + static_cast<ptrdiff_t>(r) * w + w);
  };
  flip(img.y.data(), img.width, img.height);
  flip(img.u.data(), img.width / 2, img.height / 2);
  flip(img.v.data(), img.width / 2, img.height / 2);
}


I420Image makePauseCard(int width, int height, const std::string& imagePath, std::string* error) {
  I420Image img;
  if (!imagePath.empty() && decodeImageFile(imagePath, width, height, img, error)) return img;
  img.allocate(width, height);
  img.fill(32, 128, 128);
  const int scale = std::max(2, height / 20);
  const int textW = 6 * 4 * scale;
  drawText(img.y.data(), width, width, height, (width - textW) / 2, (height - 5 * scale) / 2, scale, "PAUSED", 220);
  return img;
}

}  // namespace openlive::detail
