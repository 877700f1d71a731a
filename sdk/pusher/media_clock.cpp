#include "pusher/media_clock.h"

#include "common/clock_ms.h"

#include <mutex>

namespace openlive::detail {

int64_t steadyNowUs() {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

void MediaClock::start() {
  std::call_once(once_, [this] {
    epoch_ = Clock::now();
    epochWallMs_ = wallMs();
    started_.store(true, std::memory_order_release);
  });
  signal_.notify();
}

bool MediaClock::waitStarted() {
  signal_.wait([&] { return started() || signal_.draining(); });
  return started() && signal_.running();
}

int64_t MediaClock::nowMs() const { return msAt(Clock::now()); }

int64_t MediaClock::msAt(Clock::time_point t) const {
  if (!started()) return 0;
  return std::chrono::duration_cast<std::chrono::milliseconds>(t - epoch_).count();
}

int64_t MediaClock::wallMsAt(int64_t ptsMs) const { return started() ? epochWallMs_ + ptsMs : 0; }

}  // namespace openlive::detail
