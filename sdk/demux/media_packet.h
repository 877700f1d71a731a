// Compressed media as it leaves the demuxer (demux stage) and waits in the jitter buffer.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

namespace openlive::demux {

// From the AVC sequence header (AVCDecoderConfigurationRecord).
struct VideoConfig {
  std::vector<uint8_t> avcc;  // the whole record: decoder extradata
  int nalLengthSize = 4;
  int profile = 0, level = 0;
};

// From the AAC sequence header (AudioSpecificConfig).
struct AudioConfig {
  std::vector<uint8_t> asc;  // decoder extradata
  int objectType = 0;
  int sampleRate = 0;
  int channels = 0;
};

struct MediaPacket {
  enum class Kind : uint8_t { Video, Audio };
  Kind kind = Kind::Video;
  int64_t dtsMs = 0;  // unwrapped (64-bit) media time
  int64_t ptsMs = 0;
  bool keyframe = false;
  std::vector<uint8_t> data;  // video: AVCC length-prefixed NALUs; audio: raw AAC frame
  std::shared_ptr<const VideoConfig> videoConfig;  // the config in force for this packet
  std::shared_ptr<const AudioConfig> audioConfig;
  std::optional<int64_t> captureTimeMs;  // pusher's capture clock (SEI), wall ms since the epoch
  bool isVideo() const { return kind == Kind::Video; }
};

}  // namespace openlive::demux
