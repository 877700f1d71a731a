#include "pusher/adaptive_bitrate.h"

#include "common/logging.h"

#include <algorithm>

namespace openlive::detail {

AdaptiveBitrate::AdaptiveBitrate(const PushConfig& config, const ResolvedVideoParams& video)
    : busyThreshold_(config.netBusyThreshold) {
  reconfigure(config, video);
}

void AdaptiveBitrate::reconfigure(const PushConfig& config, const ResolvedVideoParams& video) {
  controller_.reset();
  const bool hasVideo = config.video.type != VideoSourceType::None;
  if (!hasVideo || video.autoAdjust == AutoAdjust::None || video.minBitrateKbps >= video.maxBitrateKbps) return;
  BitrateControllerConfig bc;
  bc.minKbps = video.minBitrateKbps;
  bc.maxKbps = video.maxBitrateKbps;
  bc.startKbps = video.bitrateKbps;
  bc.stepUpKbps = std::max(1, video.bitrateKbps / 5);
  bc.upIntervalMs = std::max<int64_t>(100, config.autoAdjustUpInterval.count());
  bc.adjustResolution = video.autoAdjust == AutoAdjust::BitrateAndResolution;
  controller_ = std::make_unique<BitrateController>(bc);
}

AdaptiveBitrate::Decision AdaptiveBitrate::tick(Clock::time_point now, bool live, int64_t sendQueueMs,
                                                const LinkEstimator::Sample& sample) {
  Decision d;
  if (!live) {
    link_.reset();
    return d;
  }
  if (sendQueueMs > busyThreshold_.count() && now - lastBusyWarn_ >= std::chrono::seconds(5)) {
    lastBusyWarn_ = now;
    d.busyQueueMs = sendQueueMs;
  }
  if (!controller_) return d;
  const BitrateController::Input in = link_.update(sample, sendQueueMs);
  const int64_t nowMs = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  OL_LOGD("push", "abr tick: queue %lld + %lld ms, delivered %lld kbps / 2 s, %lld of %lld kbps / 1 s",
          static_cast<long long>(sendQueueMs), static_cast<long long>(link_.networkQueueMs()),
          static_cast<long long>(in.throughputKbps), static_cast<long long>(in.recentDeliveredKbps),
          static_cast<long long>(in.recentProducedKbps));
  const int before = controller_->kbps();
  const BitrateController::Decision c = controller_->update(nowMs, in);
  if (c.bitrateChanged) {
    OL_LOGI("push",
            "bitrate %d -> %d kbps (queue %lld ms + %lld ms in the network, video delivered %lld kbps over 2 s, "
            "%lld of %lld produced over 1 s)",
            before, c.kbps, static_cast<long long>(sendQueueMs), static_cast<long long>(link_.networkQueueMs()),
            static_cast<long long>(in.throughputKbps), static_cast<long long>(in.recentDeliveredKbps),
            static_cast<long long>(in.recentProducedKbps));
    d.kbps = c.kbps;
  }
  if (c.resolutionChanged) d.rung = c.rung;
  return d;
}

}  // namespace openlive::detail
