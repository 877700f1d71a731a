// Two openlive-roomd programs sharing one redis-server (started here on an ephemeral loopback port): sessions,
// rooms and limits are shared; signalling sent through one reaches streams on the other, in order, once each,
// and a client resumes on the other instance without loss; the liveness sweep removes a silent member once; the
// media callbacks of one instance authorise URLs handed out by the other; redis going away is code 1, not a crash.
#include <httplib.h>

#include "fixtures/ports.h"
#include "fixtures/require.h"
#include "fixtures/room_clients.h"
#include "fixtures/room_servers.h"
#include "pusher_test_util.h"

namespace openlive::test {
namespace {

using nlohmann::json;
using room::ChannelEvent;
namespace code = room::code;

json text(int i) { return {{"cmd", "CustomTextMsg"}, {"data", {{"nickName", "n"}, {"text", std::to_string(i)}}}}; }

class RoomdRedis : public ::testing::Test {
 protected:
  // Two instances; `rtmp` names the media server both hand out URLs for.
  void startPair(const std::vector<std::string>& extra = {}, const std::string& rtmp = kRoomRtmp,
                 const std::string& listenA = {}) {
    std::string why;
    OPENLIVE_NEED(redisServerAvailable(&why), why);
    redis = startRedisServer(&why);
    ASSERT_TRUE(redis) << why;
    std::vector<std::string> args{"--sdkappid", std::to_string(kRoomAppId), "--key", kRoomKey,
                                  "--rtmp",     rtmp,                       "--redis", redis->url()};
    args.insert(args.end(), extra.begin(), extra.end());
    auto argsA = args;
    if (!listenA.empty()) argsA.insert(argsA.end(), {"--listen", listenA});
    a = startRoomd(argsA, &why);
    ASSERT_TRUE(a) << why;
    b = startRoomd(args, &why);
    ASSERT_TRUE(b) << why;
  }
  std::unique_ptr<RedisServer> redis;
  std::unique_ptr<RoomdProcess> a, b;
};

TEST_F(RoomdRedis, SessionsRoomsAndLimitsAreShared) {
  startPair();
  if (IsSkipped() || HasFatalFailure()) return;
  auto aliceA = loginClient(a->url(), "alice");
  room::RoomServiceClient aliceB({b->url(), room::RoomType::Live});
  aliceB.setSession("alice", aliceA->token());  // a token from A works on B
  ASSERT_TRUE(aliceB.getRoomList(0, 10).ok());
  ASSERT_TRUE(aliceA->createRoom("shared", "r").ok());
  EXPECT_EQ(aliceB.createRoom("again", "r").code, code::kRoomExists);
  ASSERT_TRUE(aliceB.addMember("r", "Alice", "", aliceB.getPushUrl().value.pushURL).ok());
  auto m = aliceA->getMembers("r");
  ASSERT_TRUE(m.ok());
  ASSERT_EQ(m.value.room.pushers.size(), 1u);
  EXPECT_EQ(m.value.room.roomCreator, "alice");
  // Capacity across instances: 4 anchors in all, the fifth (on either instance) gets 5001.
  for (int i = 1; i < 4; ++i) {
    auto u = loginClient(i % 2 ? b->url() : a->url(), "co" + std::to_string(i));
    ASSERT_TRUE(u->addMember("r", "n", "", u->getPushUrl().value.pushURL).ok()) << i;
  }
  auto fifth = loginClient(a->url(), "fifth");
  EXPECT_EQ(fifth->addMember("r", "n", "", fifth->getPushUrl().value.pushURL).code, code::kFull);
  // Heartbeat etag agrees across instances.
  auto hb = aliceB.heartbeat("r", m.value.roomStatusCode);
  ASSERT_TRUE(hb.ok());
  EXPECT_EQ(hb.value.roomStatusCode, aliceA->getMembers("r").value.roomStatusCode);
  EXPECT_TRUE(hb.value.pushers.has_value());  // membership changed since m
  EXPECT_EQ(aliceB.getRoomList(0, 10).value.size(), 1u);
  // Logout on B ends the session on A.
  ASSERT_TRUE(aliceB.logout().ok());
  EXPECT_EQ(aliceA->getRoomList(0, 10).code, code::kBadToken);
}

TEST_F(RoomdRedis, SignallingCrossesInstancesInOrderAndResumesOnTheOther) {
  startPair();
  if (IsSkipped() || HasFatalFailure()) return;
  auto alice = loginClient(b->url(), "alice");  // sends through B
  auto bob = loginClient(a->url(), "bob");      // listens on A
  ASSERT_TRUE(alice->createRoom("x", "r").ok());
  ASSERT_TRUE(alice->addMember("r", "Alice", "", alice->getPushUrl().value.pushURL).ok());
  ASSERT_TRUE(bob->addAudience("r", "{}").ok());
  uint64_t last = 0;
  {
    SignalRecorder rec;
    auto ch = rec.attach(a->url(), *bob);
    ASSERT_TRUE(rec.waitEvent(ChannelEvent::Connected));
    for (int i = 0; i < 30; ++i) ASSERT_TRUE(alice->sendRoomMessage("r", text(i)).ok());
    ASSERT_TRUE(rec.waitMessages(30));
    auto msgs = rec.messages();
    for (int i = 0; i < 30; ++i) EXPECT_EQ(msgs[i].msg["data"]["text"], std::to_string(i)) << i;
    last = ch->lastEventId();
  }
  // Bob's connection to A is gone; messages keep coming; he comes back on B with his last id.
  for (int i = 30; i < 40; ++i) ASSERT_TRUE(alice->sendRoomMessage("r", text(i)).ok());
  room::RoomServiceClient bobOnB({b->url(), room::RoomType::Live});
  bobOnB.setSession("bob", bob->token());
  SignalRecorder rec;
  auto ch = rec.attach(b->url(), bobOnB, last);
  ASSERT_TRUE(rec.waitMessages(10));
  ASSERT_TRUE(alice->sendRoomMessage("r", text(40)).ok());
  ASSERT_TRUE(rec.waitMessages(11));
  auto msgs = rec.messages();
  ASSERT_EQ(msgs.size(), 11u);
  for (int i = 0; i < 11; ++i) EXPECT_EQ(msgs[i].msg["data"]["text"], std::to_string(30 + i)) << i;
  // One-to-one across instances too.
  ASSERT_TRUE(alice->sendC2CMessage("bob", {{"cmd", "linkmic"}, {"data", {{"type", "kickout"}}}}).ok());
  ASSERT_TRUE(rec.waitCmd("linkmic"));
}

TEST_F(RoomdRedis, ASilentMemberIsRemovedOnceAndTheOthersToldOnce) {
  startPair({"--sweep-interval-ms", "150", "--silence-timeout-ms", "1500"});
  if (IsSkipped() || HasFatalFailure()) return;
  auto alice = loginClient(a->url(), "alice");
  auto bob = loginClient(b->url(), "bob");
  SignalRecorder aliceSig;
  auto ch = aliceSig.attach(b->url(), *alice);
  ASSERT_TRUE(aliceSig.waitEvent(ChannelEvent::Connected));
  ASSERT_TRUE(alice->createRoom("x", "r").ok());
  ASSERT_TRUE(alice->addMember("r", "Alice", "", alice->getPushUrl().value.pushURL).ok());
  ASSERT_TRUE(bob->addMember("r", "Bob", "", bob->getPushUrl().value.pushURL).ok());
  ASSERT_TRUE(aliceSig.waitCmd("notifyPusherChange"));  // bob joined
  // Alice keeps heartbeating (a client's 7 s period, shortened); bob goes silent.
  uint64_t status = 0;
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (alice->getMembers("r").value.room.pushers.size() != 1 && std::chrono::steady_clock::now() < deadline) {
    auto hb = alice->heartbeat("r", status);
    ASSERT_TRUE(hb.ok()) << hb.message;
    status = hb.value.roomStatusCode;
    std::this_thread::sleep_for(300ms);  // the heartbeat period (a client's 7 s, shortened), not a synchronisation
  }
  ASSERT_EQ(alice->getMembers("r").value.room.pushers.size(), 1u);
  // Both instances sweep; the removal happens once, so alice is told once (after the join notice).
  ASSERT_TRUE(aliceSig.waitMessages(2));
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(alice->heartbeat("r", status).ok());
  const std::string logs = a->log() + b->log();
  size_t removals = 0;
  for (size_t p = logs.find("pusher bob removed"); p != std::string::npos; p = logs.find("pusher bob removed", p + 1))
    ++removals;
  EXPECT_EQ(removals, 1u) << logs;
  int notices = 0;
  for (const auto& m : aliceSig.messages()) notices += m.cmd == "notifyPusherChange";
  EXPECT_EQ(notices, 2);
}

TEST_F(RoomdRedis, MediaCallbacksOnOneInstanceAuthoriseUrlsFromTheOther) {
  std::string why;
  OPENLIVE_NEED(nginxRtmpAvailable(&why), why);
  const int portA = pickFreeLoopbackPorts(1).at(0);
  NginxRtmpOptions o;
  o.onPublish = "http://127.0.0.1:" + std::to_string(portA) + "/weapp/rtmp/on_publish";
  o.onPublishDone = "http://127.0.0.1:" + std::to_string(portA) + "/weapp/rtmp/on_publish_done";
  auto nginx = startNginxRtmp(o, &why);
  ASSERT_TRUE(nginx) << why;
  startPair({}, "rtmp://127.0.0.1:" + std::to_string(nginx->rtmpPort()) + "/live", "127.0.0.1:" + std::to_string(portA));
  if (IsSkipped() || HasFatalFailure()) return;
  auto alice = loginClient(b->url(), "alice");
  const auto urls = alice->getPushUrl().value;  // from B; nginx asks A
  PushEventLog log;
  LivePusher pusher(smallRtcPush(15, 300ms, 1));
  log.attach(pusher);
  ASSERT_TRUE(pusher.start(urls.pushURL));
  ASSERT_TRUE(log.waitFor(EventCode::PUSH_EVT_PUSH_BEGIN, 15s)) << log.describe() << a->log();
  pusher.stop();
  const std::string wrong = urls.pushURL.substr(0, urls.pushURL.find("txSecret=") + 9) + std::string(32, 'b') +
                            urls.pushURL.substr(urls.pushURL.find("&txTime"));
  PushEventLog badLog;
  LivePusher bad(smallRtcPush(15, 300ms, 1));
  badLog.attach(bad);
  ASSERT_TRUE(bad.start(wrong));
  ASSERT_TRUE(badLog.waitFor(EventCode::PUSH_ERR_SERVER_REFUSE, 20s)) << badLog.describe();
  EXPECT_EQ(badLog.count(EventCode::PUSH_EVT_PUSH_BEGIN), 0);
  EXPECT_NE(a->log().find("bad txSecret"), std::string::npos);
}

TEST_F(RoomdRedis, RedisGoingAwayIsCode1NotACrash) {
  startPair();
  if (IsSkipped() || HasFatalFailure()) return;
  auto alice = loginClient(a->url(), "alice");
  ASSERT_TRUE(alice->createRoom("x", "r").ok());
  redis->kill();
  auto r = alice->getMembers("r");
  EXPECT_EQ(r.code, code::kServiceError) << r.message;
  EXPECT_EQ(r.httpStatus, 503);
  httplib::Client raw(a->url());
  auto health = raw.Get("/weapp/health");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  EXPECT_EQ(a->stop(), 0);  // a clean exit, not a crash
  EXPECT_EQ(b->stop(), 0);
}

}  // namespace
}  // namespace openlive::test
