// The fault proxy itself: forwards bytes intact, and each fault has its measurable effect.
#include "faults/fault_proxy.h"
#include "faults/loopback.h"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <thread>

using namespace openlive::test;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

// A real TCP echo server on an ephemeral loopback port.
class EchoServer {
 public:
  EchoServer() {
    fd_ = listenLoopback(&port_, 8, 0);
    thread_ = std::thread([this] {
      while (!stop_) {
        pollfd p{fd_, POLLIN, 0};
        if (::poll(&p, 1, 20) <= 0) continue;
        int c = ::accept(fd_, nullptr, nullptr);
        if (c < 0) continue;
        clients_.emplace_back([this, c] {
          char buf[65536];
          while (!stop_) {
            pollfd q{c, POLLIN, 0};
            if (::poll(&q, 1, 20) <= 0) continue;
            ssize_t n = ::recv(c, buf, sizeof buf, 0);
            if (n <= 0) break;
            ssize_t off = 0;
            while (off < n) {
              ssize_t w = ::send(c, buf + off, n - off, MSG_NOSIGNAL);
              if (w <= 0) break;
              off += w;
            }
          }
          ::close(c);
        });
      }
    });
  }
  ~EchoServer() {
    stop_ = true;
    thread_.join();
    for (auto& t : clients_) t.join();
    ::close(fd_);
  }
  int port() const { return port_; }

 private:
  int fd_ = -1, port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  std::vector<std::thread> clients_;
};

int connectTo(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    ::close(fd);
    return -1;
  }
  timeval tv{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  return fd;
}

// Sends `n` bytes and reads them back; returns how long the round trip took (or -1 ms on failure).
std::chrono::milliseconds roundTrip(int fd, size_t n) {
  std::vector<uint8_t> out(n), in(n);
  for (size_t i = 0; i < n; ++i) out[i] = static_cast<uint8_t>(i * 7);
  auto t0 = Clock::now();
  std::thread writer([&] {
    size_t off = 0;
    while (off < n) {
      ssize_t w = ::send(fd, out.data() + off, n - off, MSG_NOSIGNAL);
      if (w <= 0) return;
      off += static_cast<size_t>(w);
    }
  });
  size_t got = 0;
  while (got < n) {
    ssize_t r = ::recv(fd, in.data() + got, n - got, 0);
    if (r <= 0) break;
    got += static_cast<size_t>(r);
  }
  writer.join();
  if (got != n || in != out) return std::chrono::milliseconds(-1);
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0);
}

}  // namespace

TEST(FaultProxy, ForwardsBytesIntact) {
  EchoServer echo;
  FaultProxy proxy("127.0.0.1", echo.port());
  int fd = connectTo(proxy.port());
  ASSERT_GE(fd, 0);
  auto t = roundTrip(fd, 1 << 20);
  EXPECT_GE(t.count(), 0) << "data corrupted or lost";
  ::close(fd);
  EXPECT_GE(proxy.bytesForwarded(Direction::Upstream), 1u << 20);
}

TEST(FaultProxy, DelayAddsLatencyBothWays) {
  EchoServer echo;
  FaultProxy proxy("127.0.0.1", echo.port());
  proxy.setDelay(100ms);
  int fd = connectTo(proxy.port());
  ASSERT_GE(fd, 0);
  auto t = roundTrip(fd, 100);
  ::close(fd);
  EXPECT_GE(t.count(), 200);  // 100 ms up + 100 ms down
  EXPECT_LT(t.count(), 2000);
}

TEST(FaultProxy, ThroughputCapLimitsRate) {
  EchoServer echo;
  FaultProxy proxy("127.0.0.1", echo.port());
  proxy.setThroughput(200 * 1024, Direction::Upstream);
  int fd = connectTo(proxy.port());
  ASSERT_GE(fd, 0);
  auto t = roundTrip(fd, 100 * 1024);  // 100 KiB at 200 KiB/s: about 0.5 s
  ::close(fd);
  EXPECT_GE(t.count(), 350);
  EXPECT_LT(t.count(), 3000);
}

TEST(FaultProxy, StallHoldsDataThenDeliversIt) {
  EchoServer echo;
  FaultProxy proxy("127.0.0.1", echo.port());
  int fd = connectTo(proxy.port());
  ASSERT_GE(fd, 0);
  proxy.stall(400ms, Direction::Downstream);
  auto t = roundTrip(fd, 1000);
  ::close(fd);
  EXPECT_GE(t.count(), 300);  // held for the stall, nothing lost
}

TEST(FaultProxy, CutClosesConnectionsAndBlackHoleSwallows) {
  EchoServer echo;
  FaultProxy proxy("127.0.0.1", echo.port());
  int fd = connectTo(proxy.port());
  ASSERT_GE(fd, 0);
  ASSERT_GE(roundTrip(fd, 10).count(), 0);
  proxy.cutAll();
  char c;
  EXPECT_LE(::recv(fd, &c, 1, 0), 0);  // EOF or reset, not a hang (5 s receive timeout)
  ::close(fd);

  proxy.setBlackHole(true);
  int bh = connectTo(proxy.port());
  ASSERT_GE(bh, 0);  // accepted...
  timeval tv{0, 300 * 1000};
  setsockopt(bh, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::send(bh, "hello", 5, MSG_NOSIGNAL);
  EXPECT_LT(::recv(bh, &c, 1, 0), 0);  // ...but never answered
  ::close(bh);
  auto log = proxy.log();
  bool sawCut = false, sawHole = false;
  for (auto& l : log) {
    sawCut |= l.find("cut all") != std::string::npos;
    sawHole |= l.find("black hole") != std::string::npos;
  }
  EXPECT_TRUE(sawCut && sawHole);
}

TEST(FaultProxy, ScheduleParsesAndRejectsGarbage) {
  auto steps = parseSchedule("0:delay=200,jitter=50;5000:stall=500,dir=down;9000:rate=100000,dir=up;12000:cut;15000:clear");
  ASSERT_EQ(steps.size(), 5u);
  EXPECT_EQ(steps[0].kind, FaultStep::Kind::Delay);
  EXPECT_EQ(steps[0].jitter.count(), 50);
  EXPECT_EQ(steps[1].direction, Direction::Downstream);
  EXPECT_EQ(steps[2].bytesPerSecond, 100000);
  EXPECT_EQ(steps[3].kind, FaultStep::Kind::Cut);
  EXPECT_THROW(parseSchedule("x:cut"), std::invalid_argument);
  EXPECT_THROW(parseSchedule("100:explode"), std::invalid_argument);
  EXPECT_THROW(parseSchedule("100:delay=-5"), std::invalid_argument);
  EXPECT_THROW(parseSchedule("100"), std::invalid_argument);
}
