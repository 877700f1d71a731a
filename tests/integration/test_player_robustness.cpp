// Player robustness against real servers and real sockets: reconnect and give up (2103 ... -2301), resume after
// a server restart, stopPlay() within 200 ms in every state, destroying the player from its own callback, and
// FLV served by a small real HTTP server: a mid-stream resolution change (2009), garbage after the header and
// a truncated stream (warnings, no crash, no hang).
#include "fixtures/media_probe.h"
#include "fixtures/process.h"
#include "fixtures/require.h"
#include "fixtures/servers.h"
#include "fixtures/temp_dir.h"
#include "fixtures/timing.h"
#include "integration/test_player_util.h"

#include <openlive/live_player.h>
#include <openlive/log.h>

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <random>
#include <thread>

using namespace openlive;
using namespace openlive::test;
using namespace std::chrono_literals;

namespace {

// A real HTTP/1.0 server on 127.0.0.1: answers every GET with `body` (video/x-flv, Connection: close).
// With `holdOpen` the connection is kept open after the body (a live stream that went quiet).
class TinyHttpServer {
 public:
  explicit TinyHttpServer(std::vector<uint8_t> body, bool holdOpen = false) : body_(std::move(body)), hold_(holdOpen) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t len = sizeof a;
    getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    ::listen(fd_, 8);
    thread_ = std::thread([this] { run(); });
  }
  ~TinyHttpServer() {
    stop_ = true;
    ::eventfd_write(stopFd_, 1);  // wakes the accept and hold waits
    thread_.join();
    ::close(fd_);
    ::close(stopFd_);
  }
  std::string url(const std::string& path = "/live/test.flv") const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }

 private:
  void run() {
    while (!stop_) {
      pollfd p[2] = {{fd_, POLLIN, 0}, {stopFd_, POLLIN, 0}};
      if (::poll(p, 2, -1) <= 0 || p[1].revents) continue;
      int c = ::accept(fd_, nullptr, nullptr);
      if (c < 0) continue;
      char req[4096];
      std::string got;
      while (got.find("\r\n\r\n") == std::string::npos) {
        ssize_t n = ::recv(c, req, sizeof req, 0);
        if (n <= 0) break;
        got.append(req, size_t(n));
      }
      std::string head = "HTTP/1.0 200 OK\r\nContent-Type: video/x-flv\r\nConnection: close\r\n\r\n";
      ::send(c, head.data(), head.size(), MSG_NOSIGNAL);
      size_t off = 0;
      while (off < body_.size() && !stop_) {
        ssize_t n = ::send(c, body_.data() + off, std::min<size_t>(16384, body_.size() - off), MSG_NOSIGNAL);
        if (n <= 0) break;
        off += size_t(n);
      }
      pollfd s{stopFd_, POLLIN, 0};
      while (hold_ && !stop_) ::poll(&s, 1, -1);  // held open until the server is destroyed
      ::close(c);
    }
  }
  std::vector<uint8_t> body_;
  bool hold_;
  int fd_ = -1, port_ = 0;
  int stopFd_ = ::eventfd(0, EFD_CLOEXEC);
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

std::vector<uint8_t> readFile(const std::string& p) {
  std::ifstream f(p, std::ios::binary);
  return std::vector<uint8_t>((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
}

// An FLV file made by the ffmpeg CLI: testsrc WxH + 1 kHz sine, `seconds` long, GOP 1 s.
bool makeFlv(const std::string& path, const std::string& size, double seconds) {
  auto r = runCommand({findTool("ffmpeg"), "-hide_banner", "-nostdin", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
                       "testsrc=size=" + size + ":rate=30", "-f", "lavfi", "-i", "sine=frequency=1000:sample_rate=48000",
                       "-t", std::to_string(seconds), "-c:v", "libx264", "-preset", "ultrafast", "-tune",
                       "zerolatency", "-g", "30", "-pix_fmt", "yuv420p", "-c:a", "aac", "-f", "flv", path},
                      std::chrono::seconds(30));
  return r.exitCode == 0;
}

PlayConfig headless(const std::string& y4m = "") {
  PlayConfig c;
  c.video = y4m.empty() ? VideoOutput{VideoOutput::Kind::None, ""} : VideoOutput{VideoOutput::Kind::Y4m, y4m};
  c.audio = {AudioOutput::Kind::None, ""};
  return c;
}

template <typename F>
std::chrono::milliseconds timed(F&& f) {
  auto t0 = std::chrono::steady_clock::now();
  f();
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0);
}

}  // namespace

TEST(PlayerRobustness, ServerKilledThenReconnectsGiveUp) {
  std::string why;
  OPENLIVE_NEED(haveFfmpegCli(&why), why);
  auto server = startNginxRtmp(&why);
  OPENLIVE_NEED(server, why);
  auto push = startFfmpegTestPush(server->rtmpUrl("k"), 30, "320x240", 30);
  ASSERT_TRUE(server->waitForPublish("k", 10s)) << server->logTail();
  PlayConfig cfg = headless();
  cfg.connectRetryCount = 2;
  cfg.connectRetryInterval = std::chrono::milliseconds(500);
  // Declared before the player: its callbacks use it until the player is destroyed.
  EventLog log;
  LivePlayer player(cfg);
  log.attach(player);
  ASSERT_TRUE(player.start(server->rtmpUrl("k")));
  ASSERT_TRUE(log.waitFor(2004, 10s)) << log.dump();
  server->kill();
  ASSERT_TRUE(log.waitFor(-2301, 15s)) << log.dump();
  auto codes = log.codes();
  int disconnect = log.indexOf(3004) >= 0 ? log.indexOf(3004) : log.indexOf(3005);
  EXPECT_GE(disconnect, 0) << log.dump();
  EXPECT_EQ(std::count(codes.begin(), codes.end(), 2103), 2) << log.dump();
  EXPECT_LT(disconnect, log.indexOf(2103));
  EXPECT_EQ(codes.back(), -2301) << log.dump();
  EXPECT_LT(timed([&] { player.stop(); }), scaled(200ms));
}

TEST(PlayerRobustness, ServerRestartedWithinRetryWindowResumes) {
  std::string why;
  OPENLIVE_NEED(haveFfmpegCli(&why), why);
  auto server = startNginxRtmp(&why);
  OPENLIVE_NEED(server, why);
  auto push = startFfmpegTestPush(server->rtmpUrl("r"), 30, "320x240", 30);
  ASSERT_TRUE(server->waitForPublish("r", 10s)) << server->logTail();
  PlayConfig cfg = headless();
  cfg.connectRetryCount = 5;
  cfg.connectRetryInterval = std::chrono::milliseconds(1000);
  // Declared before the player: its callbacks use it until the player is destroyed.
  EventLog log;
  LivePlayer player(cfg);
  log.attach(player);
  ASSERT_TRUE(player.start(server->rtmpUrl("r")));
  ASSERT_TRUE(log.waitFor(2004, 10s)) << log.dump();
  server->kill();
  ASSERT_TRUE(log.waitFor(2103, 10s)) << log.dump();
  server->restart();
  auto push2 = startFfmpegTestPush(server->rtmpUrl("r"), 30, "320x240", 30);
  EXPECT_TRUE(log.waitFor(2004, 20s, 2)) << log.dump();  // playback began again
  EXPECT_EQ(log.indexOf(-2301), -1) << log.dump();
  EXPECT_LT(timed([&] { player.stop(); }), scaled(200ms));
}

TEST(PlayerRobustness, StopPlayIsFastInEveryState) {
  // 1. Handshake against a listener that never answers (black hole after TCP accept).
  int bh = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(bh, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  socklen_t len = sizeof a;
  getsockname(bh, reinterpret_cast<sockaddr*>(&a), &len);
  ::listen(bh, 8);
  int port = ntohs(a.sin_port);
  for (std::string url : {"rtmp://127.0.0.1:" + std::to_string(port) + "/live/x",
                          "http://127.0.0.1:" + std::to_string(port) + "/live/x.flv"}) {
    LivePlayer p(headless());
    ASSERT_TRUE(p.start(url));
    std::this_thread::sleep_for(300ms);  // scenario: stop while the handshake waits (nothing to observe)
    auto d = timed([&] { p.stop(); });
    EXPECT_LT(d, scaled(200ms)) << url;
  }
  ::close(bh);
  // 2. Waiting between reconnect attempts (connection refused, long interval).
  {
    PlayConfig c = headless();
    c.connectRetryInterval = std::chrono::milliseconds(10000);
    // Declared before the player: its callbacks use it until the player is destroyed.
    EventLog log;
    LivePlayer p(c);
    log.attach(p);
    ASSERT_TRUE(p.start("rtmp://127.0.0.1:" + std::to_string(port) + "/live/x"));
    ASSERT_TRUE(log.waitFor(2103, 10s)) << log.dump();
    EXPECT_LT(timed([&] { p.stop(); }), scaled(200ms));
    auto n = log.codes().size();
    std::this_thread::sleep_for(100ms);  // scenario: a window in which a late callback would show
    EXPECT_EQ(log.codes().size(), n) << "callback after stopPlay returned";
  }
  // 3. Never started, and twice.
  LivePlayer idle;
  EXPECT_LT(timed([&] { idle.stop(); idle.stop(); }), scaled(200ms));
}

TEST(PlayerRobustness, StopWhilePlayingAndDestroyFromCallback) {
  std::string why;
  OPENLIVE_NEED(haveFfmpegCli(&why), why);
  auto server = startNginxRtmp(&why);
  OPENLIVE_NEED(server, why);
  auto push = startFfmpegTestPush(server->rtmpUrl("d"), 20, "320x240", 30);
  ASSERT_TRUE(server->waitForPublish("d", 10s)) << server->logTail();
  {
    // Declared before the player: its callbacks use it until the player is destroyed.
    EventLog log;
    LivePlayer p(headless());
    log.attach(p);
    ASSERT_TRUE(p.start(server->rtmpUrl("d")));
    ASSERT_TRUE(log.waitFor(2004, 10s)) << log.dump();
    EXPECT_LT(timed([&] { p.stop(); }), scaled(200ms));
  }
  // Declared before the player: its callbacks use these until the player is destroyed.
  std::atomic<bool> destroyed{false};
  std::mutex mu;
  std::condition_variable cv;
  auto player = std::make_unique<LivePlayer>(headless());
  player->setEventCallback([&](const Event& e) {
    if (e.code != EventCode::PLAY_EVT_PLAY_BEGIN) return;
    std::unique_ptr<LivePlayer> self;
    {
      std::lock_guard lk(mu);
      self = std::move(player);
    }
    self.reset();  // destroys the player from its own callback thread
    std::lock_guard lk(mu);  // notify under the lock: the waiter may return and destroy cv right after
    destroyed = true;
    cv.notify_all();
  });
  ASSERT_TRUE(player->start(server->rtmpUrl("d")));
  std::unique_lock lk(mu);
  EXPECT_TRUE(cv.wait_for(lk, 15s, [&] { return destroyed.load(); }));
}

TEST(PlayerRobustness, ResolutionChangeMidStream) {
  std::string why;
  OPENLIVE_NEED(haveFfmpegCli(&why), why);
  TempDir dir("ol-res");
  std::string a = (dir / "a.flv").string(), b = (dir / "b.flv").string();
  ASSERT_TRUE(makeFlv(a, "320x240", 2));
  ASSERT_TRUE(makeFlv(b, "640x360", 2));
  auto body = readFile(a);
  auto second = readFile(b);
  body.insert(body.end(), second.begin() + 13, second.end());  // drop the second file header
  TinyHttpServer http(body);
  PlayConfig cfg = headless((dir / "out.y4m").string());
  // The whole 4 s arrive at once. Live mode skips such a backlog to its live edge unless the end of the
  // stream is already known when playback starts (a race with the reader's EOF under TSan): a fixed 5-s
  // cache makes the 4 s a normal buffer, so every frame of both parts is played.
  cfg.autoAdjustCache = false;
  cfg.cacheTime = std::chrono::milliseconds(5000);
  // Declared before the player: its callbacks use these until the player is destroyed.
  EventLog log;
  std::mutex mu;
  std::vector<std::pair<int, int>> sizes;
  LivePlayer p(cfg);
  log.attach(p);
  p.setVideoFrameCallback([&](const VideoFrame& f) {
    std::lock_guard lk(mu);
    if (sizes.empty() || sizes.back() != std::make_pair(f.width, f.height)) sizes.emplace_back(f.width, f.height);
  });
  ASSERT_TRUE(p.start(http.url()));
  ASSERT_TRUE(log.waitForAny({2006, -2301}, 20s)) << log.dump();
  p.stop();
  auto events = log.events();
  auto it = std::find_if(events.begin(), events.end(), [](const Event& e) { return toInt(e.code) == 2009; });
  ASSERT_NE(it, events.end()) << log.dump();
  EXPECT_GE(log.indexOf(2107), 0) << "timestamp restart not reported as a discontinuity: " << log.dump();
  EXPECT_EQ(it->get(evt::kParam1), "640");
  EXPECT_EQ(it->get(evt::kParam2), "360");
  std::lock_guard lk(mu);
  ASSERT_EQ(sizes.size(), 2u);
  EXPECT_EQ(sizes[0], std::make_pair(320, 240));
  EXPECT_EQ(sizes[1], std::make_pair(640, 360));
  auto y = readY4m((dir / "out.y4m").string());
  EXPECT_NEAR(y.frames, 120, 6) << log.dump();
  EXPECT_GT(y.meanLuma, 20);  // a picture, not black
}

TEST(PlayerRobustness, GarbageAfterHeaderAndTruncation) {
  std::string why;
  OPENLIVE_NEED(haveFfmpegCli(&why), why);
  TempDir dir("ol-garbage");
  std::string a = (dir / "a.flv").string();
  ASSERT_TRUE(makeFlv(a, "320x240", 2));
  auto good = readFile(a);
  std::mt19937 rng(3);
  // Valid header, 64 KiB of garbage, then the whole valid stream after it.
  std::vector<uint8_t> garbage(good.begin(), good.begin() + 13);
  for (int i = 0; i < 65536; ++i) garbage.push_back(uint8_t(rng()));
  garbage.insert(garbage.end(), good.begin() + 13, good.end());
  // Truncated in the middle of a tag.
  std::vector<uint8_t> truncated(good.begin(), good.begin() + static_cast<std::ptrdiff_t>(good.size() * 2 / 3));
  // Pure noise with no FLV header at all, and kept open (must not hang stopPlay).
  std::vector<uint8_t> noise(200000);
  for (auto& x : noise) x = uint8_t(rng());

  std::vector<std::string> warnings;
  std::mutex wmu;
  // The handler below captures warnings and wmu: remove it on every way out (an ASSERT returns early).
  struct ResetLogHandler {
    ~ResetLogHandler() { setLogHandler(LogLevel::Warning, nullptr); }
  } resetLogHandler;
  setLogHandler(LogLevel::Warning, [&](LogLevel, std::string_view, std::string_view m) {
    std::lock_guard lk(wmu);
    warnings.emplace_back(m);
  });
  for (auto* body : {&garbage, &truncated}) {
    TinyHttpServer http(*body);
    // Declared before the player: its callbacks use it until the player is destroyed.
    EventLog log;
    LivePlayer p(headless((dir / "o.y4m").string()));
    log.attach(p);
    ASSERT_TRUE(p.start(http.url()));
    EXPECT_TRUE(log.waitForAny({2006, -2301}, 15s)) << log.dump();
    EXPECT_GE(log.indexOf(2004), 0) << log.dump();
    EXPECT_LT(timed([&] { p.stop(); }), scaled(200ms));
    EXPECT_GT(readY4m((dir / "o.y4m").string()).frames, body == &garbage ? 50 : 20);
  }
  {
    TinyHttpServer http(noise, true);
    PlayConfig c = headless();
    c.connectRetryCount = 0;
    LivePlayer p(c);
    ASSERT_TRUE(p.start(http.url()));
    std::this_thread::sleep_for(500ms);  // scenario: stop while the connection is open and quiet
    EXPECT_LT(timed([&] { p.stop(); }), scaled(200ms));
  }
  setLogHandler(LogLevel::Warning, nullptr);
  std::lock_guard lk(wmu);
  bool resync = std::any_of(warnings.begin(), warnings.end(),
                            [](const std::string& w) { return w.find("resynchronising") != std::string::npos; });
  bool trunc = std::any_of(warnings.begin(), warnings.end(),
                           [](const std::string& w) { return w.find("inside a tag") != std::string::npos; });
  EXPECT_TRUE(resync);
  EXPECT_TRUE(trunc);
}

TEST(PlayerRobustness, PauseKeepsSessionAndResumeRestartsAtLiveEdge) {
  std::string why;
  OPENLIVE_NEED(haveFfmpegCli(&why), why);
  auto server = startNginxRtmp(&why);
  OPENLIVE_NEED(server, why);
  auto push = startFfmpegTestPush(server->rtmpUrl("pz"), 20, "320x240", 30);
  ASSERT_TRUE(server->waitForPublish("pz", 10s)) << server->logTail();
  PlayConfig cfg = headless();
  cfg.setCacheMode(CacheMode::Fast);
  // Declared before the player: its callbacks use these until the player is destroyed.
  EventLog log;
  FrameCounter frames;
  LivePlayer p(cfg);
  log.attach(p);
  frames.attach(p);
  ASSERT_TRUE(p.start(server->rtmpUrl("pz")));
  ASSERT_TRUE(log.waitFor(2004, 10s)) << log.dump();
  std::this_thread::sleep_for(1500ms);  // scenario: 1.5 s of playback before the pause
  EXPECT_LT(timed([&] { p.pause(); }), scaled(200ms));
  std::this_thread::sleep_for(300ms);  // scenario: pictures already on their way may still arrive
  int atPause = frames.count();
  std::this_thread::sleep_for(1000ms);  // scenario: a second in which no picture may arrive
  EXPECT_EQ(frames.count(), atPause) << "frames delivered while paused";
  EXPECT_TRUE(p.isActive());
  EXPECT_EQ(log.indexOf(2103), -1) << "pause must not look like a network failure: " << log.dump();
  p.resume();
  EXPECT_TRUE(log.waitFor(2004, 10s, 2)) << log.dump();
  EXPECT_TRUE(frames.waitFor(atPause + 11, scaled(1500ms))) << frames.count() << " pictures, " << atPause
                                                             << " at the pause";
  EXPECT_EQ(log.indexOf(2103), -1) << log.dump();
  p.stop();
}
