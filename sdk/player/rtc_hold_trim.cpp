#include "player/rtc_hold_trim.h"

#include <algorithm>

namespace openlive::player {

void RtcHoldTrim::reset(Clock::time_point wall) {
  windowStart_ = wall;
  minLead_ = std::numeric_limits<int64_t>::max();
  samples_ = 0;
}

int64_t RtcHoldTrim::onArrival(int64_t leadMs, int64_t targetMs, Clock::time_point wall) {
  minLead_ = std::min(minLead_, leadMs);
  ++samples_;
  if (wall - windowStart_ < kWindow) return 0;
  const int64_t excess = samples_ >= kMinSamples && minLead_ > targetMs + kAboveTargetMs
                             ? minLead_ - targetMs - kKeepMs
                             : 0;
  reset(wall);
  return excess;
}

}  // namespace openlive::player
