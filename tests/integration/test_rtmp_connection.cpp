// The shared RTMP connection layer against real servers and real failures (no mocks).
#include "faults/fault_proxy.h"
#include "faults/loopback.h"
#include "fixtures/media_probe.h"
#include "fixtures/ports.h"
#include "fixtures/require.h"
#include "fixtures/servers.h"
#include "fixtures/timing.h"
#include "transport/rtmp_connection.h"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <future>
#include <thread>

using namespace openlive::test;
using namespace openlive::transport;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

// A TCP server that is not RTMP: answers like an HTTP server and closes.
class NotRtmpServer {
 public:
  NotRtmpServer() {
    fd_ = listenLoopback(&port_, 4, 0);
    thread_ = std::thread([this] {
      while (!stop_) {
        pollfd p{fd_, POLLIN, 0};
        if (::poll(&p, 1, 20) <= 0) continue;
        int c = ::accept(fd_, nullptr, nullptr);
        if (c < 0) continue;
        const char reply[] = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n";
        ::send(c, reply, sizeof reply - 1, MSG_NOSIGNAL);
        ::close(c);
      }
    });
  }
  ~NotRtmpServer() {
    stop_ = true;
    thread_.join();
    ::close(fd_);
  }
  int port() const { return port_; }

 private:
  int fd_ = -1, port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

int closedPort() { return closedLoopbackPort(); }

}  // namespace

TEST(RtmpConnection, PlaysAStreamPublishedByFfmpeg) {
  std::string why;
  auto server = startNginxRtmp(&why);
  OPENLIVE_NEED(server, why);
  OPENLIVE_NEED(haveFfmpegCli(&why), why);
  auto push = startFfmpegTestPush(server->rtmpUrl("conn"), 6.0, "320x240", 25);
  ASSERT_TRUE(server->waitForPublish("conn", 10s)) << server->logTail();

  RtmpConnection conn(server->rtmpUrl("conn"));
  bool netConnected = false;
  ConnectOptions opts;
  auto res = conn.connect(opts, [&] { netConnected = true; });
  ASSERT_TRUE(res.ok()) << toString(res.failure) << ": " << res.message;
  EXPECT_TRUE(netConnected);
  EXPECT_NE(conn.serverAddress().find("127.0.0.1:"), std::string::npos);

  int audio = 0, video = 0, data = 0;
  uint32_t lastVideoTs = 0;
  bool monotonic = true;
  auto t0 = Clock::now();
  while (msSince(t0) < 2000) {
    RtmpMessage m;
    ReadStatus st = conn.readMessage(m);
    ASSERT_EQ(st, ReadStatus::Message) << conn.lastError();
    if (m.kind() == RtmpMessageType::Audio) ++audio;
    if (m.kind() == RtmpMessageType::Video) {
      if (video > 0 && m.timestamp < lastVideoTs) monotonic = false;
      lastVideoTs = m.timestamp;
      ++video;
    }
    if (m.kind() == RtmpMessageType::DataAmf0) ++data;
  }
  conn.close();
  EXPECT_GT(video, 25) << "about 2 s of 25 fps video expected";
  EXPECT_GT(audio, 50);
  EXPECT_TRUE(monotonic);
  EXPECT_GT(conn.bytesReceived(), 0u);
}

TEST(RtmpConnection, SecondPublisherIsRefusedAsRetryable) {
  std::string why;
  auto server = startNginxRtmp(&why);
  OPENLIVE_NEED(server, why);
  OPENLIVE_NEED(haveFfmpegCli(&why), why);
  auto push = startFfmpegTestPush(server->rtmpUrl("busy"), 8.0, "320x240", 25);
  ASSERT_TRUE(server->waitForPublish("busy", 10s)) << server->logTail();

  RtmpConnection conn(server->rtmpUrl("busy"));
  ConnectOptions opts;
  opts.publish = true;
  bool netConnected = false;
  auto res = conn.connect(opts, [&] { netConnected = true; });
  EXPECT_TRUE(netConnected) << "NetConnection.connect should succeed before the publish is refused";
  ASSERT_EQ(res.failure, ConnectFailure::Rejected) << res.message;
  EXPECT_EQ(res.statusCode, "NetStream.Publish.BadName");
  EXPECT_TRUE(res.retryable);
}

TEST(RtmpConnection, ClassifiesDnsTcpAndHandshakeFailures) {
  {
    RtmpConnection c("rtmp://no-such-host.invalid/live/s");
    auto r = c.connect({});
    EXPECT_EQ(r.failure, ConnectFailure::Dns) << r.message;
  }
  {
    RtmpConnection c("rtmp://127.0.0.1:" + std::to_string(closedPort()) + "/live/s");
    auto t0 = Clock::now();
    auto r = c.connect({});
    EXPECT_EQ(r.failure, ConnectFailure::Tcp) << r.message;
    EXPECT_LT(msSince(t0), scaledMs(1000));
  }
  {
    NotRtmpServer notRtmp;
    RtmpConnection c("rtmp://127.0.0.1:" + std::to_string(notRtmp.port()) + "/live/s");
    auto t0 = Clock::now();
    auto r = c.connect({});
    EXPECT_EQ(r.failure, ConnectFailure::Handshake) << r.message;
    EXPECT_LT(msSince(t0), scaledMs(3000));
  }
  {
    RtmpConnection c("http://127.0.0.1/live/s.flv");
    EXPECT_EQ(c.connect({}).failure, ConnectFailure::InvalidUrl);
  }
}

TEST(RtmpConnection, CancelReturnsPromptlyWhileTheHandshakeHangs) {
  // A listener that accepts and never answers: the RTMP handshake would wait for the I/O timeout.
  FaultProxy hole("127.0.0.1", closedPort());
  hole.setBlackHole(true);
  RtmpConnection conn("rtmp://127.0.0.1:" + std::to_string(hole.port()) + "/live/s");
  ConnectOptions opts;
  opts.ioTimeout = 20s;
  auto fut = std::async(std::launch::async, [&] { return conn.connect(opts); });
  std::this_thread::sleep_for(300ms);  // scenario: 300 ms in which connect must not return
  ASSERT_EQ(fut.wait_for(0ms), std::future_status::timeout) << "connect should still be waiting";
  auto t0 = Clock::now();
  conn.cancel();
  ASSERT_EQ(fut.wait_for(scaled(2s)), std::future_status::ready);
  EXPECT_LT(msSince(t0), scaledMs(200));
  EXPECT_EQ(fut.get().failure, ConnectFailure::Cancelled);
}

TEST(RtmpConnection, IoTimeoutBoundsAHungHandshake) {
  FaultProxy hole("127.0.0.1", closedPort());
  hole.setBlackHole(true);
  RtmpConnection conn("rtmp://127.0.0.1:" + std::to_string(hole.port()) + "/live/s");
  ConnectOptions opts;
  opts.ioTimeout = 1s;
  auto t0 = Clock::now();
  auto r = conn.connect(opts);
  EXPECT_EQ(r.failure, ConnectFailure::Handshake) << r.message;
  EXPECT_GE(msSince(t0), 900);
  EXPECT_LT(msSince(t0), scaledMs(4000));
}

TEST(RtmpConnection, ServerKillEndsAReadPromptly) {
  std::string why;
  auto server = startNginxRtmp(&why);
  OPENLIVE_NEED(server, why);
  OPENLIVE_NEED(haveFfmpegCli(&why), why);
  auto push = startFfmpegTestPush(server->rtmpUrl("kill"), 10.0, "320x240", 25);
  ASSERT_TRUE(server->waitForPublish("kill", 10s)) << server->logTail();
  RtmpConnection conn(server->rtmpUrl("kill"));
  ASSERT_TRUE(conn.connect({}).ok());
  RtmpMessage m;
  ASSERT_EQ(conn.readMessage(m), ReadStatus::Message);
  server->kill();
  auto t0 = Clock::now();
  ReadStatus st = ReadStatus::Message;
  while (st == ReadStatus::Message && msSince(t0) < 5000) st = conn.readMessage(m);
  EXPECT_TRUE(st == ReadStatus::Closed || st == ReadStatus::Error) << static_cast<int>(st);
  EXPECT_LT(msSince(t0), scaledMs(2000));
}

TEST(RtmpConnection, ConnectsAgainAfterRepeatedServerKillAndRestart) {
  std::string why;
  auto server = startNginxRtmp(&why);
  OPENLIVE_NEED(server, why);
  for (int round = 0; round < 3; ++round) {
    RtmpConnection conn(server->rtmpUrl("again" + std::to_string(round)));
    ConnectOptions opts;
    opts.publish = true;
    opts.ioTimeout = 3s;
    auto res = conn.connect(opts);
    ASSERT_TRUE(res.ok()) << "round " << round << ": " << toString(res.failure) << ": " << res.message << "\n"
                          << server->logTail();
    server->kill();
    RtmpMessage m;
    conn.close();
    server->restart();
  }
}
