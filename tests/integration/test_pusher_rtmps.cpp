// LivePusher over rtmps:// (nginx stream module terminating TLS in front of nginx-rtmp, certificate generated
// per test): the stream is read back over plain rtmp from the backend by ffprobe; an untrusted certificate is
// a 3003 with the reason, and the pusher keeps retrying, then -1307.
#include "fixtures/media_probe.h"
#include "fixtures/require.h"
#include "fixtures/servers.h"
#include "fixtures/temp_dir.h"
#include "fixtures/tls_endpoint.h"

#include <openlive/live_pusher.h>

#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

using namespace openlive;
using namespace openlive::test;
using namespace std::chrono_literals;

namespace {
struct Events {
  std::mutex mu;
  std::condition_variable cv;
  std::vector<Event> list;
  void add(const Event& e) {
    std::lock_guard lk(mu);
    list.push_back(e);
    cv.notify_all();
  }
  bool waitFor(EventCode c, std::chrono::milliseconds t, Event* out = nullptr) {
    std::unique_lock lk(mu);
    return cv.wait_for(lk, t, [&] {
      for (auto& e : list)
        if (e.code == c) {
          if (out) *out = e;
          return true;
        }
      return false;
    });
  }
};
}  // namespace

class PusherRtmps : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string why;
    OPENLIVE_NEED(nginxRtmpAvailable(&why) && nginxTlsFrontAvailable(&why), why);
    OPENLIVE_NEED(haveFfmpegCli(&why), why);
    ASSERT_TRUE(makeSelfSignedCertificate(dir_.path(), "openlive-test", "IP:127.0.0.1,DNS:localhost", &cert_, &why))
        << why;
    backend_ = startNginxRtmp(&why);
    ASSERT_TRUE(backend_) << why;
    front_ = startNginxTlsFront(backend_->rtmpPort(), cert_, &why);
    ASSERT_TRUE(front_) << why;
  }
  static PushConfig small() {
    PushConfig c;
    c.mode = PushMode::RTC;
    c.width = 320;
    c.height = 240;
    c.fps = 15;
    c.connectRetryCount = 1;
    c.connectRetryInterval = 200ms;
    return c;
  }
  TempDir dir_{"openlive-cert"};
  TestCertificate cert_;
  std::unique_ptr<MediaServer> backend_, front_;
};

TEST_F(PusherRtmps, PublishesOverTlsWithTheTestCa) {
  PushConfig c = small();
  c.tlsCaFile = cert_.certFile;
  // Declared before the pusher: its callbacks use it until the pusher is destroyed.
  Events ev;
  LivePusher pusher(c);
  pusher.setEventCallback([&](const Event& e) { ev.add(e); });
  ASSERT_TRUE(pusher.start(rtmpsUrl(front_->rtmpPort(), "tlspush")).ok());
  ASSERT_TRUE(ev.waitFor(EventCode::PUSH_EVT_PUSH_BEGIN, 10s));
  ProbeOptions po;
  po.readSeconds = 2;
  ProbeResult r = probeMedia(backend_->rtmpUrl("tlspush"), 15s, {}, po);
  pusher.stop();
  ASSERT_TRUE(r.ok) << r.error;
  ASSERT_NE(r.video(), nullptr);
  EXPECT_EQ(r.video()->codecName, "h264");
  EXPECT_EQ(r.video()->width, 320);
}

TEST_F(PusherRtmps, UntrustedCertificateIsAHandshakeFailureWithTheReason) {
  // Declared before the pusher: its callbacks use it until the pusher is destroyed.
  Events ev;
  LivePusher pusher(small());  // no CA file, self-signed not allowed
  pusher.setEventCallback([&](const Event& e) { ev.add(e); });
  ASSERT_TRUE(pusher.start(rtmpsUrl(front_->rtmpPort(), "tlsbad")).ok());
  Event shake;
  ASSERT_TRUE(ev.waitFor(EventCode::PUSH_WARNING_SHAKE_FAIL, 10s, &shake));
  EXPECT_NE(shake.message().find("certificate"), std::string::npos) << shake.message();
  EXPECT_TRUE(ev.waitFor(EventCode::PUSH_ERR_NET_DISCONNECT, 15s));
  EXPECT_FALSE(ev.waitFor(EventCode::PUSH_EVT_PUSH_BEGIN, 0ms));
}

TEST_F(PusherRtmps, AllowSelfSignedForTests) {
  PushConfig c = small();
  c.tlsAllowSelfSigned = true;
  // Declared before the pusher: its callbacks use it until the pusher is destroyed.
  Events ev;
  LivePusher pusher(c);
  pusher.setEventCallback([&](const Event& e) { ev.add(e); });
  ASSERT_TRUE(pusher.start(rtmpsUrl(front_->rtmpPort(), "tlsself")).ok());
  EXPECT_TRUE(ev.waitFor(EventCode::PUSH_EVT_PUSH_BEGIN, 10s));
}
