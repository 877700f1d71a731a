// openlive-roomd (the built program) as nginx-rtmp's on_publish / on_play / on_publish_done authority, with the
// SDK's LivePusher and LivePlayer: a correctly signed push gets 1002 and its accelerate URL plays; a wrong or
// expired signature is refused by nginx and the pusher reports it; the liveness sweep follows the publish
// callbacks (a silent anchor whose stream is live stays, one whose stream ended goes).
#include <openlive/live_player.h>
#include <openlive/url_signing.h>

#include "fixtures/ports.h"
#include "fixtures/require.h"
#include "fixtures/room_clients.h"
#include "fixtures/room_servers.h"
#include "fixtures/room_stack.h"
#include "pusher_test_util.h"
#include "test_player_util.h"

namespace openlive::test {
namespace {

namespace code = room::code;

PushConfig quickFailPush() {
  PushConfig c = smallRtcPush(15, 300ms, 2);
  c.connectTimeout = 3000ms;
  c.ioTimeout = 3000ms;
  return c;
}

// Pushes `url` until 1002 or a fatal event; returns the event codes seen.
std::vector<int> pushOutcome(const std::string& url, PushEventLog& log, LivePusher& pusher) {
  log.attach(pusher);
  EXPECT_TRUE(pusher.start(url));
  const auto deadline = Clock::now() + 20s;
  while (Clock::now() < deadline) {
    if (log.count(EventCode::PUSH_EVT_PUSH_BEGIN) || log.count(EventCode::PUSH_ERR_SERVER_REFUSE) ||
        log.count(EventCode::PUSH_ERR_NET_DISCONNECT))
      break;
    log.waitFor(EventCode::PUSH_EVT_PUSH_BEGIN, 200ms);
  }
  return log.codes();
}

TEST(RoomdMedia, SignedPushIsAllowedAndItsAccelerateUrlPlays) {
  RoomStack s;
  OPENLIVE_NEED(s.start(), s.why);
  auto alice = loginClient(s.roomd->url(), "alice");
  auto urls = alice->getPushUrl();
  ASSERT_TRUE(urls.ok()) << urls.message;
  PushEventLog log;
  LivePusher pusher(smallRtcPush(15, 300ms, 2));
  log.attach(pusher);
  ASSERT_TRUE(pusher.start(urls.value.pushURL));
  ASSERT_TRUE(log.waitFor(EventCode::PUSH_EVT_PUSH_BEGIN, 15s)) << log.describe() << "\n" << s.roomd->log();
  EXPECT_NE(s.roomd->log().find("publish allowed"), std::string::npos);

  PlayConfig pc;
  pc.video.kind = VideoOutput::Kind::None;
  pc.audio.kind = AudioOutput::Kind::None;
  LivePlayer player(pc);
  EventLog plog;
  plog.attach(player);
  ASSERT_TRUE(player.start(urls.value.accelerateURL, PlayType::Rtc));
  EXPECT_TRUE(plog.waitFor(toInt(EventCode::PLAY_EVT_RCV_FIRST_I_FRAME), 15s)) << plog.dump();
  player.stop();

  // The same stream without a signature: nginx asks roomd, roomd refuses, the player never gets a picture.
  pc.connectRetryCount = 1;
  pc.connectRetryInterval = std::chrono::milliseconds(300);
  LivePlayer unsigned_(pc);
  EventLog ulog;
  ulog.attach(unsigned_);
  const auto parts = *parseSignedUrl(urls.value.pushURL);
  ASSERT_TRUE(unsigned_.start(s.nginx->rtmpUrl(parts.streamName), PlayType::Rtc));
  EXPECT_TRUE(ulog.waitFor(toInt(EventCode::PLAY_ERR_SERVER_REFUSE), 20s)) << ulog.dump();
  EXPECT_EQ(ulog.indexOf(toInt(EventCode::PLAY_WARNING_RECONNECT)), -1) << "a refusal is final: " << ulog.dump();
  EXPECT_EQ(ulog.indexOf(toInt(EventCode::PLAY_EVT_RCV_FIRST_I_FRAME)), -1) << ulog.dump();
  std::cout << "[ RESULT   ] unsigned play events: " << ulog.dump() << "\n";
  unsigned_.stop();
  EXPECT_NE(s.roomd->log().find("play refused"), std::string::npos);
  pusher.stop();

  // Nothing secret in roomd's log: the key, the login token, the txSecret it handed out, the userSig.
  const std::string roomdLog = s.roomd->log();
  EXPECT_EQ(roomdLog.find(kRoomKey), std::string::npos);
  EXPECT_EQ(roomdLog.find(alice->token()), std::string::npos);
  EXPECT_EQ(roomdLog.find(*parts.txSecret), std::string::npos);
  EXPECT_EQ(roomdLog.find(testUserSig("alice").substr(0, 24)), std::string::npos);
}

TEST(RoomdMedia, WrongOrExpiredSignatureIsRefusedByNginxAndReported) {
  RoomStack s;
  OPENLIVE_NEED(s.start(), s.why);
  auto alice = loginClient(s.roomd->url(), "alice");
  auto urls = alice->getPushUrl();
  ASSERT_TRUE(urls.ok());
  const auto parts = *parseSignedUrl(urls.value.pushURL);
  const std::string base = s.nginx->rtmpUrl(parts.streamName);
  const auto past = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now()) - 120s;
  const auto expired = signStream(kRoomKey, parts.streamName, past).value;
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"wrong", base + "?txSecret=" + std::string(32, 'a') + "&txTime=" + *parts.txTime},
      {"expired", base + "?txSecret=" + expired.txSecret + "&txTime=" + expired.txTime},
      {"missing", base},
  };
  for (const auto& [what, url] : cases) {
    PushEventLog log;
    LivePusher pusher(quickFailPush());
    auto codes = pushOutcome(url, log, pusher);
    pusher.stop();
    std::cout << "[ RESULT   ] " << what << " signature, pusher events: " << log.describe() << "\n";
    EXPECT_EQ(log.count(EventCode::PUSH_EVT_PUSH_BEGIN), 0) << what << ": " << log.describe();
    // nginx-rtmp closes the link right after `publish` when on_publish refuses it: -1326, final, no retries.
    EXPECT_EQ(log.count(EventCode::PUSH_ERR_SERVER_REFUSE), 1) << what << ": " << log.describe();
    EXPECT_EQ(log.count(EventCode::PUSH_WARNING_RECONNECT), 0) << what << ": " << log.describe();
  }
  const std::string roomdLog = s.roomd->log();
  EXPECT_NE(roomdLog.find("bad txSecret"), std::string::npos) << roomdLog;
  EXPECT_NE(roomdLog.find(": expired"), std::string::npos) << roomdLog;
  EXPECT_NE(roomdLog.find("missing txTime"), std::string::npos) << roomdLog;
}

TEST(RoomdMedia, LivenessFollowsThePublishCallbacks) {
  RoomStack s;
  OPENLIVE_NEED(s.start({"--sweep-interval-ms", "200", "--silence-timeout-ms", "1500"}), s.why);
  auto alice = loginClient(s.roomd->url(), "alice");
  auto bob = loginClient(s.roomd->url(), "bob");
  SignalRecorder aliceSig;
  auto ch = aliceSig.attach(s.roomd->url(), *alice);
  ASSERT_TRUE(aliceSig.waitEvent(room::ChannelEvent::Connected));
  const auto urls = alice->getPushUrl().value;
  PushEventLog log;
  LivePusher pusher(smallRtcPush(15, 300ms, 2));
  log.attach(pusher);
  ASSERT_TRUE(pusher.start(urls.pushURL));
  ASSERT_TRUE(log.waitFor(EventCode::PUSH_EVT_PUSH_BEGIN, 15s)) << log.describe();
  ASSERT_TRUE(alice->createRoom("live", "r").ok());
  ASSERT_TRUE(alice->addMember("r", "Alice", "", urls.pushURL).ok());  // joins after 1002, as rooms.md says
  ASSERT_TRUE(bob->addMember("r", "Bob", "", bob->getPushUrl().value.pushURL).ok());  // never publishes

  // Nobody heartbeats. Bob's stream is not live: removed, alice told. Alice's is: she stays.
  ASSERT_TRUE(aliceSig.waitCmd("notifyPusherChange", 15s)) << s.roomd->log();
  ASSERT_TRUE(waitUntil([&] { return alice->getMembers("r").value.room.pushers.size() == 1; }, 15s));
  EXPECT_EQ(alice->getMembers("r").value.room.pushers.at(0).userID, "alice");

  // Alice's push ends (nginx calls on_publish_done): she goes and the room with her.
  pusher.stop();
  ASSERT_TRUE(waitUntil([&] { return alice->getMembers("r").code == code::kNotCreator; }, 15s)) << s.roomd->log();
  EXPECT_NE(s.roomd->log().find("publish done"), std::string::npos);
}

}  // namespace
}  // namespace openlive::test
