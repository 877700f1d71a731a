// FLV tag -> media packets (demux stage). One path for RTMP messages and HTTP-FLV tags.
//
// Handles onMetaData (AMF0), the AVC sequence header (AVCDecoderConfigurationRecord), the AAC
// AudioSpecificConfig, MP3 (sound formats 2 and 14: configured from the tag's sound flags), 32-bit timestamp
// unwrap per track, composition time, and SEI user data (app messages and the pusher's capture clock,
// sdk/common/sei_uuids.h). Packets before their track's sequence header are dropped (counted).
// Track problems are reported once per track and connection through onTrackProblem: a codec the SDK cannot
// decode (Speex, Nellymoser, G.711, PCM, VP6, HEVC ...: the track is ignored, the other one plays on), or a
// sequence header that never comes (kMissingConfigPackets packets of the track dropped for want of one).
#pragma once

#include "demux/amf0.h"
#include "demux/media_packet.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace openlive::demux {

// 32-bit millisecond timestamps -> monotonic-ish 64-bit ones (wrap at 2^32; small backward steps kept).
class TimestampUnwrapper {
 public:
  int64_t unwrap(uint32_t ts);
  void reset() { have_ = false; base_ = 0; }

 private:
  bool have_ = false;
  uint32_t last_ = 0;
  int64_t base_ = 0;
};

class FlvDemuxer {
 public:
  struct Callbacks {
    std::function<void(MediaPacket&&)> onPacket;
    std::function<void(const amf0::Value& metadata)> onMetadata;
    std::function<void(std::vector<uint8_t> payload, int64_t ptsMs)> onAppMessage;  // SEI app message
    std::function<void(const std::string&)> onWarning;
    // Once per track per reset(): the track cannot be played; `detail` says why.
    std::function<void(MediaPacket::Kind, const std::string& detail)> onTrackProblem;
  };
  static constexpr uint64_t kMissingConfigPackets = 90;
  explicit FlvDemuxer(Callbacks cb) : cb_(std::move(cb)) {}

  // type: 8 audio, 9 video, 18 script data. Body is the FLV tag body.
  void pushTag(uint8_t type, uint32_t timestampMs, const uint8_t* body, size_t size);
  // Forget configs and timestamp state (new connection).
  void reset();

  uint64_t droppedBeforeConfig() const { return droppedBeforeConfig_; }
  uint64_t malformedTags() const { return malformed_; }
  std::shared_ptr<const VideoConfig> videoConfig() const { return video_; }
  std::shared_ptr<const AudioConfig> audioConfig() const { return audio_; }

 private:
  void onVideo(uint32_t ts, const uint8_t* p, size_t n);
  void onAudio(uint32_t ts, const uint8_t* p, size_t n);
  void warn(const std::string& m);
  void trackProblem(MediaPacket::Kind kind, const std::string& detail);
  void onAacTag(uint32_t ts, const uint8_t* p, size_t n);
  void onMp3Tag(uint32_t ts, const uint8_t* p, size_t n);
  void emitAudio(int64_t ts, const uint8_t* p, size_t n);
  void missingConfig(MediaPacket::Kind kind);
  Callbacks cb_;
  TimestampUnwrapper videoTs_, audioTs_;
  std::shared_ptr<const VideoConfig> video_;
  std::shared_ptr<const AudioConfig> audio_;
  uint64_t droppedBeforeConfig_ = 0, malformed_ = 0;
  uint64_t videoWithoutConfig_ = 0, audioWithoutConfig_ = 0;  // this connection
  bool reportedVideo_ = false, reportedAudio_ = false;         // onTrackProblem sent (this connection)
};

// Parses an AVCDecoderConfigurationRecord; nullptr when malformed.
std::shared_ptr<VideoConfig> parseAvcConfig(const uint8_t* p, size_t n);
// Parses an AudioSpecificConfig; nullptr when malformed.
std::shared_ptr<AudioConfig> parseAacConfig(const uint8_t* p, size_t n);

}  // namespace openlive::demux
