// Tempo change without pitch change (render stage) for catch-up and cache-fill playback: libavfilter's atempo
// on s16 PCM. Blocks pass through untouched until the first change of speed; from then on the filter stays in
// the path and later changes are commands to it (no gap, no samples dropped).
#pragma once

#include "decode/audio_decoder.h"

#include <vector>

struct AVFilterGraph;
struct AVFilterContext;
struct AVFrame;

namespace openlive::render {

class AudioTempo {
 public:
  AudioTempo() = default;
  ~AudioTempo();
  AudioTempo(const AudioTempo&) = delete;
  AudioTempo& operator=(const AudioTempo&) = delete;

  // Feeds one block at `speed`; returns the blocks ready to play (pts = media time of their first sample).
  std::vector<decode::PcmBlock> process(decode::PcmBlock in, double speed);

 private:
  bool build(int rate, int channels, double speed);
  void reset();
  AVFilterGraph* graph_ = nullptr;
  AVFilterContext* src_ = nullptr;
  AVFilterContext* sink_ = nullptr;
  AVFrame* frame_ = nullptr;
  int rate_ = 0, channels_ = 0;
  double speed_ = 1.0;
};

}  // namespace openlive::render
