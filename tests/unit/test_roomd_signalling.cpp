// openlive-roomd's signalling channel with the SDK's SignallingClient: the rooms.md section 4 messages, order and
// once-each delivery, resume after a dropped connection (a fault proxy cuts it), the 10 s age limit, mailbox
// overflow (reset), logout, the stream limit, and the client's bounded stop.
#include <httplib.h>

#include <atomic>

#include "faults/fault_proxy.h"
#include "roomd/mailbox_hub.h"
#include "fixtures/room_clients.h"

namespace openlive::test {
namespace {

using nlohmann::json;
using room::ChannelEvent;
namespace code = room::code;

double nowSeconds() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

json text(int i) { return {{"cmd", "CustomTextMsg"}, {"data", {{"nickName", "n"}, {"headPic", ""}, {"text", std::to_string(i)}}}}; }

class RoomdSignalling : public ::testing::Test {
 protected:
  explicit RoomdSignalling(roomd::RoomdConfig c = roomTestConfig()) : h(std::move(c)) {}
  void SetUp() override {
    alice = h.client("alice");
    bob = h.client("bob");
    ASSERT_TRUE(alice->createRoom("x", "r").ok());
    ASSERT_TRUE(alice->addMember("r", "Alice", "", alice->getPushUrl().value.pushURL).ok());
    ASSERT_TRUE(bob->addAudience("r", R"({"userName":"Bob"})").ok());
  }
  RoomdHarness h;
  std::unique_ptr<room::RoomServiceClient> alice, bob;
};

TEST_F(RoomdSignalling, RoomMessagesArriveInOrderOnceEach) {
  SignalRecorder rec;
  auto ch = rec.attach(h.url(), *bob);
  ASSERT_TRUE(rec.waitEvent(ChannelEvent::Connected));
  constexpr int kCount = 60;
  for (int i = 0; i < kCount; ++i) ASSERT_TRUE(alice->sendRoomMessage("r", text(i)).ok());
  ASSERT_TRUE(rec.waitMessages(kCount));
  auto msgs = rec.messages();
  ASSERT_EQ(msgs.size(), static_cast<size_t>(kCount));
  for (int i = 0; i < kCount; ++i) {
    EXPECT_EQ(msgs[i].kind, "group");
    EXPECT_EQ(msgs[i].from, "alice");
    EXPECT_EQ(msgs[i].roomID, "r");
    EXPECT_EQ(msgs[i].roomType, "live_room");
    EXPECT_EQ(msgs[i].msg["data"]["text"], std::to_string(i));
    if (i) {
      EXPECT_GT(msgs[i].id, msgs[i - 1].id);
    }
  }
  EXPECT_EQ(ch->duplicatesSkipped(), 0u);
  // The sender does not get its own message; a non-member cannot send.
  auto carol = h.client("carol");
  EXPECT_EQ(carol->sendRoomMessage("r", text(0)).code, code::kNotMember);
  EXPECT_EQ(alice->sendRoomMessage("r", {{"no", "cmd"}}).code, code::kMissingParam);
}

TEST_F(RoomdSignalling, LinkMicRequestResponseAndKickoutAreOneToOne) {
  SignalRecorder aliceRec, bobRec;
  auto a = aliceRec.attach(h.url(), *alice);
  auto b = bobRec.attach(h.url(), *bob);
  ASSERT_TRUE(aliceRec.waitEvent(ChannelEvent::Connected) && bobRec.waitEvent(ChannelEvent::Connected));
  json request = {{"cmd", "linkmic"},
                  {"data", {{"type", "request"}, {"roomID", "r"}, {"userID", "bob"}, {"userName", "Bob"},
                            {"userAvatar", ""}, {"reason", "let me in"}, {"timestamp", nowSeconds()}}}};
  auto sent = bob->sendC2CMessage("alice", request);
  ASSERT_TRUE(sent.ok()) << sent.message;
  EXPECT_EQ(sent.value.delivered, 1u);
  ASSERT_TRUE(aliceRec.waitCmd("linkmic"));
  auto got = aliceRec.messages().back();
  EXPECT_EQ(got.kind, "c2c");
  EXPECT_EQ(got.from, "bob");
  EXPECT_EQ(got.msg["data"]["reason"], "let me in");
  json response = {{"cmd", "linkmic"},
                   {"data", {{"type", "response"}, {"result", "accept"}, {"reason", ""}, {"timestamp", nowSeconds()}}}};
  ASSERT_TRUE(alice->sendC2CMessage("bob", response).ok());
  json kickout = {{"cmd", "linkmic"}, {"data", {{"type", "kickout"}, {"roomID", "r"}, {"timestamp", nowSeconds()}}}};
  ASSERT_TRUE(alice->sendC2CMessage("bob", kickout).ok());
  ASSERT_TRUE(bobRec.waitMessages(2));
  auto bobs = bobRec.messages();
  EXPECT_EQ(bobs[bobs.size() - 2].msg["data"]["type"], "response");
  EXPECT_EQ(bobs.back().msg["data"]["type"], "kickout");
  EXPECT_EQ(alice->sendC2CMessage("nobody", request).code, code::kNotMember);  // not logged in
}

TEST_F(RoomdSignalling, MembershipEventsReachTheAnchors) {
  SignalRecorder aliceRec, bobRec;
  auto a = aliceRec.attach(h.url(), *alice);
  auto b = bobRec.attach(h.url(), *bob);
  ASSERT_TRUE(aliceRec.waitEvent(ChannelEvent::Connected) && bobRec.waitEvent(ChannelEvent::Connected));
  auto carol = h.client("carol");
  ASSERT_TRUE(carol->addAudience("r", R"({"userName":"Carol"})").ok());
  ASSERT_TRUE(aliceRec.waitCmd("audienceEnter"));
  ASSERT_TRUE(carol->deleteAudience("r").ok());
  ASSERT_TRUE(aliceRec.waitCmd("audienceExit"));
  auto dave = h.client("dave");
  ASSERT_TRUE(dave->addMember("r", "Dave", "", dave->getPushUrl().value.pushURL).ok());
  ASSERT_TRUE(aliceRec.waitCmd("notifyPusherChange"));
  ASSERT_TRUE(alice->destroyRoom("r").ok());
  ASSERT_TRUE(bobRec.waitCmd("roomDestroyed"));
  std::vector<std::string> entered;
  for (const auto& m : aliceRec.messages()) {
    EXPECT_EQ(m.kind, "system");
    if (m.cmd == "audienceEnter") entered.push_back(m.msg["data"]["userID"]);
  }
  EXPECT_EQ(entered, (std::vector<std::string>{"bob", "carol"}));  // bob joined in SetUp, after alice's login
  for (const auto& m : bobRec.messages()) EXPECT_NE(m.cmd, "notifyPusherChange");  // audience: not for them
}

TEST_F(RoomdSignalling, ReconnectAfterACutLosesNothing) {
  FaultProxy proxy("127.0.0.1", h.server().port());
  SignalRecorder rec;
  auto ch = rec.attach("http://127.0.0.1:" + std::to_string(proxy.port()), *bob);
  ASSERT_TRUE(rec.waitEvent(ChannelEvent::Connected));
  int sent = 0;
  for (int round = 0; round < 5; ++round) {
    for (int i = 0; i < 5; ++i) ASSERT_TRUE(alice->sendRoomMessage("r", text(sent++)).ok());
    proxy.cutAll();  // the stream drops; messages keep coming while it is down
    for (int i = 0; i < 5; ++i) ASSERT_TRUE(alice->sendRoomMessage("r", text(sent++)).ok());
    ASSERT_TRUE(rec.waitEvent(ChannelEvent::Connected, round + 2, 10s));
  }
  ASSERT_TRUE(rec.waitMessages(static_cast<size_t>(sent), 10s));
  auto msgs = rec.messages();
  ASSERT_EQ(msgs.size(), static_cast<size_t>(sent));
  for (int i = 0; i < sent; ++i) EXPECT_EQ(msgs[i].msg["data"]["text"], std::to_string(i)) << i;
  EXPECT_GE(rec.events(ChannelEvent::Disconnected), 5);
}

TEST_F(RoomdSignalling, ResumeFromLastEventIdAfterTheClientWasGone) {
  uint64_t last = 0;
  {
    SignalRecorder rec;
    auto ch = rec.attach(h.url(), *bob);
    ASSERT_TRUE(rec.waitEvent(ChannelEvent::Connected));
    ASSERT_TRUE(alice->sendRoomMessage("r", text(0)).ok());
    ASSERT_TRUE(rec.waitMessages(1));
    last = ch->lastEventId();
    ch->stop();
  }
  for (int i = 1; i <= 3; ++i) ASSERT_TRUE(alice->sendRoomMessage("r", text(i)).ok());
  SignalRecorder rec;
  auto ch = rec.attach(h.url(), *bob, last);
  ASSERT_TRUE(rec.waitMessages(3));
  auto msgs = rec.messages();
  ASSERT_EQ(msgs.size(), 3u);
  EXPECT_EQ(msgs[0].msg["data"]["text"], "1");
  EXPECT_EQ(msgs[2].msg["data"]["text"], "3");
}

TEST_F(RoomdSignalling, StaleTimestampsAreDropped) {
  SignalRecorder rec;
  auto ch = rec.attach(h.url(), *alice);
  ASSERT_TRUE(rec.waitEvent(ChannelEvent::Connected));
  json old = {{"cmd", "linkmic"}, {"data", {{"type", "request"}, {"timestamp", nowSeconds() - 11}}}};
  auto r = bob->sendC2CMessage("alice", old);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r.value.dropped);
  json future = {{"cmd", "linkmic"}, {"data", {{"type", "request"}, {"timestamp", nowSeconds() + 11}}}};
  EXPECT_TRUE(bob->sendC2CMessage("alice", future).value.dropped);
  json fresh = {{"cmd", "linkmic"}, {"data", {{"type", "request"}, {"timestamp", nowSeconds() - 8}}}};
  r = bob->sendC2CMessage("alice", fresh);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r.value.dropped);
  ASSERT_TRUE(rec.waitCmd("linkmic"));
  json marker = {{"cmd", "marker"}};
  ASSERT_TRUE(bob->sendC2CMessage("alice", marker).ok());
  ASSERT_TRUE(rec.waitCmd("marker"));
  std::vector<room::SignalMessage> msgs;
  for (const auto& m : rec.messages())
    if (m.kind == "c2c") msgs.push_back(m);
  ASSERT_EQ(msgs.size(), 2u);  // the 8 s old request and the marker; neither 11 s one
  EXPECT_DOUBLE_EQ(msgs[0].msg["data"]["timestamp"].get<double>(), fresh["data"]["timestamp"].get<double>());
}

class RoomdSignallingShortAge : public RoomdSignalling {
 protected:
  static roomd::RoomdConfig config() {
    auto c = roomTestConfig();
    c.messageMaxAge = 600ms;
    return c;
  }
  RoomdSignallingShortAge() : RoomdSignalling(config()) {}
};

TEST_F(RoomdSignallingShortAge, AMessageThatAgesPastTheLimitWhileTheClientIsAwayIsNotReplayed) {
  uint64_t last = 0;
  {
    SignalRecorder rec;
    auto ch = rec.attach(h.url(), *alice);
    ASSERT_TRUE(rec.waitEvent(ChannelEvent::Connected));
    ASSERT_TRUE(bob->sendC2CMessage("alice", {{"cmd", "first"}}).ok());
    ASSERT_TRUE(rec.waitCmd("first"));
    last = ch->lastEventId();
  }
  ASSERT_TRUE(bob->sendC2CMessage("alice", {{"cmd", "linkmic"}, {"data", {{"timestamp", nowSeconds()}}}}).ok());
  ASSERT_TRUE(bob->sendC2CMessage("alice", {{"cmd", "untimed"}}).ok());
  std::this_thread::sleep_for(900ms);  // the client stays away longer than the max age (the point of the test)
  SignalRecorder rec;
  auto ch = rec.attach(h.url(), *alice, last);
  ASSERT_TRUE(rec.waitCmd("untimed"));
  for (const auto& m : rec.messages()) EXPECT_NE(m.cmd, "linkmic");
}

class RoomdSignallingSmallMailbox : public RoomdSignalling {
 protected:
  static roomd::RoomdConfig config() {
    auto c = roomTestConfig();
    c.mailboxCapacity = 4;
    return c;
  }
  RoomdSignallingSmallMailbox() : RoomdSignalling(config()) {}
};

TEST_F(RoomdSignallingSmallMailbox, OverflowWhileAwayIsReportedAsReset) {
  uint64_t last = 0;
  {
    SignalRecorder rec;
    auto ch = rec.attach(h.url(), *bob);
    ASSERT_TRUE(rec.waitEvent(ChannelEvent::Connected));
    ASSERT_TRUE(alice->sendRoomMessage("r", text(0)).ok());
    ASSERT_TRUE(rec.waitMessages(1));
    last = ch->lastEventId();
  }
  for (int i = 1; i <= 10; ++i) ASSERT_TRUE(alice->sendRoomMessage("r", text(i)).ok());
  SignalRecorder rec;
  auto ch = rec.attach(h.url(), *bob, last);
  ASSERT_TRUE(rec.waitEvent(ChannelEvent::Reset));
  ASSERT_TRUE(rec.waitMessages(4));
  auto msgs = rec.messages();
  EXPECT_EQ(msgs.front().msg["data"]["text"], "7");  // the newest 4 were kept (drop-oldest)
  EXPECT_EQ(msgs.back().msg["data"]["text"], "10");
  EXPECT_EQ(h.server().hub().dropped(), 7u);
}

TEST_F(RoomdSignalling, LogoutEndsTheStreamAndItsReconnects) {
  SignalRecorder rec;
  auto ch = rec.attach(h.url(), *bob);
  ASSERT_TRUE(rec.waitEvent(ChannelEvent::Connected));
  ASSERT_TRUE(bob->logout().ok());
  ASSERT_TRUE(rec.waitEvent(ChannelEvent::AuthFailed));
  httplib::Client raw(h.url());
  auto res = raw.Get("/weapp/signal/stream?userID=bob&token=0123");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 401);
  EXPECT_EQ(json::parse(res->body)["code"], code::kBadToken);
}

class RoomdSignallingOneStream : public RoomdSignalling {
 protected:
  static roomd::RoomdConfig config() {
    auto c = roomTestConfig();
    c.maxStreams = 1;
    return c;
  }
  RoomdSignallingOneStream() : RoomdSignalling(config()) {}
};

TEST_F(RoomdSignallingOneStream, StreamsBeyondTheLimitAre503) {
  SignalRecorder rec;
  auto ch = rec.attach(h.url(), *bob);
  ASSERT_TRUE(rec.waitEvent(ChannelEvent::Connected));
  httplib::Client raw(h.url());
  auto res = raw.Get(httplib::append_query_params("/weapp/signal/stream",
                                                  {{"userID", "alice"}, {"token", alice->token()}}));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 503);
  EXPECT_EQ(json::parse(res->body)["code"], code::kServiceError);
}

TEST_F(RoomdSignalling, StopFromInsideACallbackAndAfterwardsNothingRuns) {
  std::atomic<int> calls{0};
  std::unique_ptr<room::SignallingClient> ch;
  std::mutex mu;
  std::condition_variable cv;
  bool stopped = false;
  room::SignallingClient::Options o{h.url(), "bob", bob->token()};
  ch = std::make_unique<room::SignallingClient>(o, [&](const room::SignalMessage&) {
    ++calls;
    ch->stop();  // from the callback thread: must not deadlock
    std::lock_guard lk(mu);
    stopped = true;
    cv.notify_all();
  });
  ch->start();
  ASSERT_TRUE(waitUntil([&] { return h.server().hub().openStreams() == 1; }, 5s));
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(alice->sendRoomMessage("r", text(i)).ok());
  std::unique_lock lk(mu);
  ASSERT_TRUE(cv.wait_for(lk, 5s, [&] { return stopped; }));
  lk.unlock();
  ch.reset();
  EXPECT_EQ(calls.load(), 1);
}

}  // namespace
}  // namespace openlive::test
