// DeviceRetry (sdk/pusher/device_retry.h): a lost capture device is closed at once and asked again once per
// interval, never earlier, until it opens; a switch to another device ends the retries.
#include "pusher/device_retry.h"

#include <gtest/gtest.h>

namespace openlive::detail {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// A device that comes back after `failuresLeft` tries; counts releases and opens.
struct RetryProbeSource {
  int* failuresLeft;
  int* releases;
  void release() { ++*releases; }
  std::unique_ptr<RetryProbeSource> reopen(const std::atomic<bool>&, std::string* why) const {
    if ((*failuresLeft)-- > 0) {
      *why = "still unplugged";
      return nullptr;
    }
    return std::make_unique<RetryProbeSource>(RetryProbeSource{failuresLeft, releases});
  }
};

TEST(DeviceRetry, ClosesTheLostDeviceAndTriesOncePerIntervalUntilItIsBack) {
  int failures = 2, releases = 0;
  std::atomic<bool> cancel{false};
  std::string why;
  DeviceRetry<RetryProbeSource> retry(1000ms);
  EXPECT_FALSE(retry.active());
  const auto t0 = Clock::now();
  retry.lost(std::make_unique<RetryProbeSource>(RetryProbeSource{&failures, &releases}), t0);
  EXPECT_EQ(releases, 1);
  EXPECT_TRUE(retry.active());
  EXPECT_EQ(retry.poll(t0 + 999ms, cancel, &why), nullptr);  // not due yet: no try
  EXPECT_EQ(retry.attempts(), 0);
  EXPECT_EQ(retry.poll(t0 + 1000ms, cancel, &why), nullptr);  // first try fails
  EXPECT_EQ(why, "still unplugged");
  EXPECT_EQ(retry.attempts(), 1);
  EXPECT_GE(retry.nextTry(), t0 + 1000ms);  // the next one an interval after this try
  EXPECT_EQ(retry.poll(retry.nextTry() - 1ms, cancel, &why), nullptr);
  EXPECT_EQ(retry.attempts(), 1);
  EXPECT_EQ(retry.poll(retry.nextTry(), cancel, &why), nullptr);  // second try fails
  auto back = retry.poll(retry.nextTry(), cancel, &why);             // third: back
  ASSERT_NE(back, nullptr);
  EXPECT_EQ(retry.attempts(), 3);
  EXPECT_FALSE(retry.active());
  EXPECT_EQ(retry.poll(Clock::now() + 1h, cancel, &why), nullptr);  // nothing left to try
}

TEST(DeviceRetry, ASwitchToAnotherDeviceEndsTheRetries) {
  int failures = 0, releases = 0;
  std::atomic<bool> cancel{false};
  std::string why;
  DeviceRetry<RetryProbeSource> retry(10ms);
  retry.lost(std::make_unique<RetryProbeSource>(RetryProbeSource{&failures, &releases}), Clock::now());
  retry.reset();
  EXPECT_FALSE(retry.active());
  EXPECT_EQ(retry.poll(Clock::now() + 1s, cancel, &why), nullptr);
  EXPECT_EQ(retry.attempts(), 0);
}

}  // namespace
}  // namespace openlive::detail
