// Local recording, mux stage: H.264 + AAC access units into one file through libavformat, without re-encoding.
//
// Formats by extension: .mp4 / .m4v / .mov -> fragmented MP4 (a moof per keyframe, empty moov up front), so a
// file cut short by a crash or a full disk is still playable up to its last fragment; .flv -> FLV.
// Timestamps are milliseconds; the first packet written (a video IDR, or audio for audio-only files) is
// time 0 of the file. Per track, decode times must not go backwards: a packet that would is dropped and
// counted (the muxer would refuse it).
// Not thread-safe; one writer thread owns it (sdk/mux/local_recorder.h).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace openlive::detail {

struct RecVideoConfig {
  std::vector<uint8_t> avcc;  // AVCDecoderConfigurationRecord
  int width = 0, height = 0;  // 0 = read from the SPS of the first IDR (probeH264Size)
};
struct RecAudioConfig {
  std::vector<uint8_t> asc;  // AudioSpecificConfig
  int sampleRate = 0, channels = 0;
};

struct RecPacket {
  bool video = true;
  bool keyframe = false;
  int64_t dtsMs = 0, ptsMs = 0;
  std::vector<uint8_t> data;  // video: AVCC (4-byte length-prefixed NAL units); audio: one raw AAC frame
  std::shared_ptr<const RecVideoConfig> videoConfig;  // the configuration this packet belongs to
  std::shared_ptr<const RecAudioConfig> audioConfig;
};

// The container for a path's extension ("mp4", "flv"), or "" when not supported.
std::string_view recordFormatFor(std::string_view path);

// Picture size from the SPS in `avcc` and the slice of an IDR access unit (AVCC), through libavcodec's H.264
// parser. False when they cannot be read.
bool probeH264Size(const std::vector<uint8_t>& avcc, const std::vector<uint8_t>& idrAvcc, int* width, int* height);

class FileMuxer {
 public:
  FileMuxer();
  ~FileMuxer();  // closes (without reporting) if still open
  FileMuxer(const FileMuxer&) = delete;
  FileMuxer& operator=(const FileMuxer&) = delete;

  // Creates the file with the tracks given (either may be null, not both). `firstVideo` is the IDR the file
  // starts with (its SPS gives the size when the config has none).
  bool open(const std::string& path, const RecVideoConfig* video, const RecAudioConfig* audio,
            const RecPacket* firstVideo, std::string* err);
  // Writes one access unit (timestamps relative to `baseMs`, the first packet's dts).
  bool write(const RecPacket& p, std::string* err);
  // Writes the trailer and closes the file.
  bool close(std::string* err);

  bool isOpen() const;
  int64_t durationMs() const;  // span of the timestamps written so far
  uint64_t bytesWritten() const;
  uint64_t droppedNonMonotonic() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace openlive::detail
