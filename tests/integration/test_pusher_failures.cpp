// LivePusher failure paths with honest events: DNS, refused TCP, a non-RTMP server, retries then -1307; no
// camera; nginx killed and restarted mid-push; stopPush() bounded in every state; destroy from a callback.
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cmath>
#include <condition_variable>
#include <mutex>

#include "fixtures/ports.h"
#include "fixtures/require.h"
#include "fixtures/timing.h"
#include "pusher_test_util.h"

namespace openlive::test {
namespace {

PushConfig fastRetryConfig() {
  PushConfig c;
  c.width = 320;
  c.height = 180;
  c.connectRetryCount = 3;
  c.connectRetryInterval = 200ms;
  c.connectTimeout = 2000ms;
  c.ioTimeout = 2000ms;
  return c;
}

// A loopback TCP listener. mode Silent: accepts and never answers; Garbage: answers like an HTTP server and
// closes. Runs on its own thread; accepted() counts connections.
class TcpListener {
 public:
  enum class Mode { Silent, Garbage };
  explicit TcpListener(Mode mode) : mode_(mode) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = 0;
    ::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a);
    ::listen(fd_, 16);
    socklen_t len = sizeof a;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    thread_ = std::thread([this] { run(); });
  }
  ~TcpListener() {
    stop_ = true;
    ::shutdown(fd_, SHUT_RDWR);
    thread_.join();
    ::close(fd_);
    for (int c : clients_) ::close(c);
  }
  int port() const { return port_; }
  int accepted() const { return accepted_.load(); }
  bool waitAccepted(int n, std::chrono::milliseconds timeout) {
    std::unique_lock lk(mu_);
    return cv_.wait_for(lk, timeout, [&] { return accepted_ >= n; });
  }

 private:
  void run() {
    while (!stop_) {
      int c = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (c < 0) break;
      {
        std::lock_guard lk(mu_);
        ++accepted_;
        cv_.notify_all();
      }
      if (mode_ == Mode::Garbage) {
        const char resp[] = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
        char buf[2048];
        (void)::recv(c, buf, sizeof buf, 0);
        (void)::send(c, resp, sizeof resp - 1, MSG_NOSIGNAL);
        ::close(c);
      } else {
        clients_.push_back(c);  // keep it open, say nothing
      }
    }
  }
  Mode mode_;
  int fd_ = -1, port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> accepted_{0};
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<int> clients_;
  std::thread thread_;
};

// Every failed attempt: the detail warning, then 1102 before the next attempt; -1307 after the last.
void expectRetriesThenGiveUp(PushEventLog& log, EventCode warning) {
  ASSERT_TRUE(log.waitFor(EventCode::PUSH_ERR_NET_DISCONNECT, 20s)) << log.describe();
  std::vector<int> expected;
  for (int i = 0; i < 3; ++i) {
    expected.push_back(toInt(warning));
    expected.push_back(toInt(EventCode::PUSH_WARNING_RECONNECT));
  }
  expected.push_back(toInt(warning));
  expected.push_back(toInt(EventCode::PUSH_ERR_NET_DISCONNECT));
  std::vector<int> got;
  for (int c : log.codes())
    if (c != toInt(EventCode::PUSH_EVT_START_VIDEO_ENCODER) && c != toInt(EventCode::PUSH_EVT_CONNECT_SUCC)) got.push_back(c);
  EXPECT_EQ(got, expected) << log.describe();
}

TEST(PusherFailures, UnknownHostGives3001ThenRetriesThen1307) {
  PushEventLog log;
  LivePusher pusher(fastRetryConfig());
  log.attach(pusher);
  ASSERT_TRUE(pusher.start("rtmp://openlive-no-such-host.invalid/live/x"));
  expectRetriesThenGiveUp(log, EventCode::PUSH_WARNING_DNS_FAIL);
  EXPECT_FALSE(pusher.isActive());
  EXPECT_EQ(pusher.state(), PushState::Failed);
}

TEST(PusherFailures, ClosedPortGives3002ThenRetriesThen1307) {
  const int port = [] {  // a port nobody listens on: bind, note, close
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t len = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    ::close(fd);
    return static_cast<int>(ntohs(a.sin_port));
  }();
  PushEventLog log;
  LivePusher pusher(fastRetryConfig());
  log.attach(pusher);
  ASSERT_TRUE(pusher.start("rtmp://127.0.0.1:" + std::to_string(port) + "/live/x"));
  expectRetriesThenGiveUp(log, EventCode::PUSH_WARNING_SEVER_CONN_FAIL);
}

TEST(PusherFailures, NonRtmpServerGives3003ThenRetriesThen1307) {
  TcpListener http(TcpListener::Mode::Garbage);
  PushEventLog log;
  LivePusher pusher(fastRetryConfig());
  log.attach(pusher);
  ASSERT_TRUE(pusher.start("rtmp://127.0.0.1:" + std::to_string(http.port()) + "/live/x"));
  expectRetriesThenGiveUp(log, EventCode::PUSH_WARNING_SHAKE_FAIL);
  EXPECT_EQ(http.accepted(), 4);
}

TEST(PusherFailures, InvalidAddressFailsAtOnce) {
  LivePusher pusher;
  for (const char* url : {"", "http://127.0.0.1/live/x", "rtmp://", "rtmp://host", "not a url"}) {
    auto start = Clock::now();
    Result r = pusher.start(url);
    EXPECT_FALSE(r) << url;
    EXPECT_EQ(r.code, ResultCode::InvalidUrl) << url;
    EXPECT_EQ(r.event, EventCode::PUSH_ERR_INVALID_ADDRESS) << url;
    EXPECT_FALSE(r.message.empty());
    EXPECT_LT(Clock::now() - start, scaled(100ms));
  }
  PushConfig odd;
  odd.width = 641;
  odd.height = 360;
  LivePusher p2(odd);
  EXPECT_EQ(p2.start("rtmp://127.0.0.1/live/x").code, ResultCode::UnsupportedResolution);
  odd.width = 8192;
  p2.setConfig(odd);
  EXPECT_EQ(p2.start("rtmp://127.0.0.1/live/x").code, ResultCode::UnsupportedResolution);
}

TEST(PusherFailures, NoCameraGives1301AndThePusherCanStartAgain) {
  std::string skip;
  auto server = startServerOrSkip(false, &skip);
  OPENLIVE_NEED(server, skip);
  PushConfig cfg = fastRetryConfig();
  cfg.video.type = VideoSourceType::Camera;
  cfg.video.path = "/dev/video-openlive-absent";
  PushEventLog log;
  LivePusher pusher(cfg);
  log.attach(pusher);
  ASSERT_TRUE(pusher.start(server->rtmpUrl("cam")));
  ASSERT_TRUE(log.waitFor(EventCode::PUSH_ERR_OPEN_CAMERA_FAIL, 5s)) << log.describe();
  EXPECT_EQ(log.count(EventCode::PUSH_EVT_OPEN_CAMERA_SUCC), 0);
  EXPECT_FALSE(pusher.isActive());
  // Still alive: the app fixes the source and starts again.
  cfg.video.type = VideoSourceType::TestPattern;
  pusher.setConfig(cfg);
  ASSERT_TRUE(pusher.start(server->rtmpUrl("cam")));
  EXPECT_TRUE(log.waitFor(EventCode::PUSH_EVT_PUSH_BEGIN, 10s)) << log.describe();
  pusher.stop();
}

TEST(PusherFailures, NginxKilledAndRestartedThePushContinues) {
  std::string skip;
  auto server = startServerOrSkip(false, &skip);
  OPENLIVE_NEED(server, skip);
  OPENLIVE_NEED(haveFfmpegCli(&skip), skip);
  PushConfig cfg = fastRetryConfig();
  cfg.connectRetryInterval = 1000ms;
  cfg.connectRetryCount = 5;
  PushEventLog log;
  LivePusher pusher(cfg);
  log.attach(pusher);
  ASSERT_TRUE(pusher.start(server->rtmpUrl("crash")));
  ASSERT_TRUE(log.waitFor(EventCode::PUSH_EVT_PUSH_BEGIN, 10s)) << log.describe();
  ASSERT_TRUE(log.waitForStatus(3, 5s));
  server->kill();
  const auto killed = Clock::now();
  server->restart();
  EXPECT_LT(Clock::now() - killed, scaled(2s));
  ASSERT_TRUE(log.waitFor(EventCode::PUSH_EVT_PUSH_BEGIN, 15s, 2)) << log.describe();
  const int lost = std::max(log.indexOf(EventCode::PUSH_WARNING_SERVER_DISCONNECT),
                            log.indexOf(EventCode::PUSH_WARNING_READ_WRITE_FAIL));
  ASSERT_GE(lost, 0) << log.describe();
  const int reconnect = log.indexOf(EventCode::PUSH_WARNING_RECONNECT, lost);
  ASSERT_GT(reconnect, lost) << log.describe();
  EXPECT_GT(log.indexOf(EventCode::PUSH_EVT_PUSH_BEGIN, reconnect), reconnect) << log.describe();
  EXPECT_EQ(log.count(EventCode::PUSH_ERR_NET_DISCONNECT), 0);

  // A reader after the restart sees media again, with timestamps that continued (did not restart at 0)
  // and never go back.
  ProbeOptions po;
  po.packets = true;
  po.readSeconds = 2;
  ProbeResult r = probeMedia(server->rtmpUrl("crash"), 20s, {}, po);
  pusher.stop();
  ASSERT_TRUE(r.ok) << r.error;
  ASSERT_NE(r.video(), nullptr);
  ASSERT_GE(r.video()->pts.size(), 5u);
  EXPECT_GE(r.video()->pts.front(), 2.0);  // ms of media before the crash are part of the timeline
  std::vector<double> dts;
  for (auto& p : r.packets)
    if (p.streamIndex == r.video()->index && !std::isnan(p.dts)) dts.push_back(p.dts);
  for (size_t i = 1; i < dts.size(); ++i) EXPECT_GE(dts[i], dts[i - 1]) << i;
}

// nginx-rtmp refuses a second publisher of the same name with NetStream.Publish.BadName ("already
// publishing"), which is what a reconnect meets while the server still holds the old session: retried, and
// the publish succeeds once the name is free.
TEST(PusherFailures, AlreadyPublishingIsRetriedNotFatal) {
  std::string skip;
  auto server = startServerOrSkip(false, &skip);
  OPENLIVE_NEED(server, skip);
  PushEventLog logA, logB;
  LivePusher a(fastRetryConfig());
  logA.attach(a);
  ASSERT_TRUE(a.start(server->rtmpUrl("dup")));
  ASSERT_TRUE(logA.waitFor(EventCode::PUSH_EVT_PUSH_BEGIN, 10s)) << logA.describe();
  PushConfig cfg = fastRetryConfig();
  cfg.connectRetryCount = 20;
  cfg.connectRetryInterval = 300ms;
  LivePusher b(cfg);
  logB.attach(b);
  ASSERT_TRUE(b.start(server->rtmpUrl("dup")));
  ASSERT_TRUE(logB.waitFor(EventCode::PUSH_WARNING_RECONNECT, 10s)) << logB.describe();
  EXPECT_GE(logB.indexOf(EventCode::PUSH_WARNING_SERVER_DISCONNECT), 0) << logB.describe();
  EXPECT_EQ(logB.count(EventCode::PUSH_EVT_PUSH_BEGIN), 0);
  a.stop();
  ASSERT_TRUE(logB.waitFor(EventCode::PUSH_EVT_PUSH_BEGIN, 10s)) << logB.describe();
  EXPECT_EQ(logB.count(EventCode::PUSH_ERR_NET_DISCONNECT), 0);
  EXPECT_EQ(logB.count(EventCode::PUSH_ERR_SERVER_REFUSE), 0);
  b.stop();
}

TEST(PusherStop, StopWhileHandshakeHangsReturnsFast) {
  TcpListener silent(TcpListener::Mode::Silent);
  PushEventLog log;
  LivePusher pusher(fastRetryConfig());
  log.attach(pusher);
  ASSERT_TRUE(pusher.start("rtmp://127.0.0.1:" + std::to_string(silent.port()) + "/live/x"));
  ASSERT_TRUE(silent.waitAccepted(1, 5s));
  std::this_thread::sleep_for(50ms);  // scenario: let the client block in the handshake read (nothing to observe)
  auto start = Clock::now();
  pusher.stop();
  auto took = Clock::now() - start;
  EXPECT_LT(took, scaled(200ms)) << std::chrono::duration_cast<std::chrono::milliseconds>(took).count() << " ms";
  const size_t n = log.eventCount();
  std::this_thread::sleep_for(300ms);  // scenario: a window in which a late callback would show
  EXPECT_EQ(log.eventCount(), n) << "no callback after stopPush() returned";
  EXPECT_EQ(log.count(EventCode::PUSH_EVT_PUSH_BEGIN), 0);
}

TEST(PusherStop, StopWhilePublishingAndFromInsideACallback) {
  std::string skip;
  auto server = startServerOrSkip(false, &skip);
  OPENLIVE_NEED(server, skip);
  {
    PushEventLog log;
    LivePusher pusher(fastRetryConfig());
    log.attach(pusher);
    ASSERT_TRUE(pusher.start(server->rtmpUrl("stop")));
    ASSERT_TRUE(log.waitForStatus(2, 10s));
    auto start = Clock::now();
    pusher.stop();
    EXPECT_LT(Clock::now() - start, scaled(200ms));
    EXPECT_FALSE(pusher.isActive());
  }
  // Destroying the pusher from inside its own event callback must not deadlock.
  // Declared before the pusher: its callbacks use these until the pusher is destroyed.
  std::atomic<bool> destroyed{false};
  std::mutex mu;
  std::condition_variable cv;
  auto pusher = std::make_unique<LivePusher>(fastRetryConfig());
  pusher->setEventCallback([&](const Event& e) {
    if (e.code != EventCode::PUSH_EVT_PUSH_BEGIN) return;
    std::unique_ptr<LivePusher> self;
    {
      std::lock_guard lk(mu);
      self = std::move(pusher);
    }
    self.reset();
    std::lock_guard lk(mu);  // notify under the lock: the waiter may return and destroy cv right after
    destroyed = true;
    cv.notify_all();
  });
  LivePusher* raw = pusher.get();
  ASSERT_TRUE(raw->start(server->rtmpUrl("stop2")));
  std::unique_lock lk(mu);
  EXPECT_TRUE(cv.wait_for(lk, 10s, [&] { return destroyed.load(); }));
  lk.unlock();
  if (!destroyed) {
    std::lock_guard g(mu);
    pusher.reset();
  }
}

}  // namespace
}  // namespace openlive::test
