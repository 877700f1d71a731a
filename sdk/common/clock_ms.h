// Millisecond readings of the two clocks, as the SDK stamps them: wall time (EVT_TIME, the epoch) and the
// steady clock (intervals, arrival times).
#pragma once

#include <chrono>
#include <cstdint>

namespace openlive {

inline int64_t wallMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

inline int64_t steadyMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace openlive
