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

enum class AudioCodec : uint8_t { Aac, Mp3 };

// AAC: from the sequence header (AudioSpecificConfig). MP3: from the FLV tag's sound flags (MP3 has no
// sequence header; the decoder reads the rest from each frame's header).
struct AudioConfig {
  AudioCodec codec = AudioCodec::Aac;
  std::vector<uint8_t> asc;  // AAC: decoder extradata; MP3: empty
  int objectType = 0;        // AAC audio object type (2 LC, 5 SBR, 29 PS)
  int sampleRate = 0;
  int channels = 0;
  bool sameAs(const AudioConfig& o) const {
    return codec == o.codec && asc == o.asc && sampleRate == o.sampleRate && channels == o.channels;
  }
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
