// Adaptive bitrate for the pusher: a pure state machine (no clock, no threads, no I/O), fed every ~200 ms with
// the send queue's length in media time and the video throughput the link carried over the last ~2 s.
//
// Congestion signal: the send queue, and its "standing" part = the smallest queue seen over the last
// `standingWindowMs` (1 s). A single large IDR makes a short spike that drains within the window; only a
// queue that stays is congestion. Level = the higher of the standing queue and, at 700 ms and more only, the
// current queue (an emergency: the drop thresholds are near).
// Down (fast), at levels 200 / 400 / 700 ms, hold-offs 400 / 600 / 1000 ms between cuts:
//   throughput known: go to 0.9 x the measured video throughput (what the link carries, minus a margin so the
//     backlog drains), less what drains the queued backlog within `drainMs` (2 s), never below half the
//     measured throughput, never more than -60 % at once; no cut when that is not below the current bitrate
//     (the link carries what we send: the queue is transient). The throughput is remembered as the link's
//     ceiling (see Up).
//   throughput not known yet: -10 / -20 / -30 % of the current bitrate.
//   Never below min; rounded down to 10 kbps.
// Link-limited (the early signal): over the last ~1 s the network delivered (TCP-acknowledged) less than
//   80 % of the video the encoder produced on two ticks in a row (less than 60 %: on one), while something
//   queued (>= 100 ms at some point of the last second, the send queue plus the network's). The backlog is
//   then growing somewhere between us and the bottleneck (a router's or proxy's buffer the socket cannot
//   see) before the send queue shows it; this cuts like the 200 ms level, to what the link delivered. A
//   single IDR on a fast link is delivered within a tick and never looks like this twice.
// Up (slow): +stepUp (20 % of the configured target) once the queue has stayed under 200 ms for `upInterval`
//   (4 s) since the last change of any kind, capped at max. Near a remembered ceiling the probe is careful:
//   up to 0.9 x ceiling in normal steps, beyond it in quarter steps (so probing into a cap costs a short,
//   shallow queue, not dropped frames). The ceiling is forgotten `ceilingMemoryMs` (10 s) after the last
//   congestion, or at once when the link is seen carrying more than it without a queue.
// Resolution (when enabled): a ladder of 1, 3/4, 1/2 of the configured size. Step down a rung when the bitrate
//   falls below 50 % (rung 0 -> 1) / 30 % (rung 1 -> 2) of max, back up above 65 % / 40 % of max; at most one
//   change per `resolutionHold` (5 s). Hysteresis and hold keep it from flapping.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <utility>

namespace openlive::detail {

struct BitrateControllerConfig {
  int minKbps = 150, maxKbps = 1200, startKbps = 700;
  int stepUpKbps = 140;  // usually 20 % of the target
  int64_t upIntervalMs = 4000;
  bool adjustResolution = false;
  int64_t resolutionHoldMs = 5000;
  double throughputMargin = 0.9;
  int64_t standingWindowMs = 1000;  // the standing queue is the minimum over this window
  int64_t drainMs = 2000;           // a cut also drains the queued backlog within this time
  int64_t ceilingMemoryMs = 10000;  // a congestion ceiling is remembered this long after the last congestion
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

  struct Input {
    int64_t queueMs = 0;             // media time waiting to be sent (plus what the network holds)
    int64_t throughputKbps = -1;     // video the link delivered over the last ~2 s, < 0 = not known yet
    int64_t recentDeliveredKbps = -1;  // the same over the last ~1 s (< 0 = not known)
    int64_t recentProducedKbps = -1;   // video the encoder produced over that same ~1 s (< 0 = not known)
  };
  Decision update(int64_t nowMs, const Input& in);
  // Without the link-limited signal. videoThroughputKbps: measured video payload rate over the last 1-2 s,
  // < 0 when not known yet (then only min bounds the cut).
  Decision update(int64_t nowMs, int64_t queueMs, int64_t videoThroughputKbps) {
    return update(nowMs, Input{queueMs, videoThroughputKbps, -1, -1});
  }

  int kbps() const { return kbps_; }
  int rung() const { return rung_; }
  // The link's remembered ceiling (video kbps measured during the last congestion), 0 when none.
  int ceilingKbps() const { return ceilKbps_; }
  const BitrateControllerConfig& config() const { return cfg_; }
  // Encode size of a rung for a full size w x h (even numbers, at least 2).
  static void scaledSize(int w, int h, int rung, int* outW, int* outH);

 private:
  int rungFor(int kbps, int current) const;
  void cutDown(int64_t nowMs, int64_t level, int64_t queueMs, int64_t tpKbps);
  void probeUp(int64_t nowMs, int64_t tpKbps);

  BitrateControllerConfig cfg_;
  int kbps_;
  int rung_ = 0;
  int64_t holdUntilMs_ = INT64_MIN;      // no cut before this
  int64_t calmSinceMs_ = INT64_MIN;      // queue < 200 ms continuously since (and since the last change)
  int64_t lastResolutionMs_ = INT64_MIN;
  std::deque<std::pair<int64_t, int64_t>> recent_;  // (time, queue) over the standing window
  int ceilKbps_ = 0;                     // 0 = no ceiling known
  int64_t ceilAtMs_ = INT64_MIN;         // last congestion that set or confirmed it
  int limitedTicks_ = 0;                 // consecutive updates that looked link-limited
};

}  // namespace openlive::detail
