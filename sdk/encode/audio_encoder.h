// AAC-LC through libavcodec's native encoder. Input: interleaved s16 at any rate/channel count (resampled with
// libswresample); output: raw AAC frames (1024 samples) with ms timestamps counted from the first input, and
// the AudioSpecificConfig in extradata().
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "encode/encoded_packet.h"

namespace openlive::detail {

struct AudioEncoderOptions {
  int sampleRate = 48000;  // 16000 .. 48000
  int channels = 1;        // 1 or 2
  int bitrateKbps = 64;
};

// True for the input sample rates the pusher accepts (8000 .. 96000 Hz, the AAC sampling frequencies).
bool isSupportedInputSampleRate(int rate);

class AudioEncoder {
 public:
  AudioEncoder();
  ~AudioEncoder();
  AudioEncoder(const AudioEncoder&) = delete;
  AudioEncoder& operator=(const AudioEncoder&) = delete;

  bool open(const AudioEncoderOptions& options, std::string* error);
  bool isOpen() const;
  // `frames` sample frames of interleaved s16 at `inRate` / `inChannels`. The first call sets the time base:
  // output timestamps are `firstPtsMs` + samples encoded so far.
  bool encode(const int16_t* samples, int frames, int inRate, int inChannels, int64_t firstPtsMs,
              std::vector<EncodedPacket>& out, std::string* error);
  // End of stream: encodes what is buffered (padded with silence) and drains the encoder's delayed frames.
  bool flush(std::vector<EncodedPacket>& out);
  const std::vector<uint8_t>& extradata() const;  // AudioSpecificConfig
  int sampleRate() const;
  int channels() const;
  int frameSize() const;  // samples per AAC frame (1024)

 public:
  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace openlive::detail
