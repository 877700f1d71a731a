// One compressed access unit leaving the encode stage.
#pragma once

#include <cstdint>
#include <vector>

namespace openlive::detail {

struct EncodedPacket {
  enum class Kind : uint8_t { Video, Audio };
  Kind kind = Kind::Video;
  std::vector<uint8_t> data;  // video: H.264 Annex B access unit; audio: one raw AAC frame
  int64_t ptsMs = 0;
  int64_t dtsMs = 0;
  bool keyframe = false;  // video IDR (audio frames count as key)
};

}  // namespace openlive::detail
