// What nginx-rtmp actually sends when it refuses, and how the connection layer types it: StreamNotFound
// (idle_streams off) is Refusal::NotFound at connect; `deny play` is Play.Start followed by a reset, which the
// read reports as Refusal::ClosedAfterStart; a close after media is no refusal. Also: connect's success is not
// "the server started sending" (StartSignals), and StreamBegin / StreamEOF arrive as typed stream events.
#include "fixtures/media_probe.h"
#include "fixtures/require.h"
#include "fixtures/servers.h"
#include "transport/rtmp_connection.h"

#include <gtest/gtest.h>

#include <thread>

using namespace openlive::test;
using namespace openlive::transport;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

// nginx-rtmp with two more applications: "deny" (deny play all) and "strict" (idle_streams off).
class RtmpRefusals : public ::testing::Test {
 protected:
  void SetUp() override {
    NginxRtmpOptions o;
    o.extraApplications =
        "    application deny { live on; deny play all; }\n"
        "    application strict { live on; idle_streams off; }\n";
    std::string why;
    server_ = startNginxRtmp(o, &why);
    OPENLIVE_NEED(server_, why);
  }
  ConnectResult play(RtmpConnection& conn, std::chrono::milliseconds ioTimeout = 3s) {
    ConnectOptions o;
    o.ioTimeout = ioTimeout;
    return conn.connect(o);
  }
  std::unique_ptr<MediaServer> server_;
};

// Reads until the read fails or `limit` passes; the last status.
ReadStatus readUntilFailure(RtmpConnection& conn, std::chrono::milliseconds limit, int* messages = nullptr) {
  const auto end = Clock::now() + limit;
  ReadStatus st = ReadStatus::Message;
  while (st == ReadStatus::Message && Clock::now() < end) {
    RtmpMessage m;
    st = conn.readMessage(m);
    if (st == ReadStatus::Message && messages) ++*messages;
  }
  return st;
}

}  // namespace

TEST_F(RtmpRefusals, StreamNotFoundIsTypedAtConnect) {
  RtmpConnection conn(server_->rtmpUrl("nobody", "strict"));
  const ConnectResult r = play(conn);
  EXPECT_EQ(r.failure, ConnectFailure::Rejected) << r.message;
  EXPECT_EQ(r.refusal, Refusal::NotFound) << toString(r.refusal);
  EXPECT_EQ(r.status, StreamStatus::PlayStreamNotFound);
  EXPECT_EQ(r.statusCode, "NetStream.Play.StreamNotFound");
  EXPECT_TRUE(r.retryable) << "the stream may appear later";
}

TEST_F(RtmpRefusals, DenyPlayIsPlayStartThenAResetRightAfter) {
  RtmpConnection conn(server_->rtmpUrl("s", "deny"));
  const ConnectResult r = play(conn);
  // nginx-rtmp's live module answers play before its access module refuses it.
  ASSERT_TRUE(r.ok()) << toString(r.failure) << ": " << r.message;
  EXPECT_TRUE(r.signals.startStatus);
  EXPECT_FALSE(r.signals.sending()) << "Play.Start alone is not the server sending the stream";
  const ReadStatus st = readUntilFailure(conn, 3s);
  EXPECT_TRUE(st == ReadStatus::Closed || st == ReadStatus::Error) << toString(st);
  EXPECT_EQ(conn.lastRefusal(), Refusal::ClosedAfterStart) << toString(conn.lastRefusal()) << " " << conn.lastError();
  EXPECT_FALSE(conn.startSignals().media);
}

TEST_F(RtmpRefusals, IdleStreamThenPublisherGivesStreamBeginAndEof) {
  std::string why;
  OPENLIVE_NEED(haveFfmpegCli(&why), why);
  RtmpConnection conn(server_->rtmpUrl("later"));
  const ConnectResult r = play(conn, 8s);
  ASSERT_TRUE(r.ok()) << toString(r.failure) << ": " << r.message;
  EXPECT_FALSE(r.signals.sending()) << "nobody publishes yet";

  auto push = startFfmpegTestPush(server_->rtmpUrl("later"), 2.0, "160x120", 25);
  bool begin = false, media = false, eof = false;
  const auto end = Clock::now() + 15s;
  while (!eof && Clock::now() < end) {
    RtmpMessage m;
    const ReadStatus st = conn.readMessage(m);
    ASSERT_EQ(st, ReadStatus::Message) << conn.lastError();
    if (m.event == StreamEvent::Begin) begin = true;
    if (m.kind() == RtmpMessageType::Video) media = true;
    if (m.event == StreamEvent::Eof) {
      eof = true;
      EXPECT_EQ(m.kind(), RtmpMessageType::UserControl);
      EXPECT_EQ(m.statusCode, "UserControl.StreamEOF") << "kept for the player until it reads `event`";
    }
  }
  EXPECT_TRUE(begin) << "StreamBegin when the publisher went live";
  EXPECT_TRUE(media);
  EXPECT_TRUE(eof) << "StreamEOF when it left";
  EXPECT_TRUE(conn.startSignals().streamBegin);
  EXPECT_TRUE(conn.startSignals().sending());
}

TEST_F(RtmpRefusals, AKillAfterMediaIsNoRefusal) {
  std::string why;
  OPENLIVE_NEED(haveFfmpegCli(&why), why);
  auto push = startFfmpegTestPush(server_->rtmpUrl("k"), 10.0, "160x120", 25);
  RtmpConnection conn(server_->rtmpUrl("k"));
  ASSERT_TRUE(play(conn, 5s).ok());
  bool media = false;
  for (int i = 0; i < 500 && !media; ++i) {
    RtmpMessage m;
    ASSERT_EQ(conn.readMessage(m), ReadStatus::Message) << conn.lastError();
    media = m.kind() == RtmpMessageType::Video || m.kind() == RtmpMessageType::Audio;
  }
  ASSERT_TRUE(media);
  server_->kill();
  const ReadStatus st = readUntilFailure(conn, 5s);
  EXPECT_TRUE(st == ReadStatus::Closed || st == ReadStatus::Error) << toString(st);
  EXPECT_EQ(conn.lastRefusal(), Refusal::None);
}
