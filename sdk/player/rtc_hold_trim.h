// RTC hold trim (player): keeps pictures from waiting for the clock longer than the measured jitter needs.
//
// The RTC clock is set once (at the first picture, or at a skip to the live edge) and then runs in real time. If
// that first picture came out late relative to the ones after it (an IDR is bigger: slower to encode, send and
// decode), every later picture arrives early for the clock and waits that long before it is due: a constant
// hold that the buffer-size rules never see, because it stays under their thresholds. The trim watches how far
// ahead of the clock each newly arrived picture is (its lead) over a window; when even the smallest lead of the
// window is more than kAboveTargetMs over the RTC target (the measured arrival lateness), the clock may move
// forward by the excess, keeping kKeepMs. On a clean link each picture is then shown as soon as it is decoded.
// Streams with B-frames are left alone (the newest pts is not the next picture to show).
#pragma once

#include <chrono>
#include <cstdint>
#include <limits>

namespace openlive::player {

class RtcHoldTrim {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr int64_t kAboveTargetMs = 8;
  static constexpr int64_t kKeepMs = 3;
  static constexpr int kMinSamples = 5;
  static constexpr std::chrono::milliseconds kWindow{1000};

  // Starts a new window (after a start, stall, skip or jump: leads before it say nothing about the clock now).
  void reset(Clock::time_point wall);
  // A new picture arrived `leadMs` ahead of the clock (its pts - the clock's media time). Returns how many ms
  // to move the clock forward now (0: keep it), at most once per window.
  int64_t onArrival(int64_t leadMs, int64_t targetMs, Clock::time_point wall);

 private:
  Clock::time_point windowStart_{};
  int64_t minLead_ = std::numeric_limits<int64_t>::max();
  int samples_ = 0;
};

}  // namespace openlive::player
