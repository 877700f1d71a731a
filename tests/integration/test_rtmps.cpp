// rtmps:// through the shared RTMP connection layer: nginx's stream module terminates TLS (certificate made
// per test by the openssl CLI) in front of nginx-rtmp; media comes from the ffmpeg CLI and is read back with
// ffprobe over plain rtmp from the backend.
#include "fixtures/media_probe.h"
#include "fixtures/process.h"
#include "fixtures/require.h"
#include "fixtures/servers.h"
#include "fixtures/temp_dir.h"
#include "fixtures/timing.h"
#include "fixtures/tls_endpoint.h"
#include "transport/rtmp_connection.h"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>

using namespace openlive::test;
using namespace openlive::transport;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

class RtmpsTest : public ::testing::Test {
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
  }

  ConnectOptions options(bool publish) const {
    ConnectOptions o;
    o.publish = publish;
    o.connectTimeout = 3000ms;
    o.ioTimeout = 4000ms;
    return o;
  }

  std::string url(std::string_view stream) const { return rtmpsUrl(front_->rtmpPort(), stream); }

  TempDir certDir_{"openlive-cert"};
  TestCertificate cert_;
  std::unique_ptr<MediaServer> backend_;
  std::unique_ptr<MediaServer> front_;
};

struct Received {
  int video = 0, audio = 0, data = 0;
  bool avc = false;            // a video body with codec id 7 (H.264)
  bool monotonic = true;       // video timestamps never went backwards
};

// Reads media until `enough` or the deadline.
Received readMedia(RtmpConnection& c, int wantVideo, int wantAudio, std::chrono::milliseconds budget) {
  Received r;
  uint32_t lastVideoTs = 0;
  const auto deadline = Clock::now() + budget;
  while (Clock::now() < deadline && (r.video < wantVideo || r.audio < wantAudio)) {
    RtmpMessage m;
    ReadStatus st = c.readMessage(m);
    if (st == ReadStatus::Timeout) continue;
    if (st != ReadStatus::Message) break;
    if (m.kind() == RtmpMessageType::Video && !m.body.empty()) {
      if ((m.body[0] & 0x0f) == 7) r.avc = true;
      if (r.video > 0 && m.timestamp < lastVideoTs) r.monotonic = false;
      lastVideoTs = m.timestamp;
      ++r.video;
    } else if (m.kind() == RtmpMessageType::Audio) {
      ++r.audio;
    } else if (m.kind() == RtmpMessageType::DataAmf0) {
      ++r.data;
    }
  }
  return r;
}

TEST_F(RtmpsTest, PlayOverTlsReceivesMediaPublishedByFfmpeg) {
  std::string why;
  OPENLIVE_NEED(haveFfmpegCli(&why), why);
  Process push = startFfmpegTestPush(backend_->rtmpUrl("play1"), 8.0, "320x240", 25);

  RtmpConnection c(url("play1"));
  ConnectOptions o = options(false);
  o.tlsAllowSelfSigned = true;
  ConnectResult res = c.connect(o);
  ASSERT_TRUE(res.ok()) << toString(res.failure) << ": " << res.message;
  EXPECT_EQ(c.serverAddress(), "127.0.0.1:" + std::to_string(front_->rtmpPort()));

  Received r = readMedia(c, 50, 50, 10s);
  EXPECT_GE(r.video, 50) << "video messages over rtmps";
  EXPECT_GE(r.audio, 50) << "audio messages over rtmps";
  EXPECT_TRUE(r.avc);
  EXPECT_TRUE(r.monotonic);
  EXPECT_GT(c.bytesReceived(), 20000u);
  c.close();
}

// Plays a stream over rtmps and publishes every media message again over rtmps (trusting the generated
// certificate through tlsCaFile); ffprobe then reads the republished stream over plain rtmp from the backend.
TEST_F(RtmpsTest, PublishOverTlsIsReadableFromTheBackend) {
  std::string why;
  OPENLIVE_NEED(haveFfmpegCli(&why), why);
  Process push = startFfmpegTestPush(backend_->rtmpUrl("src"), 12.0, "320x240", 25);

  RtmpConnection player(url("src"));
  ConnectOptions po = options(false);
  po.tlsCaFile = cert_.certFile;
  ConnectResult pr = player.connect(po);
  ASSERT_TRUE(pr.ok()) << toString(pr.failure) << ": " << pr.message;

  RtmpConnection publisher(url("relay"));
  ConnectOptions pubOpts = options(true);
  pubOpts.tlsCaFile = cert_.certFile;
  ConnectResult res = publisher.connect(pubOpts);
  ASSERT_TRUE(res.ok()) << toString(res.failure) << ": " << res.message;

  std::atomic<bool> stop{false};
  std::atomic<int> forwarded{0};
  std::atomic<bool> sendFailed{false};
  std::mutex mu;
  std::condition_variable cv;
  std::thread relay([&] {
    while (!stop) {
      RtmpMessage m;
      ReadStatus st = player.readMessage(m);
      if (st == ReadStatus::Timeout) continue;
      if (st != ReadStatus::Message) break;
      if (m.type != 8 && m.type != 9 && m.type != 18) continue;
      if (!publisher.sendMessage(m.kind(), m.timestamp, m.body.data(), m.body.size()) || !publisher.pollIncoming()) {
        sendFailed = true;
        break;
      }
      std::lock_guard lk(mu);
      ++forwarded;
      cv.notify_all();
    }
  });

  {
    std::unique_lock lk(mu);
    cv.wait_for(lk, 10s, [&] { return forwarded >= 30; });
  }
  ASSERT_GE(forwarded.load(), 30) << "relay did not start forwarding";

  ProbeOptions popt;
  popt.readSeconds = 3;
  ProbeResult probe = probeMedia(backend_->rtmpUrl("relay"), 15s, {"-rw_timeout", "5000000"}, popt);
  stop = true;
  player.cancel();
  relay.join();
  EXPECT_FALSE(sendFailed.load()) << publisher.lastError();
  ASSERT_TRUE(probe.ok) << probe.error;
  ASSERT_NE(probe.video(), nullptr);
  EXPECT_EQ(probe.video()->codecName, "h264");
  EXPECT_EQ(probe.video()->width, 320);
  EXPECT_EQ(probe.video()->height, 240);
  ASSERT_NE(probe.audio(), nullptr);
  EXPECT_EQ(probe.audio()->codecName, "aac");
  EXPECT_GT(probe.video()->packets, 30) << "video packets in 3 s";
  EXPECT_GT(publisher.bytesSent(), 50000u);
  publisher.close();
  player.close();
}

TEST_F(RtmpsTest, SelfSignedCertificateIsRejectedByDefault) {
  RtmpConnection c(url("s1"));
  const auto t0 = Clock::now();
  ConnectResult res = c.connect(options(true));
  EXPECT_EQ(res.failure, ConnectFailure::Handshake) << res.message;
  EXPECT_NE(res.message.find("certificate not trusted"), std::string::npos) << res.message;
  RecordProperty("message", res.message);
  EXPECT_LT(msSince(t0), scaledMs(3000));
}

TEST_F(RtmpsTest, TrustedCaFileAllowsPublish) {
  RtmpConnection c(url("s2"));
  ConnectOptions o = options(true);
  o.tlsCaFile = cert_.certFile;
  bool netConnected = false;
  ConnectResult res = c.connect(o, [&] { netConnected = true; });
  ASSERT_TRUE(res.ok()) << toString(res.failure) << ": " << res.message;
  EXPECT_TRUE(netConnected);
  c.close();
}

TEST_F(RtmpsTest, MissingCaFileIsReported) {
  RtmpConnection c(url("s3"));
  ConnectOptions o = options(true);
  o.tlsCaFile = (certDir_ / "does-not-exist.pem").string();
  ConnectResult res = c.connect(o);
  EXPECT_EQ(res.failure, ConnectFailure::Handshake);
  EXPECT_NE(res.message.find("CA file"), std::string::npos) << res.message;
}

TEST_F(RtmpsTest, HostnameMismatchIsRejectedEvenWhenSelfSignedIsAllowed) {
  std::string why;
  TestCertificate other;
  ASSERT_TRUE(makeSelfSignedCertificate(certDir_.path(), "elsewhere", "DNS:elsewhere.invalid", &other, &why)) << why;
  auto front = startNginxTlsFront(backend_->rtmpPort(), other, &why);
  ASSERT_TRUE(front) << why;
  for (bool allowSelfSigned : {false, true}) {
    RtmpConnection c(rtmpsUrl(front->rtmpPort(), "s4"));
    ConnectOptions o = options(true);
    o.tlsCaFile = other.certFile;  // trusted, but issued for another name
    o.tlsAllowSelfSigned = allowSelfSigned;
    ConnectResult res = c.connect(o);
    EXPECT_EQ(res.failure, ConnectFailure::Handshake) << res.message;
    EXPECT_NE(res.message.find("hostname mismatch"), std::string::npos) << res.message;
    EXPECT_NE(res.message.find("127.0.0.1"), std::string::npos) << res.message;
    RecordProperty(allowSelfSigned ? "messageAllowSelfSigned" : "message", res.message);
  }
}

// A read timeout through TLS is a timeout (no-data path), not a broken link, and cancel() still wakes a
// blocked read at once.
TEST_F(RtmpsTest, ReadTimeoutAndCancelWorkThroughTls) {
  RtmpConnection c(url("nobody"));
  ConnectOptions o = options(false);
  o.tlsAllowSelfSigned = true;
  o.ioTimeout = 1200ms;
  ConnectResult res = c.connect(o);
  ASSERT_TRUE(res.ok()) << toString(res.failure) << ": " << res.message;

  RtmpMessage m;
  auto t0 = Clock::now();
  ReadStatus st = c.readMessage(m);
  while (st == ReadStatus::Message && msSince(t0) < 5000) st = c.readMessage(m);  // Play.Reset etc.
  EXPECT_EQ(st, ReadStatus::Timeout) << c.lastError();
  EXPECT_LT(msSince(t0), scaledMs(4000));

  // The link is still usable after a timeout: block again and cancel from another thread.
  auto blocked = std::async(std::launch::async, [&] {
    RtmpMessage mm;
    ReadStatus s;
    do s = c.readMessage(mm);
    while (s == ReadStatus::Message || s == ReadStatus::Timeout);
    return s;
  });
  std::this_thread::sleep_for(300ms);  // scenario: cancel while the read blocks (nothing to observe)
  const auto tc = Clock::now();
  c.cancel();
  ASSERT_EQ(blocked.wait_for(scaled(2s)), std::future_status::ready);
  EXPECT_LT(msSince(tc), scaledMs(200));
  EXPECT_EQ(blocked.get(), ReadStatus::Cancelled);
  c.close();
}

// The TLS endpoint dies mid-stream: a blocked read ends promptly as Closed (3004), as it does for rtmp://.
TEST_F(RtmpsTest, TlsEndpointKillEndsAReadPromptly) {
  RtmpConnection c(url("idle"));
  ConnectOptions o = options(false);
  o.tlsAllowSelfSigned = true;
  o.ioTimeout = 10s;
  ConnectResult res = c.connect(o);
  ASSERT_TRUE(res.ok()) << toString(res.failure) << ": " << res.message;
  auto blocked = std::async(std::launch::async, [&] {
    RtmpMessage m;
    ReadStatus s;
    do s = c.readMessage(m);
    while (s == ReadStatus::Message);
    return s;
  });
  std::this_thread::sleep_for(300ms);  // scenario: kill while the read blocks (nothing to observe)
  const auto tk = Clock::now();
  front_->kill();
  ASSERT_EQ(blocked.wait_for(scaled(3s)), std::future_status::ready);
  EXPECT_LT(msSince(tk), scaledMs(1000));
  EXPECT_EQ(blocked.get(), ReadStatus::Closed) << c.lastError();
  c.close();
}

TEST_F(RtmpsTest, PlainRtmpPortIsAHandshakeFailure) {
  RtmpConnection c(rtmpsUrl(backend_->rtmpPort(), "s5"));
  ConnectOptions o = options(true);
  o.tlsAllowSelfSigned = true;
  o.ioTimeout = 1500ms;
  const auto t0 = Clock::now();
  ConnectResult res = c.connect(o);
  EXPECT_EQ(res.failure, ConnectFailure::Handshake) << res.message;
  EXPECT_NE(res.message.find("TLS"), std::string::npos) << res.message;
  RecordProperty("message", res.message);
  EXPECT_LT(msSince(t0), scaledMs(4000));
}

TEST_F(RtmpsTest, CancelDuringTlsHandshakeReturnsPromptly) {
  // The plain RTMP port never answers a ClientHello, so the TLS handshake blocks until cancelled.
  RtmpConnection c(rtmpsUrl(backend_->rtmpPort(), "s6"));
  ConnectOptions o = options(true);
  o.ioTimeout = 10s;
  auto fut = std::async(std::launch::async, [&] { return c.connect(o); });
  std::this_thread::sleep_for(300ms);  // scenario: cancel while the handshake blocks (nothing to observe)
  const auto tc = Clock::now();
  c.cancel();
  ASSERT_EQ(fut.wait_for(scaled(2s)), std::future_status::ready);
  EXPECT_LT(msSince(tc), scaledMs(200));
  EXPECT_EQ(fut.get().failure, ConnectFailure::Cancelled);
}

}  // namespace
