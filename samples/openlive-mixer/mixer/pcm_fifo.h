// One input's sound in openlive-mixer: PCM as its player plays it, converted to the mix format (48 kHz
// stereo s16, linear interpolation for other rates), in a bounded FIFO (policy: drop the oldest, counted).
// Taking starts once kPrefillMs are queued and starts over after the FIFO ran dry, so a player's delivery in
// blocks (an AAC frame is 21-23 ms) does not become a gap every other mix period.
#pragma once

#include <openlive/types.h>

#include <cstdint>
#include <deque>

namespace openlive::mixer {

inline constexpr int kMixRate = 48000;
inline constexpr int kMixChannels = 2;

class PcmFifo {
 public:
  static constexpr int kPrefillMs = 60;
  static constexpr int kCapacityMs = 500;

  void push(const AudioFrame& frame);
  // Adds `frames` stereo frames into `acc` (interleaved, 2 * frames); silence for what is not there.
  // Returns the frames taken.
  int mixInto(int32_t* acc, int frames);
  uint64_t dropped() const { return dropped_; }
  size_t queuedFrames() const { return samples_.size() / kMixChannels; }
  void clear();

 private:
  void append(int16_t l, int16_t r);
  std::deque<int16_t> samples_;  // interleaved stereo at kMixRate
  bool taking_ = false;
  uint64_t dropped_ = 0;
  // Resampler state: the input's previous frame and the position of the next output frame after it.
  int rate_ = 0;
  double pos_ = 0;
  int16_t prevL_ = 0, prevR_ = 0;
  bool havePrev_ = false;
};

}  // namespace openlive::mixer
