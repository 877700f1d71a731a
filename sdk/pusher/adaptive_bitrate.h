// Congestion response of a publishing session, ticked by the stat thread every 200 ms: the NET_BUSY warning
// (1101, at most once per 5 s) when the send queue holds more than `netBusyThreshold` of media, and, when the
// adaptive bitrate is on, the link estimate (LinkEstimator) fed to the BitrateController, whose decisions the
// video pipeline applies before its next picture (1006 / 1005 are emitted here).
#pragma once

#include <openlive/live_pusher.h>

#include <chrono>
#include <memory>
#include <optional>

#include "pusher/bitrate_controller.h"
#include "pusher/link_estimator.h"
#include "pusher/push_params.h"

namespace openlive::detail {

class AdaptiveBitrate {
 public:
  using Clock = std::chrono::steady_clock;
  struct Decision {
    std::optional<int64_t> busyQueueMs;  // warn: this much media waits
    std::optional<int> kbps;             // a new target bitrate
    std::optional<int> rung;             // a new size on the resolution ladder
  };

  AdaptiveBitrate(const PushConfig& config, const ResolvedVideoParams& video);
  // A new video quality (LivePusher::setVideoQuality): a new controller for its range and policy, starting at
  // its target on the full size. The link estimate carries on.
  void reconfigure(const PushConfig& config, const ResolvedVideoParams& video);
  bool enabled() const { return controller_ != nullptr; }
  int startRung() const { return controller_ ? controller_->rung() : 0; }

  // `live`: published and not paused (otherwise the history is forgotten and nothing is decided).
  Decision tick(Clock::time_point now, bool live, int64_t sendQueueMs, const LinkEstimator::Sample& sample);

 private:
  const std::chrono::milliseconds busyThreshold_;
  std::unique_ptr<BitrateController> controller_;  // null when off
  LinkEstimator link_;
  Clock::time_point lastBusyWarn_{};
};

}  // namespace openlive::detail
