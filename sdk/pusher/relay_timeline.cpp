#include "pusher/relay_timeline.h"

#include <algorithm>
#include <cstdlib>

namespace openlive::detail {

int64_t RelayTimeline::offsetFor(Track track, int64_t sourceMs, int64_t nowMs, bool mayAnchor, int64_t floor) {
  std::lock_guard lk(mu_);
  offset_ = std::max(next(track, sourceMs, nowMs, mayAnchor), floor);
  return offset_;
}

int64_t RelayTimeline::next(Track track, int64_t sourceMs, int64_t nowMs, bool mayAnchor) {
  const int64_t target = nowMs - sourceMs;
  int64_t& last = lastSource_[track == Track::Video ? 0 : 1];
  const bool jumped = sourceMs < last || std::llabs(target - offset_) > kMaxDriftMs;
  last = sourceMs;
  if (mayAnchor && (!anchored_ || jumped)) {
    anchored_ = true;
    arrivals_.clear();
    arrivals_.emplace_back(nowMs, target);
    return target;
  }
  while (!arrivals_.empty() && arrivals_.back().second >= target) arrivals_.pop_back();
  arrivals_.emplace_back(nowMs, target);
  while (arrivals_.front().first < nowMs - kWindowMs) arrivals_.pop_front();
  const int64_t earliest = arrivals_.front().second;
  if (offset_ > earliest) return std::max(earliest, offset_ - kSlewMs);
  if (offset_ < earliest - kDeadbandMs) return std::min(earliest, offset_ + kSlewMs);
  return offset_;
}

}  // namespace openlive::detail
