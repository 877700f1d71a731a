// Thread-safety stress: 8 threads call the public API of one pusher and one player at random (start, stop,
// pause, resume, mute, mirror, config changes, custom frames, messages, snapshots, local recording) for a fixed
// time. Run under the tsan
// preset in CI: no data race, no deadlock, and every call returns within a bound.
// OPENLIVE_STRESS_SECONDS overrides the duration (default 8).
#include "fixtures/media_probe.h"
#include "fixtures/require.h"
#include "fixtures/servers.h"
#include "fixtures/temp_dir.h"
#include "fixtures/timing.h"

#include <openlive/live_player.h>
#include <openlive/live_pusher.h>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <random>
#include <thread>
#include <vector>

using namespace openlive;
using namespace openlive::test;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

double stressSeconds() {
  const char* v = std::getenv("OPENLIVE_STRESS_SECONDS");
  double s = v ? std::atof(v) : 8.0;
  return s > 0 ? s : 8.0;
}

struct CallStats {
  std::atomic<int64_t> worstUs{0};
  std::atomic<int64_t> calls{0};
  template <typename F>
  void time(F&& f) {
    auto t0 = Clock::now();
    f();
    int64_t us = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - t0).count();
    ++calls;
    int64_t prev = worstUs.load();
    while (us > prev && !worstUs.compare_exchange_weak(prev, us)) {
    }
  }
};

}  // namespace

TEST(ApiStress, EightThreadsOnOnePusherAndOnePlayer) {
  std::string why;
  auto server = startNginxRtmp(&why);
  OPENLIVE_NEED(server, why);

  PushConfig pc;
  pc.mode = PushMode::RTC;
  pc.width = 160;
  pc.height = 90;
  pc.fps = 15;
  pc.connectRetryCount = 1;
  pc.connectRetryInterval = 200ms;
  PlayConfig plc;
  plc.video.kind = VideoOutput::Kind::None;
  plc.audio.kind = AudioOutput::Kind::None;
  plc.connectRetryCount = 1;
  plc.connectRetryInterval = 200ms;
  // Declared before the pusher and the player: their callbacks use it until they are destroyed.
  std::atomic<int> events{0};
  LivePusher pusher(pc);
  LivePlayer player(plc);

  pusher.setEventCallback([&](const Event&) { ++events; });
  player.setEventCallback([&](const Event&) { ++events; });
  pusher.setNetStatusCallback([&](const NetStatus&) { ++events; });
  player.setNetStatusCallback([&](const NetStatus&) { ++events; });

  const std::string url = server->rtmpUrl("stress");
  TempDir files("ol-stress-files");
  std::atomic<int> fileNo{0};
  auto fresh = [&](const char* ext) { return (files / (std::to_string(fileNo++) + ext)).string(); };
  CallStats stats;
  std::atomic<bool> stop{false};
  auto until = Clock::now() + std::chrono::duration<double>(stressSeconds());
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      std::mt19937 rng(static_cast<unsigned>(t * 7919 + 1));
      std::vector<uint8_t> y(160 * 90, 100), u(80 * 45, 128), v(80 * 45, 128);
      std::vector<int16_t> pcm(480 * 2, 0);
      while (Clock::now() < until && !stop) {
        // Results are ignored on purpose ((void)): any answer is fine under contention; the test is that every
        // call returns promptly and nothing crashes, deadlocks or races.
        int op = static_cast<int>(rng() % 28);
        stats.time([&] {
          switch (op) {
            case 0: (void)pusher.start(url); break;
            case 1: pusher.stop(); break;
            case 2: pusher.pause(); break;
            case 3: pusher.resume(); break;
            case 4: pusher.setMute(rng() % 2); break;
            case 5: pusher.setMirror(rng() % 2); break;
            case 6: {
              PushConfig c = pusher.config();
              c.fps = 10 + static_cast<int>(rng() % 10);
              pusher.setConfig(c);
              break;
            }
            case 7: (void)pusher.sendMessage({1, 2, 3}); break;
            case 8: {
              VideoFrame f;
              f.width = 160;
              f.height = 90;
              f.planes[0] = y.data();
              f.planes[1] = u.data();
              f.planes[2] = v.data();
              f.strides[0] = 160;
              f.strides[1] = f.strides[2] = 80;
              (void)pusher.sendCustomVideoFrame(f);
              break;
            }
            case 9: {
              AudioFrame a;
              a.samples = pcm.data();
              a.frames = 480;
              a.channels = 2;
              a.sampleRate = 48000;
              (void)pusher.sendCustomPCM(a);
              break;
            }
            case 10: (void)pusher.state(); (void)pusher.isActive(); break;
            case 11: (void)player.start(url); break;
            case 12: player.stop(); break;
            case 13: player.pause(); break;
            case 14: player.resume(); break;
            case 15: player.setMute(rng() % 2); break;
            case 16: player.setVolume(static_cast<int>(rng() % 101)); break;
            case 17: player.setRenderRotation(static_cast<int>(rng() % 4) * 90); break;
            case 18: player.setMirror(rng() % 2); break;
            case 19: {
              PlayConfig c = player.config();
              c.setCacheMode(static_cast<CacheMode>(rng() % 4));
              player.setConfig(c);
              break;
            }
            case 20: player.setEventCallback([&](const Event&) { ++events; }); break;
            case 21: (void)pusher.captureVideoSnapshot(fresh(".jpg")); break;
            case 22: (void)pusher.startLocalRecord(fresh(rng() % 2 ? ".mp4" : ".flv"), std::chrono::seconds(rng() % 2)); break;
            case 23: pusher.stopLocalRecord(); break;
            case 24: (void)player.captureVideoSnapshot(fresh(".png")); break;
            case 25: (void)player.startLocalRecord(fresh(".mp4")); break;
            case 26: player.stopLocalRecord(); break;
            case 27: (void)pusher.isRecording(); (void)player.isRecording(); break;
            default: (void)player.isActive(); break;
          }
        });
        std::this_thread::sleep_for(std::chrono::microseconds(rng() % 3000));  // scenario: random spacing
      }
    });
  }
  for (auto& th : threads) th.join();
  auto t0 = Clock::now();
  pusher.stop();
  player.stop();
  auto finalStop = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0).count();
  std::printf("api stress: %lld calls, worst call %lld ms, %d callbacks\n", static_cast<long long>(stats.calls.load()),
              static_cast<long long>(stats.worstUs.load() / 1000), events.load());
  EXPECT_GT(stats.calls.load(), 1000);
  // Bounded: start/stop may wait for a session's threads (stop: 200 ms target), nothing may hang. TSan
  // slows everything down several times, hence the generous bound.
  EXPECT_LT(stats.worstUs.load(), scaledMs(3000) * 1000) << "some API call blocked for over 3 s (times the scale)";
  EXPECT_LT(finalStop, 1000);
}
