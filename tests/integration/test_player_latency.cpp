// Latency of the play path measured from outside the pusher: an external source (`openlive-bench-y4m source`,
// tests/bench/y4m_bench.cpp) paints the wall clock into each 1280x720 frame and feeds it on a pipe to
// `openlive-push --source y4m:-` like a camera (a frame not taken in time is lost), so the capture time is
// stamped before our pusher sees the frame. The player reads it back from each decoded frame as it is shown
// (readTimecode): glass-to-glass in RTC mode and in live mode 1/3 (mini-program default). Prints p50/p95 for
// docs/BENCHMARKS.md (tests/bench/latency_pairs.sh compares the same measure with ffmpeg's).
#include "capture/timecode.h"
#include "fixtures/require.h"
#include "fixtures/timing.h"
#include "fixtures/process.h"
#include "fixtures/servers.h"
#include "integration/test_player_util.h"

#include <openlive/live_player.h>

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <thread>

using namespace openlive;
using namespace openlive::test;
using namespace std::chrono_literals;

namespace {

int64_t wallMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

struct LatencyResult {
  std::vector<int64_t> samples;  // ms, after the warm-up
  int64_t firstFrameMs = -1;     // glass-to-glass of the first picture shown (the IDR the server started at)
  int64_t pct(double p) const {
    if (samples.empty()) return -1;
    auto s = samples;
    std::sort(s.begin(), s.end());
    return s[std::min(s.size() - 1, size_t(p * double(s.size())))];
  }
};

LatencyResult measure(MediaServer& server, const std::string& stream, PlayType type, CacheMode mode,
                      std::chrono::seconds warmup, std::chrono::seconds window) {
  LatencyResult r;
  PlayConfig cfg;
  cfg.setCacheMode(mode);
  cfg.video = {VideoOutput::Kind::None, ""};
  cfg.audio = {AudioOutput::Kind::None, ""};
  // Declared before the player: its callbacks use these until the player is destroyed.
  std::mutex mu;
  std::atomic<bool> recording{false};
  int unreadable = 0;
  LivePlayer player(cfg);
  player.setVideoFrameCallback([&](const VideoFrame& f) {
    auto tc = readTimecode(f.planes[0], f.strides[0], f.width, f.height);
    std::lock_guard lk(mu);
    if (!tc) {
      ++unreadable;
      return;
    }
    if (r.firstFrameMs < 0) r.firstFrameMs = wallMs() - *tc;
    if (recording) r.samples.push_back(wallMs() - *tc);
  });
  EXPECT_TRUE(player.start(server.rtmpUrl(stream), type));
  std::this_thread::sleep_for(warmup);  // scenario: warm-up, then the measured window
  recording = true;
  std::this_thread::sleep_for(window);
  player.stop();
  std::lock_guard lk(mu);
  EXPECT_LT(unreadable, 30) << "timecode unreadable in many frames";
  return r;
}

}  // namespace

TEST(PlayerLatencyTiming, RtcAndLiveModeFromAnOutsideSource) {
  OPENLIVE_SKIP_TIMING_BOUND_UNDER_SANITIZER();
  std::string why;
  std::string push = samplePath("openlive-push");
  OPENLIVE_NEED(!push.empty() && std::filesystem::exists(push), "openlive-push not built");
  auto server = startNginxRtmp(&why);
  OPENLIVE_NEED(server, why);
  const std::string source = binaryDir() + "/tests/bench/openlive-bench-y4m";
  OPENLIVE_NEED(std::filesystem::exists(source), "openlive-bench-y4m not built (" + source + ")");
  ProcessOptions po;
  po.out = Redirect::null();
  po.err = Redirect::null();
  // One process group: the shell, the source and the pusher are terminated together.
  Process pusher({"/bin/sh", "-c",
                  "'" + source + "' source --width 1280 --height 720 --fps 30 --duration 40 | '" + push + "' '" +
                      server->rtmpUrl("lat") +
                      "' --source y4m:- --audio tone --mode RTC --width 1280 --height 720 --duration 40"},
                 po);
  ASSERT_TRUE(server->waitForPublish("lat", 10s)) << server->logTail();
  auto rtc = measure(*server, "lat", PlayType::Rtc, CacheMode::Fast, 4s, 5s);
  auto live = measure(*server, "lat", PlayType::Rtmp, CacheMode::MiniProgram, 6s, 5s);
  std::printf("[latency] RTC 720p30 glass-to-glass: p50 %lld ms, p95 %lld ms (%zu frames)\n",
              static_cast<long long>(rtc.pct(0.5)), static_cast<long long>(rtc.pct(0.95)), rtc.samples.size());
  std::printf("[latency] live 1/3 glass-to-glass: p50 %lld ms, p95 %lld ms (%zu frames)\n",
              static_cast<long long>(live.pct(0.5)), static_cast<long long>(live.pct(0.95)), live.samples.size());
  std::printf("[latency] first frame glass-to-glass on nginx-rtmp (wait_key): RTC %lld ms, live %lld ms\n",
              static_cast<long long>(rtc.firstFrameMs), static_cast<long long>(live.firstFrameMs));
  // The first picture is the IDR the server starts the player at, shown once it is decoded and (live mode) the
  // short start prebuffer (CacheController::kStartPrebufferMs, 100 ms) is there: within 300 ms of its capture
  // (issue 10: first picture within the time to the next keyframe + 300 ms).
  EXPECT_GE(rtc.firstFrameMs, 0);
  EXPECT_LE(live.firstFrameMs, 300);
  ASSERT_GT(rtc.samples.size(), 60u);
  ASSERT_GT(live.samples.size(), 60u);
  EXPECT_LT(rtc.pct(0.5), 500);     // far above the 40 ms aim; the aim is tracked in docs/BENCHMARKS.md
  EXPECT_LE(live.pct(0.5), 1100);   // live mode 1/3 settles at <= 1.1 s on a clean loopback
  EXPECT_LT(rtc.pct(0.5), live.pct(0.5));
}
