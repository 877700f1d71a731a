// RtcHoldTrim (sdk/player/rtc_hold_trim.h): moves the RTC clock forward only when every picture of a window
// waited longer than the target needs, by the excess less a small margin, at most once per window.
#include "player/rtc_hold_trim.h"

#include <gtest/gtest.h>

using namespace openlive::player;
using namespace std::chrono_literals;

namespace {

using Clock = RtcHoldTrim::Clock;

// Feeds one window of arrivals every 33 ms with the given leads (cycled); returns the last answer.
int64_t window(RtcHoldTrim& t, Clock::time_point& wall, std::initializer_list<int64_t> leads, int64_t target) {
  int64_t out = 0;
  auto it = leads.begin();
  const auto end = wall + RtcHoldTrim::kWindow + 33ms;  // the first arrival after the window decides
  while (wall <= end) {
    out = t.onArrival(*it, target, wall);
    if (out != 0) return out;
    if (++it == leads.end()) it = leads.begin();
    wall += 33ms;
  }
  return out;
}

TEST(RtcHoldTrim, AConstantHoldIsTrimmedToTheMargin) {
  RtcHoldTrim t;
  Clock::time_point wall{};
  t.reset(wall);
  EXPECT_EQ(window(t, wall, {31, 33, 32}, 0), 31 - RtcHoldTrim::kKeepMs);
}

TEST(RtcHoldTrim, OneLateArrivalInTheWindowKeepsTheClock) {
  RtcHoldTrim t;
  Clock::time_point wall{};
  t.reset(wall);
  EXPECT_EQ(window(t, wall, {31, 33, 2, 32}, 0), 0);  // that picture needed almost all of the hold
}

TEST(RtcHoldTrim, TheJitterTargetIsKept) {
  RtcHoldTrim t;
  Clock::time_point wall{};
  t.reset(wall);
  EXPECT_EQ(window(t, wall, {31, 33}, 25), 0);   // within target + kAboveTargetMs
  EXPECT_EQ(window(t, wall, {60, 61}, 25), 60 - 25 - RtcHoldTrim::kKeepMs);
}

TEST(RtcHoldTrim, NothingBeforeAFullWindowOrWithTooFewPictures) {
  RtcHoldTrim t;
  Clock::time_point wall{};
  t.reset(wall);
  EXPECT_EQ(t.onArrival(40, 0, wall + 100ms), 0);
  EXPECT_EQ(t.onArrival(40, 0, wall + 200ms), 0);
  EXPECT_EQ(t.onArrival(40, 0, wall + 1100ms), 0);  // a full window, but 3 pictures: no decision
  // After a reset (a stall, a skip), the old leads do not count.
  t.reset(wall + 1200ms);
  EXPECT_EQ(t.onArrival(40, 0, wall + 1300ms), 0);
}

}  // namespace
