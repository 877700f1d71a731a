// Small units of the push pipeline: timestamp rebasing, the capture-to-wire statistic, the packetiser's SEI and
// message bound, the run signal's waits, the pacing of file sources.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <thread>

#include "capture/pull_sources.h"
#include "mux/flv_mux.h"
#include "pusher/media_clock.h"
#include "pusher/push_stats.h"
#include "pusher/run_signal.h"
#include "pusher/timestamp_rebaser.h"
#include "pusher/video_packetizer.h"

using namespace openlive::detail;
using std::chrono::milliseconds;

TEST(TimestampRebaser, StartsAtTheFirstIdrAndStaysMonotonicPerTrack) {
  TimestampRebaser ts(1000);
  EXPECT_EQ(ts.next(true, -133), 1000);  // the first IDR (negative dts with B-frames) is time 0 + offset
  EXPECT_EQ(ts.next(false, -100), 1033);
  EXPECT_EQ(ts.next(true, -66), 1067);
  EXPECT_EQ(ts.next(true, -80), 1068);  // a new encoder's dts behind the old one's: never back, never equal
  EXPECT_EQ(ts.next(false, -120), 1034);
  EXPECT_EQ(ts.position(), 1068);
  EXPECT_EQ(ts.videoPosition(), 1068);
}

TEST(PushStats, CaptureToWireIsTheMedianOfTheLastSecond) {
  PushStats s;
  const auto now = PushStats::Clock::now();
  const int64_t nowUs = std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count();
  EXPECT_FALSE(s.captureToWireMs(now).has_value());
  s.addCaptureToWire(nowUs - 900000, now - milliseconds(1500));  // older than a second at `now`: not counted
  for (int ms : {10, 12, 30, 11, 13}) s.addCaptureToWire(nowUs - ms * 1000, now);
  ASSERT_TRUE(s.captureToWireMs(now).has_value());
  EXPECT_NEAR(*s.captureToWireMs(now), 12, 0.01);
  const openlive::NetStatus st = s.report(now, PushStats::Snapshot{});
  EXPECT_EQ(st.get(openlive::net::kCaptureToWire), "12.0");
}

TEST(VideoPacketizer, AddsTheCaptureTimeAndBoundsPendingMessages) {
  RunSignal signal;
  MediaClock clock(signal);
  clock.start();
  VideoPacketizer pk(clock);
  for (size_t i = 0; i < VideoPacketizer::kMaxPendingMessages; ++i) EXPECT_TRUE(pk.queueMessage({1, 2, 3}));
  EXPECT_FALSE(pk.queueMessage({4}));  // drop-newest
  EXPECT_FALSE(pk.queueMessage(std::vector<uint8_t>(VideoPacketizer::kMaxMessageBytes + 1, 0)));
  EncodedPacket p;
  p.keyframe = true;
  p.data = {0, 0, 0, 1, 0x65, 0x88, 0x84};  // an IDR slice, Annex B
  pk.packetize(p);
  // AVCC: the capture-time SEI, 64 app messages, the slice.
  size_t nals = 0;
  for (size_t i = 0; i + 4 <= p.data.size(); ++nals)
    i += 4 + ((size_t{p.data[i]} << 24) | (size_t{p.data[i + 1]} << 16) | (size_t{p.data[i + 2]} << 8) | p.data[i + 3]);
  EXPECT_EQ(nals, 2 + VideoPacketizer::kMaxPendingMessages);
  EXPECT_FALSE(p.disposable);
  EncodedPacket b;
  b.data = {0, 0, 0, 1, 0x01, 0x9e};  // nal_ref_idc 0: a B-frame nothing refers to
  pk.packetize(b);
  EXPECT_TRUE(b.disposable);
}

TEST(RunSignal, StopWakesEveryWait) {
  RunSignal s;
  std::thread sleeper([&] { EXPECT_FALSE(s.sleepUntil(RunSignal::Clock::now() + std::chrono::hours(1))); });
  std::thread waiter([&] { EXPECT_FALSE(s.wait([] { return false; })); });
  s.requestStop();
  sleeper.join();
  waiter.join();
  EXPECT_TRUE(s.stopping());
  EXPECT_FALSE(s.running());
}

TEST(MediaClock, WaitStartedReturnsOnStartOrDrain) {
  RunSignal s;
  MediaClock c(s);
  EXPECT_EQ(c.nowMs(), 0);
  std::thread t([&] { EXPECT_TRUE(c.waitStarted()); });
  c.start();
  t.join();
  EXPECT_TRUE(c.started());
  EXPECT_GE(c.nowMs(), 0);
  RunSignal s2;
  MediaClock c2(s2);
  std::thread t2([&] { EXPECT_FALSE(c2.waitStarted()); });
  s2.requestDrain();
  t2.join();
}

TEST(SourcePacing, RegularFileIsRealtimeAPipeIsLive) {
  char tmpl[] = "/tmp/ol-pacing-XXXXXX";
  const int fd = mkstemp(tmpl);
  ASSERT_GE(fd, 0);
  close(fd);
  EXPECT_EQ(pacingOfPath(tmpl), SourcePacing::Realtime);
  unlink(tmpl);
  ASSERT_EQ(mkfifo(tmpl, 0600), 0);
  EXPECT_EQ(pacingOfPath(tmpl), SourcePacing::Live);
  unlink(tmpl);
}
