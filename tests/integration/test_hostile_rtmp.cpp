// The RTMP connection layer against a server that completes the handshake and then misbehaves: it must end
// each session with an error or a clean status, promptly, without crashing (run under ASan in CI).
#include "faults/hostile_rtmp_server.h"
#include "fixtures/timing.h"
#include "transport/rtmp_connection.h"

#include <gtest/gtest.h>

#include <chrono>

using namespace openlive::test;
using namespace openlive::transport;
using Clock = std::chrono::steady_clock;

class HostileRtmp : public ::testing::TestWithParam<HostileRtmpServer::Behavior> {};

TEST_P(HostileRtmp, ConnectionLayerSurvives) {
  HostileRtmpServer server(GetParam());
  RtmpConnection conn(server.url());
  ConnectOptions opts;
  opts.ioTimeout = std::chrono::seconds(2);
  auto t0 = Clock::now();
  auto res = conn.connect(opts);
  if (GetParam() == HostileRtmpServer::Behavior::GarbageAfterHandshake) {
    EXPECT_FALSE(res.ok());
  } else {
    ASSERT_TRUE(res.ok()) << toString(res.failure) << ": " << res.message;
    EXPECT_EQ(server.reachedPlaying(), 1);
    int messages = 0;
    ReadStatus st = ReadStatus::Message;
    while (st == ReadStatus::Message && Clock::now() - t0 < std::chrono::seconds(10)) {
      RtmpMessage m;
      st = conn.readMessage(m);
      if (st == ReadStatus::Message) ++messages;
    }
    EXPECT_NE(st, ReadStatus::Message) << "the session should end, not run on";
    RecordProperty("messages", messages);
  }
  conn.close();
  EXPECT_LT(Clock::now() - t0, scaled(std::chrono::seconds(10)));
}

INSTANTIATE_TEST_SUITE_P(Behaviors, HostileRtmp, ::testing::ValuesIn(HostileRtmpServer::all()),
                         [](const auto& info) {
                           std::string n = HostileRtmpServer::name(info.param);
                           for (auto& c : n)
                             if (c == '-') c = '_';
                           return n;
                         });
