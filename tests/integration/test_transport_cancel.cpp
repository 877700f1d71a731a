// cancel() wakes every blocking wait of the RTMP connection and the HTTP-FLV reader at once: the TCP connect to
// a peer that never answers the SYN, the TLS handshake with a peer that never answers the ClientHello, a read
// with nothing to read and a write into a link that takes nothing. Each call is shown to be blocked first (it has not returned
// after a while, with time-outs far away), then cancelled; the bound is on the time from cancel() to return.
// Timing-labelled (tests/CMakeLists.txt, OPENLIVE_TIMING_TESTS): a wall-clock bound.
#include "faults/fault_proxy.h"
#include "faults/loopback.h"
#include "fixtures/require.h"
#include "fixtures/servers.h"
#include "fixtures/timing.h"
#include "transport/http_flv_reader.h"
#include "transport/rtmp_connection.h"

#include <gtest/gtest.h>

#include <sys/socket.h>
#include <unistd.h>

#include <future>
#include <vector>

using namespace openlive::test;
using namespace openlive::transport;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

// From cancel() to the blocked call's return. Polling slices (the old 20-50 ms) would fit too; what the bound
// rules out is a wait that only a deadline ends.
constexpr auto kCancelBound = 100ms;
constexpr auto kBlockedFor = 400ms;  // how long a call must stay blocked before it is cancelled

// A listener whose accept queue is full: further SYNs are dropped, so a connect hangs in SYN_SENT.
class FullBacklogListener {
 public:
  FullBacklogListener() {
    fd_ = listenLoopback(&port_, 0);
    for (int i = 0; i < 4; ++i) {  // fill the queue (backlog 0 holds one); the later ones stay unanswered
      int c = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
      sockaddr_in a{};
      a.sin_family = AF_INET;
      a.sin_port = htons(static_cast<uint16_t>(port_));
      a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      ::connect(c, reinterpret_cast<sockaddr*>(&a), sizeof a);
      fillers_.push_back(c);
    }
  }
  ~FullBacklogListener() {
    for (int c : fillers_) ::close(c);
    if (fd_ >= 0) ::close(fd_);
  }
  int port() const { return port_; }

 private:
  int fd_ = -1, port_ = 0;
  std::vector<int> fillers_;
};

// With `fut` running the blocking call: checks it is still blocked after kBlockedFor, cancels, checks it returns
// within kCancelBound, and gives its result. (If cancel did not work, the call's own 20 s time-out ends it.)
template <class Conn, class R>
R cancelWhileBlocked(Conn& conn, std::future<R>& fut) {
  EXPECT_EQ(fut.wait_for(kBlockedFor), std::future_status::timeout) << "the call returned before it was cancelled";
  const auto t0 = Clock::now();
  conn.cancel();
  EXPECT_EQ(fut.wait_for(5s), std::future_status::ready) << "the call did not return after cancel";
  const int64_t ms = msSince(t0);
  EXPECT_LT(ms, kCancelBound.count());
  ::testing::Test::RecordProperty("cancel_ms", static_cast<int>(ms));
  return fut.get();
}

}  // namespace

TEST(TransportCancelTiming, TcpConnectToABlackHoledPeer) {
  OPENLIVE_SKIP_TIMING_BOUND_UNDER_SANITIZER();
  FullBacklogListener hole;
  RtmpConnection conn("rtmp://127.0.0.1:" + std::to_string(hole.port()) + "/live/s");
  ConnectOptions o;
  o.connectTimeout = 20s;
  o.ioTimeout = 20s;
  auto fut = std::async(std::launch::async, [&] { return conn.connect(o); });
  EXPECT_EQ(cancelWhileBlocked(conn, fut).failure, ConnectFailure::Cancelled);
}

TEST(TransportCancelTiming, TlsHandshakeWithASilentPeer) {
  OPENLIVE_SKIP_TIMING_BOUND_UNDER_SANITIZER();
  FaultProxy hole("127.0.0.1", closedLoopbackPort());  // accepts, never answers
  hole.setBlackHole(true);
  RtmpConnection conn("rtmps://127.0.0.1:" + std::to_string(hole.port()) + "/live/s");
  ConnectOptions o;
  o.ioTimeout = 20s;  // the TLS handshake budget
  auto fut = std::async(std::launch::async, [&] { return conn.connect(o); });
  EXPECT_EQ(cancelWhileBlocked(conn, fut).failure, ConnectFailure::Cancelled);
}

TEST(TransportCancelTiming, ReadWithNothingToRead) {
  OPENLIVE_SKIP_TIMING_BOUND_UNDER_SANITIZER();
  std::string why;
  auto server = startNginxRtmp(&why);
  OPENLIVE_NEED(server, why);
  RtmpConnection conn(server->rtmpUrl("idle"));  // nobody publishes: Play.Start, then silence
  ConnectOptions o;
  o.ioTimeout = 20s;
  ASSERT_TRUE(conn.connect(o).ok());
  auto fut = std::async(std::launch::async, [&] {
    RtmpMessage m;
    ReadStatus s;
    do s = conn.readMessage(m);
    while (s == ReadStatus::Message);
    return s;
  });
  EXPECT_EQ(cancelWhileBlocked(conn, fut), ReadStatus::Cancelled);
  conn.close();
}

TEST(TransportCancelTiming, WriteIntoALinkThatTakesNothing) {
  OPENLIVE_SKIP_TIMING_BOUND_UNDER_SANITIZER();
  std::string why;
  auto server = startNginxRtmp(&why);
  OPENLIVE_NEED(server, why);
  FaultProxy proxy("127.0.0.1", server->rtmpPort());
  proxy.setMaxBuffered(4096);
  RtmpConnection conn("rtmp://127.0.0.1:" + std::to_string(proxy.port()) + "/live/stalled");
  ConnectOptions o;
  o.publish = true;
  o.ioTimeout = 20s;  // SO_SNDTIMEO: the write would block this long
  o.sendBufferBytes = 4096;
  ASSERT_TRUE(conn.connect(o).ok());
  proxy.stall(60s, Direction::Upstream);
  std::vector<uint8_t> frame(64 * 1024, 0x17);
  auto fut = std::async(std::launch::async, [&] {
    for (uint32_t ts = 0;; ts += 40)
      if (!conn.sendMessage(RtmpMessageType::Video, ts, frame.data(), frame.size())) return conn.lastFailure();
  });
  EXPECT_EQ(cancelWhileBlocked(conn, fut), ReadStatus::Cancelled);
  conn.close();
}

TEST(TransportCancelTiming, HttpFlvOpenToABlackHoledPeer) {
  OPENLIVE_SKIP_TIMING_BOUND_UNDER_SANITIZER();
  FullBacklogListener hole;
  HttpFlvReader reader("http://127.0.0.1:" + std::to_string(hole.port()) + "/live/s.flv");
  auto fut = std::async(std::launch::async, [&] { return reader.openStream(20s); });
  EXPECT_EQ(cancelWhileBlocked(reader, fut).failure, HttpFlvFailure::Cancelled);
}

TEST(TransportCancelTiming, HttpFlvReadWithNothingToRead) {
  OPENLIVE_SKIP_TIMING_BOUND_UNDER_SANITIZER();
  std::string why;
  auto nms = startNodeMediaServer(&why);
  OPENLIVE_NEED(nms, why);
  HttpFlvReader reader(nms->httpFlvUrl("idle"));  // the FLV header, then nothing
  ASSERT_TRUE(reader.openStream(5s).ok());
  auto fut = std::async(std::launch::async, [&] {
    uint8_t buf[4096];
    size_t got = 0;
    HttpFlvReader::Status s;
    while ((s = reader.read(buf, sizeof buf, &got)) == HttpFlvReader::Status::Ok) {
    }
    return s;
  });
  EXPECT_EQ(cancelWhileBlocked(reader, fut), HttpFlvReader::Status::Cancelled);
}
