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
}  // namespace

BitrateController::BitrateController(const BitrateControllerConfig& config) : cfg_(config) {
  cfg_.minKbps = std::max(1, cfg_.minKbps);
  cfg_.maxKbps = std::max(cfg_.minKbps, cfg_.maxKbps);
  kbps_ = std::clamp(cfg_.startKbps, cfg_.minKbps, cfg_.maxKbps);
  cfg_.stepUpKbps = std::max(1, cfg_.stepUpKbps);
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

BitrateController::Decision BitrateController::update(int64_t nowMs, int64_t queueMs, int64_t tpKbps) {
  Decision d;
  const int before = kbps_;
  if (queueMs >= kCalmMs) {
    calmSinceMs_ = INT64_MIN;
    if (nowMs >= holdUntilMs_) {
      for (const Step& s : kSteps) {
        if (queueMs < s.queueMs) continue;
        int floor = cfg_.minKbps;
        if (tpKbps >= 0) floor = std::max(floor, static_cast<int>(tpKbps * cfg_.throughputMargin) / 10 * 10);
        int target = static_cast<int>(kbps_ * (1.0 - s.cut));
        int next = std::max(target, floor);
        if (next < kbps_) kbps_ = next;  // the floor never raises the bitrate
        holdUntilMs_ = nowMs + s.holdMs;
        break;
      }
    }
  } else {
    if (calmSinceMs_ == INT64_MIN) calmSinceMs_ = nowMs;
    if (nowMs - calmSinceMs_ >= cfg_.upIntervalMs && kbps_ < cfg_.maxKbps) {
      kbps_ = std::min(cfg_.maxKbps, kbps_ + cfg_.stepUpKbps);
      calmSinceMs_ = nowMs;  // the next step needs another full calm interval
    }
  }
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
