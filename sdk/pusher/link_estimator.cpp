#include "pusher/link_estimator.h"

#include <algorithm>

namespace openlive::detail {
namespace {

using std::chrono::milliseconds;

// Video kbps delivered between two samples (acknowledged bytes when both have them), -1 under 0.5 s apart.
int64_t deliveredKbps(const LinkEstimator::Sample& a, const LinkEstimator::Sample& b) {
  const double secs = std::chrono::duration<double>(b.t - a.t).count();
  if (secs < 0.5) return -1;
  const int64_t audio = static_cast<int64_t>(b.sentAudioBytes - a.sentAudioBytes);
  const bool acked = a.ackedBytes >= 0 && b.ackedBytes >= a.ackedBytes;
  const int64_t total = acked ? b.ackedBytes - a.ackedBytes : static_cast<int64_t>(b.sentBytes - a.sentBytes);
  return static_cast<int64_t>(static_cast<double>(std::max<int64_t>(0, total - audio)) * 8 / secs / 1000);
}

}  // namespace

void LinkEstimator::reset() {
  history_.clear();
  rtt_.clear();
  netQueueMs_ = 0;
}

BitrateController::Input LinkEstimator::update(const Sample& s, int64_t sendQueueMs) {
  const Clock::time_point now = s.t;
  history_.push_back(s);
  while (history_.size() > 2 && now - history_[1].t >= milliseconds(2000)) history_.erase(history_.begin());
  BitrateController::Input in;
  if (now - history_.front().t >= milliseconds(1000)) in.throughputKbps = deliveredKbps(history_.front(), s);
  for (auto it = history_.rbegin(); it != history_.rend(); ++it) {  // the newest sample at least 1 s old
    if (now - it->t < milliseconds(1000)) continue;
    in.recentDeliveredKbps = deliveredKbps(*it, s);
    const double secs = std::chrono::duration<double>(s.t - it->t).count();
    in.recentProducedKbps =
        static_cast<int64_t>(static_cast<double>(s.producedVideoBytes - it->producedVideoBytes) * 8 / secs / 1000);
    break;
  }
  netQueueMs_ = 0;
  if (s.rttUs > 0) {
    rtt_.emplace_back(now, s.rttUs);
    while (now - rtt_.front().first > std::chrono::seconds(30)) rtt_.pop_front();
    int64_t base = s.rttUs;
    for (const auto& [t, r] : rtt_) base = std::min(base, r);
    netQueueMs_ = (s.rttUs - base) / 1000;
  }
  in.queueMs = sendQueueMs + netQueueMs_;
  return in;
}

}  // namespace openlive::detail
