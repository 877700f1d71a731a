// Adaptive bitrate for the pusher: a pure state machine (no clock, no threads, no I/O), fed every ~200 ms with
// the send queue's length in media time and the video throughput the link carried over the last ~2 s.
//
// Down (fast, OBS "dynamic bitrate" thresholds, larger cuts so a 40 % cap is absorbed within a few seconds):
//   queue >= 200 ms: -10 % of the current bitrate, then hold 400 ms
//   queue >= 400 ms: -20 %,                        then hold 600 ms
//   queue >= 700 ms: -30 %,                        then hold 1000 ms
//   never below floor = max(min, throughputMargin x measured video throughput), rounded down to 10 kbps. The
//   margin (0.9) lets the backlog drain: sending exactly what the link carries would keep it standing.
// Up (slow): +stepUp (20 % of the configured target) once the queue has stayed under 200 ms for `upInterval`
//   (4 s) since the last change of any kind, capped at max.
// Resolution (when enabled): a ladder of 1, 3/4, 1/2 of the configured size. Step down a rung when the bitrate
//   falls below 50 % (rung 0 -> 1) / 30 % (rung 1 -> 2) of max, back up above 65 % / 40 % of max; at most one
//   change per `resolutionHold` (5 s). Hysteresis and hold keep it from flapping.
#pragma once

#include <chrono>
#include <cstdint>

namespace openlive::detail {

struct BitrateControllerConfig {
  int minKbps = 150, maxKbps = 1200, startKbps = 700;
  int stepUpKbps = 140;  // usually 20 % of the target
  int64_t upIntervalMs = 4000;
  bool adjustResolution = false;
  int64_t resolutionHoldMs = 5000;
  double throughputMargin = 0.9;
};

class BitrateController {
 public:
  static constexpr int kRungs = 3;
  static constexpr int kScaleNum[kRungs] = {4, 3, 2};  // scale = num / 4
  struct Decision {
    bool bitrateChanged = false;
    bool resolutionChanged = false;
    int kbps = 0;
    int rung = 0;  // 0 = full size
  };

  explicit BitrateController(const BitrateControllerConfig& config);

  // queueMs: media time waiting to be sent. videoThroughputKbps: measured video payload rate over the last
  // 1-2 s, < 0 when not known yet (then only min bounds the cut).
  Decision update(int64_t nowMs, int64_t queueMs, int64_t videoThroughputKbps);

  int kbps() const { return kbps_; }
  int rung() const { return rung_; }
  const BitrateControllerConfig& config() const { return cfg_; }
  // Encode size of a rung for a full size w x h (even numbers, at least 2).
  static void scaledSize(int w, int h, int rung, int* outW, int* outH);

 private:
  int rungFor(int kbps, int current) const;

  BitrateControllerConfig cfg_;
  int kbps_;
  int rung_ = 0;
  int64_t holdUntilMs_ = INT64_MIN;      // no cut before this
  int64_t calmSinceMs_ = INT64_MIN;      // queue < 200 ms continuously since (and since the last change)
  int64_t lastResolutionMs_ = INT64_MIN;
};

}  // namespace openlive::detail
