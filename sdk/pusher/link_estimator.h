// What the uplink carries, measured for the adaptive bitrate (BitrateController), from samples the stat thread
// takes every ~200 ms. No clock, no threads, no I/O: unit-tested with made-up samples.
//
// - Throughput: video the link delivered over the last ~2 s: bytes the peer acknowledged (TCP_INFO: what the
//   network delivered; the bytes the socket took also count what only went into flight, into a shaper's
//   queue), minus audio. Without TCP_INFO (rtmps), the bytes the socket took.
// - Recent delivered / produced: the same over the last ~1 s, next to the video the encoder produced then: the
//   early sign of a bottleneck whose buffer the socket cannot see.
// - Network queue: the smoothed TCP RTT above the path's base RTT (its minimum over 30 s). A shaper holds a
//   backlog there before the socket pushes back; counting it lets the controller react before the send queue
//   grows. Congestion = the send queue (media time) + this.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <vector>

#include "pusher/bitrate_controller.h"

namespace openlive::detail {

class LinkEstimator {
 public:
  using Clock = std::chrono::steady_clock;
  struct Sample {
    Clock::time_point t;
    uint64_t sentBytes = 0;       // written to the socket, all tracks
    uint64_t sentAudioBytes = 0;  // of which audio
    int64_t ackedBytes = -1;      // acknowledged by the peer (TCP_INFO), -1 when not known
    uint64_t producedVideoBytes = 0;
    int64_t rttUs = -1;           // smoothed RTT, -1 when not known
  };

  // Adds a sample and returns the controller's input (queueMs = `sendQueueMs` + the network's queue).
  BitrateController::Input update(const Sample& s, int64_t sendQueueMs);
  // The link went down or the push paused: forget the history.
  void reset();
  int64_t networkQueueMs() const { return netQueueMs_; }

 private:
  std::vector<Sample> history_;  // the last ~2 s
  std::deque<std::pair<Clock::time_point, int64_t>> rtt_;  // the last 30 s
  int64_t netQueueMs_ = 0;
};

}  // namespace openlive::detail
