// Signalling latency through openlive-roomd (issue 13's benchmark): a room message sent by one member
// (RoomServiceClient::sendRoomMessage, an authenticated HTTP POST) until the SignallingClient of another member
// (the SSE channel) delivers it. One message at a time, 200 each: through one roomd program (in memory), and
// across two roomd programs sharing a redis-server (sent to one, received from the other: redis pub/sub in
// between). Prints p50 / p95 / max for docs/BENCHMARKS.md; a timing test (run alone, default tier only).
#include "fixtures/require.h"
#include "fixtures/room_clients.h"
#include "fixtures/room_servers.h"
#include "fixtures/timing.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <condition_variable>
#include <mutex>

namespace openlive::test {
namespace {

using Clock = std::chrono::steady_clock;

struct Latencies {
  std::vector<double> ms;
  double pct(double p) const {
    if (ms.empty()) return -1;
    auto s = ms;
    std::sort(s.begin(), s.end());
    return s[std::min(s.size() - 1, size_t(p * double(s.size())))];
  }
};

// Sends `n` room messages from `sendVia` (logged in as alice) and times each until bob's channel on `receiveVia`
// delivers it.
Latencies measure(const std::string& sendVia, const std::string& receiveVia, int n) {
  Latencies out;
  auto alice = loginClient(sendVia, "alice");
  auto bob = loginClient(receiveVia, "bob");
  EXPECT_TRUE(alice->createRoom("bench", "bench").ok());
  EXPECT_TRUE(alice->addMember("bench", "Alice", "", alice->getPushUrl().value.pushURL).ok());
  EXPECT_TRUE(bob->addAudience("bench", "{}").ok());
  std::mutex mu;
  std::condition_variable cv;
  std::vector<Clock::time_point> arrivals;  // under mu
  bool connected = false;                   // under mu
  room::SignallingClient::Options o;
  o.serverUrl = receiveVia;
  o.userID = bob->userID();
  o.token = bob->token();
  room::SignallingClient channel(
      o,
      [&](const room::SignalMessage& m) {
        if (m.cmd != "CustomTextMsg") return;
        std::lock_guard lk(mu);
        arrivals.push_back(Clock::now());
        cv.notify_all();
      },
      [&](room::ChannelEvent e, const std::string&) {
        std::lock_guard lk(mu);
        connected = connected || e == room::ChannelEvent::Connected;
        cv.notify_all();
      });
  channel.start();
  {
    std::unique_lock lk(mu);
    EXPECT_TRUE(cv.wait_for(lk, 5s, [&] { return connected; }));
  }
  for (int i = 0; i < n; ++i) {
    const auto sent = Clock::now();
    nlohmann::json msg = {{"cmd", "CustomTextMsg"}, {"data", {{"nickName", "a"}, {"text", std::to_string(i)}}}};
    EXPECT_TRUE(alice->sendRoomMessage("bench", msg).ok());
    std::unique_lock lk(mu);
    if (!cv.wait_for(lk, 5s, [&] { return arrivals.size() > size_t(i); })) {
      ADD_FAILURE() << "message " << i << " not delivered within 5 s";
      break;
    }
    out.ms.push_back(std::chrono::duration<double, std::milli>(arrivals[i] - sent).count());
  }
  channel.stop();
  return out;
}

void report(const char* what, const Latencies& l) {
  std::printf("[signalling] %s: %zu messages, send -> receive p50 %.1f ms, p95 %.1f ms, max %.1f ms\n", what,
              l.ms.size(), l.pct(0.5), l.pct(0.95), l.pct(1.0));
}

TEST(RoomdSignallingTiming, SendToReceiveLatencyInMemoryAndAcrossRedis) {
  std::string why;
  OPENLIVE_NEED(redisServerAvailable(&why), why);
  const std::vector<std::string> base{"--sdkappid", std::to_string(kRoomAppId), "--key", kRoomKey, "--rtmp",
                                      kRoomRtmp};
  auto single = startRoomd(base, &why);
  ASSERT_TRUE(single) << why;
  auto local = measure(single->url(), single->url(), 200);
  report("one roomd (in memory)", local);

  auto redis = startRedisServer(&why);
  ASSERT_TRUE(redis) << why;
  auto withRedis = base;
  withRedis.insert(withRedis.end(), {"--redis", redis->url()});
  auto a = startRoomd(withRedis, &why);
  ASSERT_TRUE(a) << why;
  auto b = startRoomd(withRedis, &why);
  ASSERT_TRUE(b) << why;
  auto cross = measure(a->url(), b->url(), 200);
  report("two roomd + redis (sent to one, received from the other)", cross);

  ASSERT_EQ(local.ms.size(), 200u);
  ASSERT_EQ(cross.ms.size(), 200u);
  // Loose bounds (a shared 2-core machine); the figures themselves go to docs/BENCHMARKS.md.
  EXPECT_LT(local.pct(0.95), 250);
  EXPECT_LT(cross.pct(0.95), 250);
}

}  // namespace
}  // namespace openlive::test
