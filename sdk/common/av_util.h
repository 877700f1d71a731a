// Small FFmpeg helpers shared by the capture, encode, decode and transport stages (internal only).
#pragma once

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavutil/error.h>
#include <libavutil/mem.h>
}

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace openlive::detail {

// FFmpeg's text for an AVERROR code.
inline std::string averr(int e) {
  char buf[AV_ERROR_MAX_STRING_SIZE] = {};
  av_strerror(e, buf, sizeof buf);
  return buf;
}

// Gives a codec context (or a stream's AVCodecParameters) its own padded copy of `bytes` as extradata (avcC /
// AudioSpecificConfig).
template <class Holder>
inline bool setExtradata(Holder* ctx, const std::vector<uint8_t>& bytes) {
  ctx->extradata = static_cast<uint8_t*>(av_mallocz(bytes.size() + AV_INPUT_BUFFER_PADDING_SIZE));
  if (!ctx->extradata) return false;
  if (!bytes.empty()) std::memcpy(ctx->extradata, bytes.data(), bytes.size());
  ctx->extradata_size = static_cast<int>(bytes.size());
  return true;
}

}  // namespace openlive::detail
