// Audio decoding (decode stage): AAC (LC, HE-AAC v1/v2) opened from the AudioSpecificConfig, or MP3; output
// interleaved s16 (mono or stereo; more channels are downmixed to stereo) at the stream's sample rate (HE-AAC:
// the rate after SBR).
#pragma once

#include "demux/media_packet.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

struct AVCodecContext;
struct AVFrame;
struct AVPacket;
struct SwrContext;

namespace openlive::decode {

struct PcmBlock {
  std::vector<int16_t> samples;  // interleaved
  int channels = 0;
  int sampleRate = 0;
  int64_t ptsMs = 0;
  int frames() const { return channels ? static_cast<int>(samples.size()) / channels : 0; }
  int64_t durationMs() const { return sampleRate ? int64_t(frames()) * 1000 / sampleRate : 0; }
};

class AudioDecoder {
 public:
  AudioDecoder();
  ~AudioDecoder();
  AudioDecoder(const AudioDecoder&) = delete;
  AudioDecoder& operator=(const AudioDecoder&) = delete;

  struct Result {
    std::vector<PcmBlock> blocks;
    bool failed = false;  // -> 2102; the decoder continues
    std::string error;
  };
  Result decode(const demux::MediaPacket& pkt);

 private:
  bool open(const demux::AudioConfig& cfg, std::string* err);
  void close();
  AVCodecContext* ctx_ = nullptr;
  AVPacket* pkt_ = nullptr;
  AVFrame* frame_ = nullptr;
  SwrContext* swr_ = nullptr;
  int swrInRate_ = 0, swrInFmt_ = -1, swrInCh_ = 0;
  std::shared_ptr<const demux::AudioConfig> config_;
};

}  // namespace openlive::decode
