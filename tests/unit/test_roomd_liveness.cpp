// openlive-roomd's media callbacks and liveness sweep (rooms.md section 3) with short intervals: a silent member
// whose stream is live is kept, one whose stream is not is removed and the others told; an emptied room goes and
// its audience is told; a room that never got an anchor is deleted; a sweep racing deletes stays consistent.
#include <httplib.h>
#include <openlive/url_signing.h>

#include <atomic>

#include "roomd/liveness.h"
#include "roomd/store.h"
#include "fixtures/room_clients.h"

namespace openlive::test {
namespace {

using nlohmann::json;
namespace code = room::code;

roomd::RoomdConfig fastSweep() {
  auto c = roomTestConfig();
  c.sweepInterval = 100ms;
  c.silenceTimeout = 600ms;
  return c;
}

TEST(RoomdMediaGate, PublishAndPlayNeedAValidSignature) {
  RoomdHarness h;
  auto alice = h.client("alice");
  auto urls = alice->getPushUrl().value;
  EXPECT_EQ(mediaCallback(h.url(), "on_publish", urls.pushURL), 200);
  EXPECT_EQ(mediaCallback(h.url(), "on_play", urls.accelerateURL), 200);
  auto parts = *parseSignedUrl(urls.pushURL);
  const std::string base = "rtmp://127.0.0.1:1935/live/" + parts.streamName;
  EXPECT_EQ(mediaCallback(h.url(), "on_publish", base), 403);                                 // missing
  EXPECT_EQ(mediaCallback(h.url(), "on_publish", base + "?txSecret=" + std::string(32, '0') +
                                                     "&txTime=" + *parts.txTime), 403);        // wrong
  const auto past = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now()) - 60s;
  auto expired = signStream(kRoomKey, parts.streamName, past).value;
  EXPECT_EQ(mediaCallback(h.url(), "on_publish", base + "?txSecret=" + expired.txSecret + "&txTime=" +
                                                     expired.txTime), 403);                    // expired
  auto other = signStream("another-key", parts.streamName, past + 3600s).value;
  EXPECT_EQ(mediaCallback(h.url(), "on_play", base + "?txSecret=" + other.txSecret + "&txTime=" + other.txTime),
            403);
  EXPECT_EQ(mediaCallback(h.url(), "on_publish_done", base), 200);
  EXPECT_EQ(mediaCallback(h.url(), "on_whatever", base), 404);
}

TEST(RoomdLiveness, SilentMemberIsKeptWhileItsStreamIsLiveAndRemovedAfter) {
  RoomdHarness h(fastSweep());
  auto alice = h.client("alice");
  auto bob = h.client("bob");
  auto carol = h.client("carol");
  SignalRecorder aliceSig, carolSig;
  auto aliceCh = aliceSig.attach(h.url(), *alice);
  auto carolCh = carolSig.attach(h.url(), *carol);
  ASSERT_TRUE(aliceSig.waitEvent(room::ChannelEvent::Connected));
  ASSERT_TRUE(carolSig.waitEvent(room::ChannelEvent::Connected));
  const auto aliceUrls = alice->getPushUrl().value;
  ASSERT_TRUE(alice->createRoom("live", "r").ok());
  ASSERT_TRUE(alice->addMember("r", "Alice", "", aliceUrls.pushURL).ok());
  ASSERT_TRUE(bob->addMember("r", "Bob", "", bob->getPushUrl().value.pushURL).ok());
  ASSERT_TRUE(carol->addAudience("r", "{}").ok());
  ASSERT_EQ(mediaCallback(h.url(), "on_publish", aliceUrls.pushURL), 200);  // alice publishes, bob does not

  // Nobody heartbeats: bob goes (stream not live), alice stays (stream live) and is told.
  ASSERT_TRUE(waitUntil([&] { return alice->getMembers("r").value.room.pushers.size() == 1; }, 10s));
  EXPECT_EQ(alice->getMembers("r").value.room.pushers.at(0).userID, "alice");
  EXPECT_TRUE(aliceSig.waitCmd("notifyPusherChange"));
  ASSERT_TRUE(waitUntil([&] { return h.server().sweeper().counts().kept >= 2; }, 10s));  // kept, sweep after sweep
  EXPECT_TRUE(alice->getMembers("r").ok());

  // Alice's stream ends: she goes too, the room is deleted and its audience told.
  ASSERT_EQ(mediaCallback(h.url(), "on_publish_done", aliceUrls.pushURL), 200);
  ASSERT_TRUE(carolSig.waitCmd("roomDestroyed", 10s));
  EXPECT_EQ(alice->getMembers("r").code, code::kNotCreator);
  EXPECT_EQ(h.server().sweeper().counts().removed, 2u);
  for (const auto& m : carolSig.messages())
    if (m.cmd == "roomDestroyed") {
      EXPECT_EQ(m.msg["data"]["reason"], "empty");
    }
}

TEST(RoomdLiveness, HeartbeatsKeepAMemberWithoutAStream) {
  auto config = fastSweep();
  config.silenceTimeout = 1500ms;
  RoomdHarness h(config);
  auto alice = h.client("alice");
  ASSERT_TRUE(alice->createRoom("x", "r").ok());
  ASSERT_TRUE(alice->addMember("r", "Alice", "", alice->getPushUrl().value.pushURL).ok());
  auto status = alice->heartbeat("r", std::nullopt).value.roomStatusCode;
  // Heartbeat well inside the silence timeout while several sweeps run; she must stay.
  const auto until = std::chrono::steady_clock::now() + 2500ms;
  while (std::chrono::steady_clock::now() < until) {
    auto hb = alice->heartbeat("r", status);
    ASSERT_TRUE(hb.ok()) << hb.code << " " << hb.message;
    std::this_thread::sleep_for(100ms);  // the client's heartbeat period, not a synchronisation
  }
  EXPECT_EQ(h.server().sweeper().counts().removed, 0u);
  // Then silence: removed.
  ASSERT_TRUE(waitUntil([&] { return alice->getMembers("r").code == code::kNotCreator; }, 10s));
  // The sweeper counts a removal just after the store has it: the count may trail the answer by a moment.
  EXPECT_TRUE(waitUntil([&] { return h.server().sweeper().counts().removed == 1u; }, 5s));
  EXPECT_EQ(h.server().sweeper().counts().removed, 1u);
}

TEST(RoomdLiveness, RoomThatNeverGotAnAnchorIsDeleted) {
  RoomdHarness h(fastSweep());
  auto alice = h.client("alice");
  ASSERT_TRUE(alice->createRoom("x", "lonely").ok());
  EXPECT_TRUE(alice->getMembers("lonely").ok());
  ASSERT_TRUE(waitUntil([&] { return alice->getMembers("lonely").code == code::kNotCreator; }, 10s));
  // Counted just after the store has destroyed it (2026-12-03 under ASan: read as 0 once).
  EXPECT_TRUE(waitUntil([&] { return h.server().sweeper().counts().roomsRemoved == 1u; }, 5s));
  EXPECT_EQ(h.server().sweeper().counts().roomsRemoved, 1u);
}

TEST(RoomdLiveness, SweepRacingDeletesStaysConsistent) {
  auto config = roomTestConfig();
  config.sweepInterval = 1h;  // sweeps are driven by hand below
  config.silenceTimeout = 1ms;
  RoomdHarness h(config);
  std::vector<std::unique_ptr<room::RoomServiceClient>> users;
  for (int i = 0; i < 4; ++i) users.push_back(h.client("u" + std::to_string(i), room::RoomType::Multi));
  for (int round = 0; round < 20; ++round) {
    const std::string id = "race" + std::to_string(round);
    ASSERT_TRUE(users[0]->createRoom("x", id).ok());
    for (auto& u : users) ASSERT_TRUE(u->addMember(id, "n", "", u->getPushUrl().value.pushURL).ok());
    std::atomic<bool> go{false};
    std::thread sweeper([&] {
      while (!go) std::this_thread::yield();
      h.server().sweeper().sweepOnce();
    });
    go = true;
    for (auto& u : users) {
      auto r = u->deleteMember(id);  // racing the sweep: either may remove a member first
      EXPECT_TRUE(r.code == code::kOk || r.code == code::kNotMember || r.code == code::kNotCreator) << r.code;
    }
    sweeper.join();
    h.server().sweeper().sweepOnce();
    EXPECT_FALSE(h.server().store().getRoom(roomd::RoomKind::Multi, id).has_value()) << id;
  }
  EXPECT_LE(h.server().sweeper().counts().removed, 80u);  // each member removed once at most
}

}  // namespace
}  // namespace openlive::test
