// LivePlayer over rtmps://: nginx's stream module terminates TLS (certificate generated per test by the openssl
// CLI, tests/fixtures/tls_endpoint.h) in front of nginx-rtmp; the SDK's pusher publishes over plain rtmp to the
// backend. PlayConfig::tlsCaFile / tlsAllowSelfSigned reach transport::ConnectOptions.
#include "fixtures/require.h"
#include "fixtures/servers.h"
#include "fixtures/temp_dir.h"
#include "fixtures/tls_endpoint.h"
#include "integration/test_player_util.h"

#include <openlive/live_player.h>
#include <openlive/live_pusher.h>

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>

using namespace openlive;
using namespace openlive::test;
using namespace std::chrono_literals;

namespace {

class PlayerRtmps : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string why;
    OPENLIVE_NEED(nginxRtmpAvailable(&why) && nginxTlsFrontAvailable(&why), why);
    ASSERT_TRUE(makeSelfSignedCertificate(certDir_.path(), "openlive-test", "IP:127.0.0.1,DNS:localhost", &cert_, &why))
        << why;
    backend_ = startNginxRtmp(&why);
    ASSERT_TRUE(backend_) << why;
    front_ = startNginxTlsFront(backend_->rtmpPort(), cert_, &why);
    ASSERT_TRUE(front_) << why;
    PushConfig pc;
    pc.width = 320;
    pc.height = 240;
    pc.fps = 25;
    pc.gopSeconds = 1;
    pusher_ = std::make_unique<LivePusher>(pc);
    ASSERT_TRUE(pusher_->start(backend_->rtmpUrl("tls1")));
  }
  void TearDown() override {
    if (pusher_) pusher_->stop();
  }

  static PlayConfig headless() {
    PlayConfig c;
    c.setCacheMode(CacheMode::Fast);
    c.video = {VideoOutput::Kind::None, ""};
    c.audio = {AudioOutput::Kind::None, ""};
    c.connectRetryCount = 1;
    c.connectRetryInterval = std::chrono::milliseconds(1000);
    return c;
  }

  TempDir certDir_{"openlive-cert"};
  TestCertificate cert_;
  std::unique_ptr<MediaServer> backend_;
  std::unique_ptr<MediaServer> front_;
  std::unique_ptr<LivePusher> pusher_;
};

}  // namespace

TEST_F(PlayerRtmps, PlaysWithTheTestCaFile) {
  PlayConfig cfg = headless();
  cfg.tlsCaFile = cert_.certFile;
  // Declared before the player: its callbacks use these until the player is destroyed.
  EventLog log;
  std::mutex mu;
  std::condition_variable cv;
  int frames = 0;  // 320x240 pictures, under mu
  LivePlayer player(cfg);
  log.attach(player);
  player.setVideoFrameCallback([&](const VideoFrame& f) {
    if (f.width != 320 || f.height != 240) return;
    std::lock_guard lk(mu);
    ++frames;
    cv.notify_all();
  });
  ASSERT_TRUE(player.start(rtmpsUrl(front_->rtmpPort(), "tls1")));
  ASSERT_TRUE(log.waitFor(2004, 10s)) << log.dump();
  EXPECT_LT(log.indexOf(2001), log.indexOf(2002)) << log.dump();
  EXPECT_LT(log.indexOf(2002), log.indexOf(2004)) << log.dump();
  {
    std::unique_lock lk(mu);
    EXPECT_TRUE(cv.wait_for(lk, 5s, [&] { return frames >= 50; })) << frames << " pictures; " << log.dump();
  }
  player.stop();
}

TEST_F(PlayerRtmps, SelfSignedAcceptedOnlyWhenAllowed) {
  {
    // No CA file, not allowed: the certificate is not trusted -> never connected, ends with -2301.
    // Declared before the player: its callbacks use it until the player is destroyed.
    EventLog log;
    LivePlayer player(headless());
    log.attach(player);
    ASSERT_TRUE(player.start(rtmpsUrl(front_->rtmpPort(), "tls1")));
    ASSERT_TRUE(log.waitFor(-2301, 20s)) << log.dump();
    EXPECT_EQ(log.indexOf(2004), -1) << log.dump();
    EXPECT_EQ(log.indexOf(2001), -1) << log.dump();
    player.stop();
  }
  {
    PlayConfig cfg = headless();
    cfg.tlsAllowSelfSigned = true;
    // Declared before the player: its callbacks use it until the player is destroyed.
    EventLog log;
    LivePlayer player(cfg);
    log.attach(player);
    ASSERT_TRUE(player.start(rtmpsUrl(front_->rtmpPort(), "tls1")));
    EXPECT_TRUE(log.waitFor(2004, 10s)) << log.dump();
    player.stop();
  }
}
