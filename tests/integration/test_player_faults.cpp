// The player through the fault proxy (tests/faults/fault_proxy.h) against nginx-rtmp, fed by the SDK's own
// pusher (LivePusher, test pattern + tone, capture-time SEI -> E2E_LATENCY in the player's net status):
//   - a 5 s stall of the whole link (both directions, pusher and player behind the proxy, as in the soak):
//     nginx drops the idle publisher, which republishes; the player must not sit silent - it resumes the
//     republished stream or goes through the reconnect sequence, and renders again;
//   - latency control under repeated short stalls (issue 5): live mode 1/3 never shows a visible stall and
//     stays within max-cache + 0.5 s; after a 2 s stall it is back within max-cache in <= 10 s; RTC mode is
//     back at its low latency within 2 s of each stall; 2104 on irregular arrival, none on a clean link.
#include "faults/fault_proxy.h"
#include "fixtures/require.h"
#include "fixtures/timing.h"
#include "fixtures/servers.h"
#include "integration/proxy_play.h"
#include "integration/test_player_util.h"
#include "pusher_test_util.h"

#include <openlive/live_player.h>
#include <openlive/live_pusher.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <thread>

using namespace openlive;
using namespace openlive::test;
using namespace std::chrono_literals;

namespace {
using Clock = std::chrono::steady_clock;

PushConfig smallPush() { return smallRtcPush(25, 1000ms, 10); }

// Counts rendered frames and keeps (time, E2E latency) samples from the player's own net status.
struct PlayerWatch {
  std::atomic<int> frames{0};
  std::mutex mu;
  std::condition_variable cv;
  struct Sample {
    Clock::time_point t;
    int64_t latencyMs, stalls;
  };
  std::vector<Sample> samples;
  Clock::time_point lastFrame{};

  void attach(LivePlayer& p, EventLog& log) {
    log.attach(p);
    p.setVideoFrameCallback([this](const VideoFrame&) {
      std::lock_guard lk(mu);
      ++frames;
      lastFrame = Clock::now();
      cv.notify_all();
    });
  }
  bool waitFrames(int n, std::chrono::milliseconds timeout) {
    std::unique_lock lk(mu);
    return cv.wait_for(lk, timeout, [&] { return frames >= n; });
  }
};

int countOf(const std::vector<int>& codes, int c) { return int(std::count(codes.begin(), codes.end(), c)); }

}  // namespace

// The soak's stall, reduced: 5 s of nothing either way for pusher and player. nginx drops the idle publisher
// (drop_idle_publisher 5 s) and may drop the player (ping 5 s / 3 s); the pusher reconnects and republishes.
// Before the fix the player emitted 2007 + 2105 and then nothing, forever.
namespace {
void wholeLinkStall(std::chrono::milliseconds stall) {
  std::string why;
  auto server = startNginxRtmp(&why);
  OPENLIVE_NEED(server, why);
  FaultProxy proxy("127.0.0.1", server->rtmpPort());
  LivePusher pusher(smallPush());
  ASSERT_TRUE(pusher.start(viaProxy(proxy, "ws")));
  // Declared before the player: its callbacks use these until the player is destroyed.
  EventLog log;
  PlayerWatch watch;
  LivePlayer player(headlessPlay(CacheMode::MiniProgram));
  watch.attach(player, log);
  ASSERT_TRUE(player.start(viaProxy(proxy, "ws")));
  ASSERT_TRUE(log.waitFor(2004, 10s)) << log.dump();
  std::this_thread::sleep_for(2s);  // scenario: 2 s of clean playback, then the stall
  const auto stallStart = Clock::now();
  proxy.stall(stall, Direction::Both);
  std::this_thread::sleep_until(stallStart + stall);  // the stall is over now
  const int before = watch.frames;
  // Frames again (resumed or reconnected) within 15 s of the end of the stall.
  EXPECT_TRUE(watch.waitFrames(before + 50, 15s)) << "no picture after the stall; events: " << log.dump();
  // The buffer (up to max cache 3 s, more while catching up) ran dry during the stall: 2007, then a second
  // 2004 when playback resumed.
  EXPECT_TRUE(log.waitFor(2007, 0ms)) << log.dump();
  EXPECT_TRUE(log.waitFor(2004, 1s, 2)) << log.dump();
  auto codes = log.codes();
  EXPECT_EQ(countOf(codes, -2301), 0) << log.dump();
  EXPECT_EQ(countOf(codes, 2006), 0) << "a republished stream is not the end: " << log.dump();
  // If it reconnected, it did so in order: 3004/3005 before 2103 before the new 2004.
  if (countOf(codes, 2103) > 0) {
    auto first2103 = std::find(codes.begin(), codes.end(), 2103) - codes.begin();
    auto firstWarn = std::find_if(codes.begin(), codes.end(), [](int c) { return c == 3004 || c == 3005; }) -
                     codes.begin();
    EXPECT_LT(firstWarn, first2103) << log.dump();
  }
  player.stop();
  pusher.stop();
}
}  // namespace

TEST(PlayerFaults, WholeLinkStallWithRepublishRendersAgain) { wholeLinkStall(5000ms); }

// A connection that stays up but carries no media (the publisher vanished without any notification; pings only)
// is a no-data condition: 3005 and the reconnect sequence within the play-read timeout, never silence.
TEST(PlayerFaults, NoMediaWhilePlayingReconnects) {
  std::string why;
  auto server = startNginxRtmp(&why);
  OPENLIVE_NEED(server, why);
  FaultProxy proxy("127.0.0.1", server->rtmpPort());
  LivePusher pusher(smallPush());
  ASSERT_TRUE(pusher.start(server->rtmpUrl("nd")));  // direct: only the player's link is faulted
  PlayConfig cfg = headlessPlay(CacheMode::Fast);
  cfg.connectRetryCount = 3;
  cfg.connectRetryInterval = std::chrono::milliseconds(1000);
  // Declared before the player: its callbacks use it until the player is destroyed.
  EventLog log;
  LivePlayer player(cfg);
  log.attach(player);
  ASSERT_TRUE(player.start(viaProxy(proxy, "nd")));
  ASSERT_TRUE(log.waitFor(2004, 10s)) << log.dump();
  proxy.stall(6500ms, Direction::Downstream);  // the socket stays open; nothing reaches the player
  auto t0 = Clock::now();
  ASSERT_TRUE(log.waitForAny({3004, 3005}, scaled(8s))) << log.dump();
  EXPECT_LT(Clock::now() - t0, scaled(7s));
  EXPECT_TRUE(log.waitFor(2103, scaled(2s))) << log.dump();
  EXPECT_TRUE(log.waitFor(2004, 15s, 2)) << "did not resume after the link came back: " << log.dump();
  player.stop();
  pusher.stop();
}

namespace {

// Events and net status with their arrival times (the player's own numbers: E2E_LATENCY, STALL_COUNT, STALL_MS).
struct Timeline {
  struct Status {
    Clock::time_point t;
    int64_t latencyMs, stalls, stallMs;
  };
  std::mutex mu;
  std::condition_variable cv;
  std::vector<std::pair<Clock::time_point, int>> events;
  std::vector<Status> status;

  void attach(LivePlayer& p) {
    p.setEventCallback([this](const Event& e) {
      std::lock_guard lk(mu);
      events.emplace_back(Clock::now(), toInt(e.code));
      cv.notify_all();
    });
    p.setNetStatusCallback([this](const NetStatus& st) {
      std::lock_guard lk(mu);
      status.push_back({Clock::now(), int64_t(st.number(net::kLatency).value_or(-1)),
                        int64_t(st.number(net::kStallCount).value_or(0)), int64_t(st.number(net::kStallMs).value_or(0))});
    });
  }
  int count(int code, Clock::time_point from, Clock::time_point to = Clock::time_point::max()) {
    std::lock_guard lk(mu);
    return int(std::count_if(events.begin(), events.end(),
                             [&](auto& e) { return e.second == code && e.first >= from && e.first <= to; }));
  }
  bool waitEvent(int code, std::chrono::milliseconds timeout) {
    std::unique_lock lk(mu);
    return cv.wait_for(lk, timeout, [&] {
      return std::any_of(events.begin(), events.end(), [&](auto& e) { return e.second == code; });
    });
  }
  std::vector<Status> between(Clock::time_point from, Clock::time_point to) {
    std::lock_guard lk(mu);
    std::vector<Status> out;
    for (auto& x : status)
      if (x.t >= from && x.t <= to && x.latencyMs >= 0) out.push_back(x);
    return out;
  }
  std::string dump() {
    std::lock_guard lk(mu);
    std::string s;
    for (auto& e : events) s += std::to_string(e.second) + " ";
    s += "| latency:";
    for (auto& x : status) s += " " + std::to_string(x.latencyMs);
    return s;
  }
};

int64_t maxLatency(const std::vector<Timeline::Status>& v) {
  int64_t m = -1;
  for (auto& x : v) m = std::max(m, x.latencyMs);
  return m;
}
int64_t median(std::vector<Timeline::Status> v) {
  if (v.empty()) return -1;
  std::sort(v.begin(), v.end(), [](auto& a, auto& b) { return a.latencyMs < b.latencyMs; });
  return v[v.size() / 2].latencyMs;
}

// Player behind the proxy, SDK pusher straight to nginx-rtmp (only the play link is faulted).
struct Rig {
  std::unique_ptr<MediaServer> server;
  std::unique_ptr<FaultProxy> proxy;
  std::unique_ptr<LivePusher> pusher;
  bool up(const std::string& stream, std::string* why) {
    server = startNginxRtmp(why);
    if (!server) return false;
    proxy = std::make_unique<FaultProxy>("127.0.0.1", server->rtmpPort());
    pusher = std::make_unique<LivePusher>(smallPush());
    return bool(pusher->start(server->rtmpUrl(stream)));
  }
  ~Rig() {
    if (pusher) pusher->stop();
  }
};

}  // namespace

// Issue 5: repeated 500 ms stalls every 5 s. Live mode 1/3 rides them out: no 2007 / 2105, latency never above
// max-cache + 0.5 s; no 2104 on the clean link before.
TEST(PlayerFaultsTiming, LiveModeRidesOutRepeatedShortStalls) {
  OPENLIVE_SKIP_TIMING_BOUND_UNDER_SANITIZER();
  std::string why;
  Rig rig;
  OPENLIVE_NEED(rig.up("ls", &why), why);
  // Declared before the player: its callbacks use it until the player is destroyed.
  Timeline tl;
  LivePlayer player(headlessPlay(CacheMode::MiniProgram));
  tl.attach(player);
  ASSERT_TRUE(player.start(viaProxy(*rig.proxy, "ls")));
  ASSERT_TRUE(tl.waitEvent(2004, 10s)) << tl.dump();
  // Scenario: settle on a clean link. The player starts with a 100 ms prebuffer and grows its buffer towards
  // the target by playing 4 % slow (CacheController::kFillSpeed): ~0.7 s after 15 s, enough for 500 ms stalls.
  std::this_thread::sleep_for(15s);
  auto faults = Clock::now();
  EXPECT_EQ(tl.count(2104, Clock::time_point::min(), faults), 0) << "2104 on a clean link: " << tl.dump();
  for (int i = 0; i < 5; ++i) {
    rig.proxy->stall(500ms, Direction::Downstream);
    std::this_thread::sleep_for(5s);  // scenario: a 500 ms stall every 5 s
  }
  auto end = Clock::now();
  auto st = tl.between(faults, end);
  ASSERT_GE(st.size(), 20u) << tl.dump();
  const int64_t maxCacheMs = 3000;
  std::printf("[ live 1/3, 5 x 500 ms stalls ] latency max %lld ms, median %lld ms, stalls %lld (%lld ms)\n",
              (long long)maxLatency(st), (long long)median(st), (long long)st.back().stalls,
              (long long)st.back().stallMs);
  EXPECT_EQ(tl.count(2007, faults), 0) << tl.dump();
  EXPECT_EQ(tl.count(2105, faults), 0) << tl.dump();
  EXPECT_LE(maxLatency(st), maxCacheMs + 500) << tl.dump();
  EXPECT_EQ(tl.count(2103, faults), 0) << tl.dump();
  player.stop();
}

// Issue 5: after a 2 s stall the live-mode (1/3) latency is back within max-cache in <= 10 s; the late burst
// is reported as irregular arrival (2104) and the stall is counted in the player's own net status.
TEST(PlayerFaultsTiming, LiveModeBackWithinMaxCacheAfterTwoSecondStall) {
  OPENLIVE_SKIP_TIMING_BOUND_UNDER_SANITIZER();
  std::string why;
  Rig rig;
  OPENLIVE_NEED(rig.up("l2", &why), why);
  // Declared before the player: its callbacks use it until the player is destroyed.
  Timeline tl;
  LivePlayer player(headlessPlay(CacheMode::MiniProgram));
  tl.attach(player);
  ASSERT_TRUE(player.start(viaProxy(*rig.proxy, "l2")));
  ASSERT_TRUE(tl.waitEvent(2004, 10s)) << tl.dump();
  std::this_thread::sleep_for(5s);  // scenario: 5 s of clean playback, a 2 s stall, 13 s of observation
  rig.proxy->stall(2000ms, Direction::Downstream);
  std::this_thread::sleep_for(2000ms);
  auto stallEnd = Clock::now();
  std::this_thread::sleep_for(13s);
  const int64_t maxCacheMs = 3000;
  auto after = tl.between(stallEnd + 10s, Clock::now());
  ASSERT_GE(after.size(), 2u) << tl.dump();
  // First moment from which every sample stays within max-cache.
  auto all = tl.between(stallEnd, Clock::now());
  double backAfter = 0;
  for (auto& x : all)
    if (x.latencyMs > maxCacheMs) backAfter = std::chrono::duration<double>(x.t - stallEnd).count();
  std::printf("[ live 1/3, 2 s stall ] peak %lld ms, back within max-cache after %.1f s, after 10 s max %lld ms, "
              "stalls %lld (%lld ms)\n",
              (long long)maxLatency(all), backAfter, (long long)maxLatency(after), (long long)all.back().stalls,
              (long long)all.back().stallMs);
  EXPECT_LE(maxLatency(after), maxCacheMs) << tl.dump();
  EXPECT_LE(backAfter, 10.0) << tl.dump();
  EXPECT_GE(tl.count(2104, stallEnd - 2s), 1) << "irregular arrival not reported: " << tl.dump();
  EXPECT_EQ(tl.count(2103, Clock::time_point::min()), 0) << tl.dump();
  player.stop();
}

// Issue 5: RTC mode returns to its low latency within 2 s of each 500 ms stall.
TEST(PlayerFaultsTiming, RtcBackToLowLatencyAfterEachStall) {
  OPENLIVE_SKIP_TIMING_BOUND_UNDER_SANITIZER();
  std::string why;
  Rig rig;
  OPENLIVE_NEED(rig.up("rt", &why), why);
  // Declared before the player: its callbacks use it until the player is destroyed.
  Timeline tl;
  LivePlayer player(headlessPlay(CacheMode::Auto));
  tl.attach(player);
  ASSERT_TRUE(player.start(viaProxy(*rig.proxy, "rt"), PlayType::Rtc));
  ASSERT_TRUE(tl.waitEvent(2004, 10s)) << tl.dump();
  std::this_thread::sleep_for(3s);  // scenario: 3 s to settle, then 5 s of baseline latency
  auto base0 = Clock::now();
  std::this_thread::sleep_for(5s);
  const int64_t baseline = median(tl.between(base0, Clock::now()));
  ASSERT_GT(baseline, 0) << "no E2E_LATENCY (capture-time SEI) in net status: " << tl.dump();
  EXPECT_EQ(tl.count(2104, base0 - 3s), 0) << "2104 on a clean link: " << tl.dump();
  int64_t worstLate = 0;
  for (int i = 0; i < 3; ++i) {
    rig.proxy->stall(500ms, Direction::Downstream);
    std::this_thread::sleep_for(500ms);  // scenario: the stall, then 5 s of observation
    auto stallEnd = Clock::now();
    std::this_thread::sleep_for(5s);
    auto late = tl.between(stallEnd + 2s, Clock::now());
    ASSERT_FALSE(late.empty()) << tl.dump();
    worstLate = std::max(worstLate, maxLatency(late));
  }
  std::printf("[ RTC, 3 x 500 ms stalls ] baseline p50 %lld ms, worst from 2 s after a stall %lld ms\n",
              (long long)baseline, (long long)worstLate);
  EXPECT_LE(worstLate, baseline + 150) << tl.dump();
  player.stop();
}
