#include "jitter/cache_controller.h"

#include <algorithm>

namespace openlive::jitter {

CacheSettings cacheFast() { return {false, true, 1000, 1000, 1000}; }
CacheSettings cacheSmooth() { return {false, false, 5000, 5000, 5000}; }
CacheSettings cacheAuto() { return {false, true, 5000, 1000, 5000}; }
CacheSettings cacheMiniProgram() { return {false, true, 3000, 1000, 3000}; }
CacheSettings cacheRtc() { return {true, true, 200, 40, 500}; }

int64_t CacheController::targetMs(int64_t jitterMs) const {
  if (s_.rtc) return std::clamp<int64_t>(jitterMs, 0, 500);  // what the measured lateness needs, no more
  if (!s_.autoAdjust) return s_.fixedMs;
  // Enough to ride out the observed arrival spread, with a margin; never outside [min, max].
  return std::clamp<int64_t>(jitterMs * 5 / 4 + 100, s_.minMs, std::max(s_.minMs, s_.maxMs));
}

int64_t CacheController::startMs(int64_t jitterMs) const {
  if (s_.rtc) return started_ ? targetMs(jitterMs) : 0;
  if (!started_) return std::min(kStartPrebufferMs, s_.autoAdjust ? s_.minMs : s_.fixedMs);
  return s_.autoAdjust ? s_.minMs : s_.fixedMs;
}

CacheController::Step CacheController::update(int64_t buffered, bool dry, bool eos, int64_t jitterMs,
                                              bool fillAllowed) {
  Step st;
  st.targetMs = targetMs(jitterMs);
  if (!playing_) {
    if (buffered >= startMs(jitterMs) || (eos && buffered > 0) || (s_.rtc && !started_)) {
      playing_ = true;
      st.resumed = true;
      started_ = true;
    }
  } else if (dry && !eos) {
    playing_ = false;
    catching_ = false;
    st.stallBegan = true;
    ++stalls_;
  }
  st.playing = playing_;
  if (!playing_) return st;

  const int64_t mx = maxMs();
  if (buffered > 2 * mx && !eos) {
    st.jump = true;
    catching_ = false;
    return st;
  }
  if (!s_.rtc && buffered - mx > kMaxCatchUpExcessMs && !eos) {
    st.jump = true;
    st.jumpKeepMs = st.targetMs;
    catching_ = false;
    return st;
  }
  const int64_t target = st.targetMs;
  // RTC keeps the buffer tight around its (small) target; live mode tolerates a quarter second above it.
  const int64_t stopAt = s_.rtc ? target + 10 : std::min(target + 50, std::max<int64_t>(mx - 100, 0));
  const int64_t gentleAt = s_.rtc          ? target + 40
                           : s_.autoAdjust ? target + std::max<int64_t>(250, target / 4)
                                           : mx;
  if (!catching_ && (buffered > mx || buffered > gentleAt)) catching_ = true;
  if (catching_ && buffered <= stopAt) catching_ = false;
  if (catching_ && !eos) st.speed = (buffered > mx || buffered > target + 1000) ? kMaxSpeed : kGentleSpeed;
  if (!catching_ && !eos && fillAllowed && !s_.rtc && buffered < target - kFillMarginMs)
    st.speed = kFillSpeed;
  return st;
}

}  // namespace openlive::jitter
