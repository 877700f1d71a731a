// Lifetime contract of the public objects, many times over (run under ASan/LSan in CI):
//  - create / start / stop / destroy in a loop, in every state (connecting, publishing/playing, failed);
//  - stop while connecting to a peer that never answers returns promptly;
//  - destroying the object from inside its own callback works (no self-join, no use-after-free);
//  - no callback runs after stop / the destructor returned.
// OPENLIVE_LIFETIME_ITERATIONS overrides the iteration count (default 1000).
#include "faults/fault_proxy.h"
#include "fixtures/media_probe.h"
#include "fixtures/require.h"
#include "fixtures/servers.h"
#include "fixtures/timing.h"

#include <openlive/live_player.h>
#include <openlive/live_pusher.h>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <future>
#include <memory>
#include <mutex>
#include <random>
#include <thread>

using namespace openlive;
using namespace openlive::test;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

int iterations() {
  const char* v = std::getenv("OPENLIVE_LIFETIME_ITERATIONS");
  int n = v ? std::atoi(v) : 1000;
  return n > 0 ? n : 1000;
}

PushConfig smallPush() {
  PushConfig c;
  c.mode = PushMode::RTC;
  c.width = 160;
  c.height = 90;
  c.fps = 15;
  c.connectRetryCount = 0;
  c.connectRetryInterval = 100ms;
  c.connectTimeout = 1000ms;
  c.ioTimeout = 1000ms;
  return c;
}

PlayConfig headlessPlay() {
  PlayConfig c;
  c.video.kind = VideoOutput::Kind::None;
  c.audio.kind = AudioOutput::Kind::None;
  c.connectRetryCount = 1;
  c.connectRetryInterval = std::chrono::milliseconds(100);
  return c;
}

// Counts callbacks that arrive after the owner declared the object stopped.
struct LateCallbackProbe {
  std::atomic<bool> stopped{false};
  std::atomic<int> late{0};
  std::atomic<int> seen{0};
  void hit() {
    ++seen;
    if (stopped.load()) ++late;
  }
};

}  // namespace

TEST(Lifetime, PusherStartStopDestroyInEveryState) {
  std::string why;
  auto server = startNginxRtmp(&why);
  OPENLIVE_NEED(server, why);
  FaultProxy hole("127.0.0.1", server->rtmpPort());  // a peer that accepts and never answers
  hole.setBlackHole(true);
  const int n = iterations();
  std::mt19937 rng(7);
  int64_t worstStopMs = 0;
  int late = 0;
  for (int i = 0; i < n; ++i) {
    auto probe = std::make_shared<LateCallbackProbe>();
    auto pusher = std::make_unique<LivePusher>(smallPush());
    pusher->setEventCallback([probe](const Event&) { probe->hit(); });
    pusher->setNetStatusCallback([probe](const NetStatus&) { probe->hit(); });
    std::string url;
    switch (i % 4) {
      case 0: url = "rtmp://127.0.0.1:" + std::to_string(hole.port()) + "/live/h" + std::to_string(i); break;
      case 1: url = server->rtmpUrl("l" + std::to_string(i)); break;
      case 2: url = "rtmp://127.0.0.1:1/live/refused"; break;  // fails fast (3002)
      default: url = "not a url"; break;                       // refused at once (-1313)
    }
    (void)pusher->start(url);  // a refused start is one of the cases under test
    // Stop at a random moment: right away, mid-connect, or once publishing.
    int waitMs = (i % 50 == 1) ? 1500 : static_cast<int>(rng() % 30);
    std::this_thread::sleep_for(std::chrono::milliseconds(waitMs));  // scenario: the random moment
    auto t0 = Clock::now();
    if (i % 2 == 0) pusher->stop();
    pusher.reset();  // the destructor stops too
    probe->stopped = true;
    worstStopMs = std::max<int64_t>(
        worstStopMs, std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0).count());
    std::this_thread::sleep_for(1ms);  // scenario: a window in which a late callback would show
    late += probe->late.load();
  }
  EXPECT_EQ(late, 0) << "callbacks ran after stopPush()/destruction returned";
  EXPECT_LT(worstStopMs, scaledMs(500)) << "stop/destroy took too long at least once";
  RecordProperty("worst_stop_ms", static_cast<int>(worstStopMs));
  std::printf("pusher lifetime: %d iterations, worst stop+destroy %lld ms\n", n, static_cast<long long>(worstStopMs));
}

TEST(Lifetime, PusherDestroyedFromInsideItsCallback) {
  std::string why;
  auto server = startNginxRtmp(&why);
  OPENLIVE_NEED(server, why);
  for (int i = 0; i < 20; ++i) {
    struct Holder {
      std::mutex mu;
      std::unique_ptr<LivePusher> pusher;
    };
    // Declared before the holder that owns the pusher: its callback uses them until the pusher is destroyed.
    std::promise<void> destroyed;
    auto fut = destroyed.get_future();
    std::atomic<bool> once{false};
    auto holder = std::make_shared<Holder>();
    holder->pusher = std::make_unique<LivePusher>(smallPush());
    holder->pusher->setEventCallback([holder, &destroyed, &once](const Event& e) {
      if (e.code != EventCode::PUSH_EVT_CONNECT_SUCC && e.code != EventCode::PUSH_EVT_PUSH_BEGIN) return;
      if (once.exchange(true)) return;
      std::unique_ptr<LivePusher> victim;
      {
        std::lock_guard lk(holder->mu);
        victim = std::move(holder->pusher);
      }
      victim.reset();  // destroy the pusher from its own callback thread
      destroyed.set_value();
    });
    {
      std::lock_guard lk(holder->mu);
      ASSERT_TRUE(holder->pusher->start(server->rtmpUrl("cb" + std::to_string(i))).ok());
    }
    ASSERT_EQ(fut.wait_for(10s), std::future_status::ready) << "iteration " << i;
  }
}

TEST(Lifetime, PlayerStartStopDestroyInEveryState) {
  std::string why;
  auto server = startNginxRtmp(&why);
  OPENLIVE_NEED(server, why);
  OPENLIVE_NEED(haveFfmpegCli(&why), why);
  const double seconds = 60;
  auto push = startFfmpegTestPush(server->rtmpUrl("src"), seconds, "160x90", 15);
  FaultProxy hole("127.0.0.1", server->rtmpPort());
  hole.setBlackHole(true);
  ASSERT_TRUE(server->waitForPublish("src", 10s)) << server->logTail();
  const int n = iterations();
  std::mt19937 rng(11);
  int64_t worstStopMs = 0;
  int late = 0;
  auto deadline = Clock::now() + std::chrono::seconds(static_cast<int>(seconds) - 5);
  int done = 0;
  for (int i = 0; i < n && Clock::now() < deadline; ++i, ++done) {
    auto probe = std::make_shared<LateCallbackProbe>();
    auto player = std::make_unique<LivePlayer>(headlessPlay());
    player->setEventCallback([probe](const Event&) { probe->hit(); });
    player->setNetStatusCallback([probe](const NetStatus&) { probe->hit(); });
    player->setVideoFrameCallback([probe](const VideoFrame&) { probe->hit(); });
    std::string url;
    switch (i % 4) {
      case 0: url = "rtmp://127.0.0.1:" + std::to_string(hole.port()) + "/live/src"; break;
      case 1: url = server->rtmpUrl("src"); break;
      case 2: url = "rtmp://127.0.0.1:1/live/refused"; break;
      default: url = "bogus://x"; break;
    }
    (void)player->start(url);  // a refused start is one of the cases under test
    int waitMs = (i % 50 == 1) ? 1500 : static_cast<int>(rng() % 30);
    std::this_thread::sleep_for(std::chrono::milliseconds(waitMs));  // scenario: the random moment
    auto t0 = Clock::now();
    if (i % 2 == 0) player->stop();
    player.reset();
    probe->stopped = true;
    worstStopMs = std::max<int64_t>(
        worstStopMs, std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0).count());
    std::this_thread::sleep_for(1ms);  // scenario: a window in which a late callback would show
    late += probe->late.load();
  }
  EXPECT_GE(done, std::min(n, 200)) << "too few iterations ran before the source ended";
  EXPECT_EQ(late, 0) << "callbacks ran after stopPlay()/destruction returned";
  EXPECT_LT(worstStopMs, scaledMs(500));
  std::printf("player lifetime: %d iterations, worst stop+destroy %lld ms\n", done, static_cast<long long>(worstStopMs));
}

TEST(Lifetime, PlayerDestroyedFromInsideItsCallback) {
  std::string why;
  auto server = startNginxRtmp(&why);
  OPENLIVE_NEED(server, why);
  OPENLIVE_NEED(haveFfmpegCli(&why), why);
  auto push = startFfmpegTestPush(server->rtmpUrl("cbp"), 30, "160x90", 15);
  ASSERT_TRUE(server->waitForPublish("cbp", 10s)) << server->logTail();
  for (int i = 0; i < 10; ++i) {
    // Declared before the holder that owns the player: its callback uses them until the player is destroyed.
    std::promise<void> destroyed;
    auto fut = destroyed.get_future();
    std::atomic<bool> once{false};
    auto holder = std::make_shared<std::unique_ptr<LivePlayer>>();
    auto mu = std::make_shared<std::mutex>();
    *holder = std::make_unique<LivePlayer>(headlessPlay());
    (*holder)->setEventCallback([holder, mu, &destroyed, &once](const Event& e) {
      if (e.code != EventCode::PLAY_EVT_CONNECT_SUCC && e.code != EventCode::PLAY_EVT_PLAY_BEGIN) return;
      if (once.exchange(true)) return;
      std::unique_ptr<LivePlayer> victim;
      {
        std::lock_guard lk(*mu);
        victim = std::move(*holder);
      }
      victim.reset();
      destroyed.set_value();
    });
    {
      std::lock_guard lk(*mu);
      ASSERT_TRUE((*holder)->start(server->rtmpUrl("cbp")));
    }
    ASSERT_EQ(fut.wait_for(10s), std::future_status::ready) << "iteration " << i;
  }
}
