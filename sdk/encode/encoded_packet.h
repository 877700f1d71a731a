// The push side's one packet type: a compressed access unit from the encoders, through the packetiser, the
// interleaver and the send queue to the publisher (and, converted at its door, the local recorder).
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

namespace openlive::detail {

// New stream headers: the video encoder was (re)opened (start, restart, a new size on the resolution ladder).
// The publisher sends onMetaData and the AVC sequence header for it, in stream order; the packets after it
// belong to the new encoder and start with an IDR.
struct VideoStreamHeader {
  std::vector<uint8_t> avcc;  // AVCDecoderConfigurationRecord
  int width = 0, height = 0;
  int kbps = 0;               // the encoder's target when it was opened
};

struct EncodedPacket {
  enum class Kind : uint8_t { Video, Audio };
  Kind kind = Kind::Video;
  // Video: H.264 Annex B out of the encoder, AVCC (4-byte lengths, SEI messages added) once packetised.
  // Audio: one raw AAC frame.
  std::vector<uint8_t> data;
  int64_t ptsMs = 0;
  int64_t dtsMs = 0;
  bool keyframe = false;    // video IDR (audio frames count as key)
  bool disposable = false;  // video nothing refers to (nal_ref_idc 0): the first to go under congestion
  // Steady-clock microseconds when the source delivered the picture or samples this packet was made from
  // (0 = unknown): the start of the capture-to-wire measurement.
  int64_t captureUs = 0;
  // Non-null: not media but new stream headers (see VideoStreamHeader); kind is Video, dtsMs the last video dts.
  std::shared_ptr<const VideoStreamHeader> header;

  bool isVideo() const { return kind == Kind::Video; }
  bool isHeader() const { return header != nullptr; }
};

}  // namespace openlive::detail
