#include "pusher/bitrate_controller.h"

#include <algorithm>

namespace openlive::detail {
namespace {
struct Step {
  int64_t queueMs;
  double cut;
  int64_t holdMs;
};
constexpr Step kSteps[] = {{700, 0.30, 1000}, {400, 0.20, 600}, {200, 0.10, 400}};  // checked top-down
constexpr int64_t kCalmMs = 200;
constexpr int64_t kEmergencyMs = 400;  // the current queue counts from here on, spike or not
constexpr double kLimitedRatio = 0.8;        // delivered / produced below this, twice in a row: link-limited
constexpr double kSevereLimitedRatio = 0.6;  // below this once: link-limited
constexpr int64_t kLimitedQueueMs = 100;     // ... with at least this much queued at some point in the last 1 s
constexpr int kLimitedTicks = 2;
int round10(double kbps) { return static_cast<int>(kbps) / 10 * 10; }
}  // namespace

BitrateController::BitrateController(const BitrateControllerConfig& config) : cfg_(config) {
  cfg_.minKbps = std::max(1, cfg_.minKbps);
  cfg_.maxKbps = std::max(cfg_.minKbps, cfg_.maxKbps);
  kbps_ = std::clamp(cfg_.startKbps, cfg_.minKbps, cfg_.maxKbps);
  cfg_.stepUpKbps = std::max(1, cfg_.stepUpKbps);
  cfg_.drainMs = std::max<int64_t>(1, cfg_.drainMs);
  rung_ = cfg_.adjustResolution ? rungFor(kbps_, 0) : 0;
}

void BitrateController::scaledSize(int w, int h, int rung, int* outW, int* outH) {
  rung = std::clamp(rung, 0, kRungs - 1);
  *outW = std::max(2, (w * kScaleNum[rung] / 4) & ~1);
  *outH = std::max(2, (h * kScaleNum[rung] / 4) & ~1);
}

int BitrateController::rungFor(int kbps, int current) const {
  // Down thresholds (share of max) to leave rung r for r+1; up thresholds to come back from r+1 to r.
  static constexpr double kDown[kRungs - 1] = {0.50, 0.30};
  static constexpr double kUp[kRungs - 1] = {0.65, 0.40};
  int r = current;
  while (r < kRungs - 1 && kbps < kDown[r] * cfg_.maxKbps) ++r;
  while (r > 0 && kbps >= kUp[r - 1] * cfg_.maxKbps) --r;
  return r;
}

// Down, at the first step `level` reaches: to what the link carries (with a margin), less what drains the
// backlog within drainMs; without a throughput, by the step's share.
void BitrateController::cutDown(int64_t nowMs, int64_t level, int64_t queueMs, int64_t tpKbps) {
  for (const Step& s : kSteps) {
    if (level < s.queueMs) continue;
    int next;
    if (tpKbps >= 0) {
      const double tp = static_cast<double>(tpKbps);
      const double target = tp * cfg_.throughputMargin - tp * static_cast<double>(queueMs) / cfg_.drainMs;
      next = round10(std::max({target, tp * 0.5, kbps_ * 0.4}));
      ceilKbps_ = std::max(1, static_cast<int>(tpKbps));  // what the link carried while congested
      ceilAtMs_ = nowMs;
    } else {
      next = static_cast<int>(kbps_ * (1.0 - s.cut));
    }
    next = std::max(next, cfg_.minKbps);
    if (next < kbps_) kbps_ = next;  // never raises the bitrate
    holdUntilMs_ = nowMs + s.holdMs;
    return;
  }
}

// Calm: one step up per calm upInterval, carefully near a remembered ceiling.
void BitrateController::probeUp(int64_t nowMs, int64_t tpKbps) {
  if (calmSinceMs_ == INT64_MIN) calmSinceMs_ = nowMs;
  // The link carries clearly more than the remembered ceiling without a queue: the ceiling is stale.
  // (Only after a calm as long as the throughput window: while a backlog drains the link still runs full.)
  if (ceilKbps_ && nowMs - calmSinceMs_ >= 2 * cfg_.standingWindowMs && tpKbps > ceilKbps_ * 1.1) ceilKbps_ = 0;
  if (nowMs - calmSinceMs_ < cfg_.upIntervalMs || kbps_ >= cfg_.maxKbps) return;
  int next = kbps_ + cfg_.stepUpKbps;
  if (ceilKbps_) {
    const int safe = round10(ceilKbps_ * cfg_.throughputMargin);
    next = kbps_ < safe ? std::min(next, safe) : kbps_ + std::max(10, cfg_.stepUpKbps / 4);
  }
  kbps_ = std::min(cfg_.maxKbps, next);
  calmSinceMs_ = nowMs;  // the next step needs another full calm interval
}

BitrateController::Decision BitrateController::update(int64_t nowMs, const Input& in) {
  Decision d;
  const int64_t queueMs = in.queueMs;
  int64_t tpKbps = in.throughputKbps;
  const int before = kbps_;
  // Standing queue: the minimum over the window (a spike from one large frame drains within it).
  recent_.emplace_back(nowMs, queueMs);
  while (recent_.size() > 1 && nowMs - recent_[1].first >= cfg_.standingWindowMs) recent_.pop_front();
  int64_t standing = queueMs, recentMax = 0;
  for (const auto& [t, q] : recent_) recentMax = std::max(recentMax, q);
  if (nowMs - recent_.front().first >= cfg_.standingWindowMs - 1)  // a full window seen
    for (const auto& [t, q] : recent_) standing = std::min(standing, q);
  else
    standing = 0;  // not enough history yet: only the emergency level counts
  int64_t level = std::max(standing, queueMs >= kEmergencyMs ? queueMs : 0);
  // Link-limited: the network delivers clearly less than we produce, persistently, and something queues.
  // (The queue is a sawtooth of IDRs while a hidden buffer fills, so "some queue" is its maximum over the
  // window, not its current value.)
  const double ratio = in.recentDeliveredKbps >= 0 && in.recentProducedKbps > 0
                           ? static_cast<double>(in.recentDeliveredKbps) / static_cast<double>(in.recentProducedKbps)
                           : 1.0;
  const bool limited = recentMax >= kLimitedQueueMs && ratio < kLimitedRatio;
  limitedTicks_ = limited ? limitedTicks_ + 1 : 0;
  if (limitedTicks_ >= kLimitedTicks || (limited && ratio < kSevereLimitedRatio)) {
    level = std::max(level, kCalmMs);
    // What the link delivers now is the better measure of it (the 2 s window still holds the time before).
    tpKbps = tpKbps < 0 ? in.recentDeliveredKbps : std::min(tpKbps, in.recentDeliveredKbps);
  }
  if (ceilKbps_ && nowMs - ceilAtMs_ >= cfg_.ceilingMemoryMs) ceilKbps_ = 0;

  if (level >= kCalmMs && nowMs >= holdUntilMs_) cutDown(nowMs, level, queueMs, tpKbps);
  if (queueMs >= kCalmMs || limited)
    calmSinceMs_ = INT64_MIN;
  else
    probeUp(nowMs, tpKbps);
  if (kbps_ != before) {
    d.bitrateChanged = true;
    if (kbps_ < before) calmSinceMs_ = INT64_MIN;
  }
  if (cfg_.adjustResolution) {
    int r = rungFor(kbps_, rung_);
    if (r != rung_ && (lastResolutionMs_ == INT64_MIN || nowMs - lastResolutionMs_ >= cfg_.resolutionHoldMs)) {
      rung_ = r;
      lastResolutionMs_ = nowMs;
      d.resolutionChanged = true;
    }
  }
  d.kbps = kbps_;
  d.rung = rung_;
  return d;
}

}  // namespace openlive::detail
