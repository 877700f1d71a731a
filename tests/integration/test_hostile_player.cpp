// LivePlayer against a hostile RTMP server (handshake done, then malformed chunks, huge declared sizes, wrong
// stream ids, backward and wrapping timestamps, broken codec headers, truncation, chunk size 0, random bytes):
// it must report warnings/errors, never crash or hang, keep memory bounded, and stop promptly.
#include "faults/hostile_rtmp_server.h"
#include "fixtures/timing.h"

#include <openlive/live_player.h>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

using namespace openlive;
using namespace openlive::test;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {
long rssKb() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  return 0;
}
}  // namespace

class HostilePlayer : public ::testing::TestWithParam<HostileRtmpServer::Behavior> {};

TEST_P(HostilePlayer, ReportsAndSurvives) {
  HostileRtmpServer server(GetParam(), 3);
  PlayConfig cfg;
  cfg.video.kind = VideoOutput::Kind::None;
  cfg.audio.kind = AudioOutput::Kind::None;
  cfg.connectRetryCount = 1;
  cfg.connectRetryInterval = std::chrono::milliseconds(200);
  // Declared before the player: its callback uses them until the player is destroyed.
  std::mutex mu;
  std::condition_variable cv;
  std::vector<EventCode> events;
  bool gaveUp = false;      // under mu
  bool sawProblem = false;  // under mu: a warning or an error event
  LivePlayer player(cfg);
  player.setEventCallback([&](const Event& e) {
    std::lock_guard lk(mu);
    events.push_back(e.code);
    if (e.code == EventCode::PLAY_ERR_NET_DISCONNECT) gaveUp = true;
    const EventInfo* info = findEvent(e.code);
    if (info && info->category != EventCategory::Event) sawProblem = true;
    cv.notify_all();
  });
  long rssBefore = rssKb();
  ASSERT_TRUE(player.start(server.url()));
  {
    // Some servers make the player give up (-2301); others keep sending hostile data the player reports and
    // rides out. Either way the player runs at least 4 s against it (memory must stay bounded meanwhile), and
    // at most 12 s waiting for the first warning or error.
    std::unique_lock lk(mu);
    if (!cv.wait_for(lk, 4s, [&] { return gaveUp; })) cv.wait_for(lk, 8s, [&] { return gaveUp || sawProblem; });
  }
  long rssAfter = rssKb();
  auto t0 = Clock::now();
  player.stop();
  auto stopMs = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0).count();
  EXPECT_LT(stopMs, scaledMs(200));
  EXPECT_GE(server.connections(), 1);
  std::lock_guard lk(mu);
  EXPECT_TRUE(sawProblem) << "a hostile server should cause at least one warning or error event";
  // Memory bounded: a 16 MiB declared message may be buffered once, nothing grows without bound.
  EXPECT_LT(rssAfter - rssBefore, 200 * 1024) << "RSS grew by " << (rssAfter - rssBefore) << " KiB";
}

INSTANTIATE_TEST_SUITE_P(Behaviors, HostilePlayer, ::testing::ValuesIn(HostileRtmpServer::all()),
                         [](const auto& info) {
                           std::string n = HostileRtmpServer::name(info.param);
                           for (auto& c : n)
                             if (c == '-') c = '_';
                           return n;
                         });
