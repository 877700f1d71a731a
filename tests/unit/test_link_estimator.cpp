// The link estimator: throughput from acknowledged bytes, the early link-limited signal, the network's queue.
#include <gtest/gtest.h>

#include "pusher/link_estimator.h"

using namespace openlive::detail;
using std::chrono::milliseconds;

namespace {
struct Feed {
  LinkEstimator est;
  LinkEstimator::Clock::time_point t0 = LinkEstimator::Clock::now();
  LinkEstimator::Sample s;
  // `ms` of time during which the encoder produced `producedKbps` of video, the link delivered `ackedKbps`
  // (all tracks) with `audioKbps` of audio sent, RTT `rttMs`.
  BitrateController::Input step(int ms, int producedKbps, int ackedKbps, int audioKbps, int rttMs, int64_t queueMs = 0) {
    s.t += milliseconds(ms);
    s.producedVideoBytes += static_cast<uint64_t>(producedKbps) * ms / 8;
    s.sentBytes += static_cast<uint64_t>(ackedKbps) * ms / 8;
    s.sentAudioBytes += static_cast<uint64_t>(audioKbps) * ms / 8;
    if (s.ackedBytes >= 0) s.ackedBytes += static_cast<int64_t>(ackedKbps) * ms / 8;
    s.rttUs = rttMs * 1000;
    return est.update(s, queueMs);
  }
  Feed() {
    s.t = t0;
    s.ackedBytes = 0;
  }
};
}  // namespace

TEST(LinkEstimator, ThroughputIsDeliveredVideoOverTwoSeconds) {
  Feed f;
  BitrateController::Input in = f.step(200, 1000, 1064, 64, 20);
  EXPECT_LT(in.throughputKbps, 0);  // not known before 1 s of samples
  for (int i = 0; i < 15; ++i) in = f.step(200, 1000, 1064, 64, 20);
  EXPECT_NEAR(in.throughputKbps, 1000, 10);
  EXPECT_NEAR(in.recentDeliveredKbps, 1000, 10);
  EXPECT_NEAR(in.recentProducedKbps, 1000, 10);
  EXPECT_EQ(in.queueMs, 0);
}

TEST(LinkEstimator, ABottleneckShowsAsDeliveredBelowProduced) {
  Feed f;
  BitrateController::Input in;
  for (int i = 0; i < 15; ++i) in = f.step(200, 1000, 1064, 64, 20);
  for (int i = 0; i < 6; ++i) in = f.step(200, 1000, 564, 64, 20);  // capped at 500 kbps of video
  EXPECT_NEAR(in.recentDeliveredKbps, 500, 10);
  EXPECT_NEAR(in.recentProducedKbps, 1000, 10);
}

TEST(LinkEstimator, NetworkQueueIsRttAboveTheBase) {
  Feed f;
  BitrateController::Input in = f.step(200, 1000, 1064, 64, 20, 100);
  EXPECT_EQ(in.queueMs, 100);
  in = f.step(200, 1000, 1064, 64, 320, 100);  // a shaper holds 300 ms
  EXPECT_EQ(f.est.networkQueueMs(), 300);
  EXPECT_EQ(in.queueMs, 400);
  f.est.reset();
  in = f.step(200, 1000, 1064, 64, 320, 0);  // the base is forgotten with the link
  EXPECT_EQ(in.queueMs, 0);
}

TEST(LinkEstimator, WithoutTcpInfoTheSocketBytesCount) {
  Feed f;
  f.s.ackedBytes = -1;
  BitrateController::Input in;
  for (int i = 0; i < 15; ++i) in = f.step(200, 800, 864, 64, 0);
  EXPECT_NEAR(in.throughputKbps, 800, 10);
}
