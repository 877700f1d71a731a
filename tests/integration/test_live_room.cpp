// LiveRoom (include/openlive/live_room.h) against a real stack: nginx-rtmp whose publish/play callbacks go to the
// openlive-roomd program, which hands out the signed URLs. Each flow of rooms.md section 6 through the public API:
// create, audience, join requests (accept, reject, timeout, room full), links whose pictures the anchor decodes in
// RTC mode, kickout, quit, text and custom messages once each in order, destroy; and the same with two roomd
// instances sharing one redis-server.
#include <algorithm>
#include <cstdio>
#include <mutex>
#include <string>
#include <vector>

#include "fixtures/require.h"
#include "fixtures/room_stack.h"
#include "fixtures/timing.h"
#include "live_room_probe.h"

namespace openlive::test {
namespace {

class LiveRoomFlows : public ::testing::TestWithParam<bool> {  // param: two roomd + redis
 protected:
  void SetUp() override {
    OPENLIVE_NEED(stack.start({}, GetParam()), stack.why);
  }
  // Logs in `user` on instance `i` (alternating when there are two).
  std::unique_ptr<RoomProbe> member(const std::string& user, int i) {
    auto p = std::make_unique<RoomProbe>(user);
    Result r = p->login(stack.url(i));
    EXPECT_TRUE(r) << user << ": " << r.message;
    return p;
  }
  // An anchor with a room, and its id.
  std::string openRoom(RoomProbe& anchor) {
    auto [r, id] = anchor.create("");
    EXPECT_TRUE(r) << r.message << "\n" << stack.logs();
    EXPECT_FALSE(id.empty());
    return id;
  }
  RoomStack stack;
};

TEST_P(LiveRoomFlows, ThreeCoAnchorsLinkAndTheAnchorDecodesEachTheFourthIsFull) {
  auto anchor = member("anchor", 0);
  anchor->autoAnswer(+1);
  const std::string id = openRoom(*anchor);
  ASSERT_FALSE(id.empty());
  EXPECT_EQ(anchor->room().roomID(), id);
  EXPECT_TRUE(anchor->room().isAnchor());
  std::vector<std::unique_ptr<RoomProbe>> co;
  for (int i = 1; i <= 3; ++i) {
    co.push_back(member("co" + std::to_string(i), i));
    RoomProbe& c = *co.back();
    ASSERT_TRUE(c.enter(id)) << c.describe();
    ASSERT_TRUE(anchor->waitLine("audienceEnter " + c.user() + " name-" + c.user())) << anchor->describe();
    auto [outcome, why] = c.requestJoin();
    ASSERT_EQ(outcome, JoinAnchorOutcome::Accepted) << why << "\n" << c.describe();
    EXPECT_EQ(anchor->count("request " + c.user() + " let me in"), 1);
    Result j = c.joinAnchor();
    ASSERT_TRUE(j) << j.message << "\n" << c.describe();
    EXPECT_TRUE(c.room().isAnchor());
    ASSERT_TRUE(anchor->waitLine("anchorEnter " + c.user())) << anchor->describe();
    ASSERT_TRUE(c.waitLine("anchorEnter anchor")) << c.describe();  // the co-anchor sees the anchor (and others)
    Result v = anchor->view(c.user());
    ASSERT_TRUE(v) << v.message;
    EXPECT_TRUE(anchor->waitFrames(c.user(), 10)) << c.user() << "'s picture not decoded by the anchor";
  }
  EXPECT_EQ(anchor->room().anchors().size(), 3u);
  // A fourth audience member is accepted by the anchor but the room holds 1 + 3: the service answers 5001.
  auto fourth = member("co4", 4);
  ASSERT_TRUE(fourth->enter(id));
  ASSERT_EQ(fourth->requestJoin().first, JoinAnchorOutcome::Accepted);
  Result full = fourth->joinAnchor();
  EXPECT_EQ(full.code, ResultCode::Refused) << full.message;
  EXPECT_EQ(full.event, EventCode::ROOM_ERR_ROOM_FULL) << full.message;
  EXPECT_FALSE(fourth->room().isAnchor());
  // The co-anchors see each other too, and one that quits is gone for everyone.
  EXPECT_TRUE(co[0]->waitLine("anchorEnter co3")) << co[0]->describe();
  ASSERT_TRUE(co[1]->quitJoinAnchor());
  EXPECT_TRUE(anchor->waitLine("anchorExit co2")) << anchor->describe();
  EXPECT_TRUE(co[0]->waitLine("anchorExit co2")) << co[0]->describe();
  EXPECT_FALSE(co[1]->room().isAnchor());
}

TEST_P(LiveRoomFlows, JoinRequestsRejectedOrUnansweredEndAsSuch) {
  auto anchor = member("anchor", 0);
  const std::string id = openRoom(*anchor);
  ASSERT_FALSE(id.empty());
  auto bob = member("bob", 1);
  ASSERT_TRUE(bob->enter(id));
  const auto t0 = std::chrono::steady_clock::now();
  auto [late, lateWhy] = bob->requestJoin(1500ms);  // nobody answers
  EXPECT_EQ(late, JoinAnchorOutcome::TimedOut) << lateWhy;
  EXPECT_GE(std::chrono::steady_clock::now() - t0, 1500ms);
  EXPECT_TRUE(anchor->waitLine("request bob let me in"));
  anchor->autoAnswer(-1);
  auto [no, why] = bob->requestJoin();
  EXPECT_EQ(no, JoinAnchorOutcome::Rejected);
  EXPECT_EQ(why, "busy");
  // A request still pending when the member leaves completes as canceled.
  anchor->autoAnswer(0);
  auto pr = std::make_shared<std::promise<JoinAnchorOutcome>>();
  bob->room().requestJoinAnchor("x", 20s, [pr](JoinAnchorOutcome o, const std::string&) { pr->set_value(o); });
  ASSERT_TRUE(anchor->waitLine("request bob x"));
  ASSERT_TRUE(bob->exit());
  auto f = pr->get_future();
  ASSERT_EQ(f.wait_for(5s), std::future_status::ready);
  EXPECT_EQ(f.get(), JoinAnchorOutcome::Canceled);
}

// Also: the main anchor pushes the link-mic main quality while bob is linked and its own after (seen by an
// audience member as the size of the room's stream).
TEST_P(LiveRoomFlows, KickoutEndsTheLinkAndTheAnchorsAreTold) {
  auto anchor = member("anchor", 0);
  anchor->autoAnswer(+1);
  const std::string id = openRoom(*anchor);
  ASSERT_FALSE(id.empty());
  auto carol = member("carol", 0);
  std::mutex mu;
  std::vector<std::string> sizes;  // each new size of the room's stream, in order
  RemoteView v;
  v.onVideoFrame = [&](const VideoFrame& f) {
    std::lock_guard lk(mu);
    const std::string s = std::to_string(f.width) + "x" + std::to_string(f.height);
    if (sizes.empty() || sizes.back() != s) sizes.push_back(s);
  };
  auto seen = [&](const std::vector<std::string>& want) {
    return waitUntil([&] {
      std::lock_guard lk(mu);
      return sizes == want;
    }, scaled(20s));
  };
  auto seenText = [&] {
    std::lock_guard lk(mu);
    std::string s;
    for (const auto& x : sizes) s += x + " ";
    return s;
  };
  ASSERT_TRUE(carol->enter(id, v));
  ASSERT_TRUE(seen({"320x240"})) << seenText();
  auto bob = member("bob", 1);
  ASSERT_TRUE(bob->enter(id));
  ASSERT_EQ(bob->requestJoin().first, JoinAnchorOutcome::Accepted);
  ASSERT_TRUE(bob->joinAnchor());
  ASSERT_TRUE(anchor->waitLine("anchorEnter bob"));
  EXPECT_TRUE(seen({"320x240", "480x272"})) << "linked: " << seenText();
  anchor->room().kickoutJoinAnchor("bob");
  EXPECT_TRUE(bob->waitLine("kickout")) << bob->describe();
  EXPECT_TRUE(anchor->waitLine("anchorExit bob")) << anchor->describe();
  EXPECT_FALSE(bob->room().isAnchor());
  EXPECT_TRUE(anchor->room().anchors().empty());
  // Back in the audience: the anchor hears of it.
  EXPECT_TRUE(anchor->waitLine("audienceEnter bob name-bob", 15s, 2)) << anchor->describe();
  EXPECT_TRUE(seen({"320x240", "480x272", "320x240"})) << "after the link: " << seenText();
}

TEST_P(LiveRoomFlows, MessagesArriveOnceInOrderAndTheAudienceSeesTheAnchor) {
  auto anchor = member("anchor", 0);
  const std::string id = openRoom(*anchor);
  ASSERT_FALSE(id.empty());
  auto bob = member("bob", 1);
  std::atomic<int> frames{0};
  RemoteView v;
  v.onVideoFrame = [&](const VideoFrame&) { ++frames; };
  ASSERT_TRUE(bob->enter(id, v));
  ASSERT_TRUE(anchor->waitLine("audienceEnter bob name-bob"));
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(anchor->sendText("m" + std::to_string(i)));
  ASSERT_TRUE(anchor->sendCustom("like", "3"));
  ASSERT_TRUE(bob->sendText("hello"));
  ASSERT_TRUE(bob->waitLine("custom anchor like 3")) << bob->describe();
  auto texts = bob->lines("text ");
  ASSERT_EQ(texts.size(), 20u) << bob->describe();
  for (int i = 0; i < 20; ++i) EXPECT_EQ(texts[i], "text anchor m" + std::to_string(i));
  ASSERT_TRUE(anchor->waitLine("text bob hello"));
  EXPECT_EQ(anchor->lines("text ").size(), 1u);  // not its own messages
  // The audience plays the room's stream (the anchor's picture until a mixer composes one).
  EXPECT_TRUE(waitUntil([&] { return frames.load() >= 10; }, 20s)) << frames.load() << " frames";
  // Custom fields.
  auto pr = std::make_shared<std::promise<Result>>();
  anchor->room().setCustomInfo("likes", "inc", "2", [pr](const Result& r) { pr->set_value(r); });
  ASSERT_TRUE(pr->get_future().get());
  auto got = std::make_shared<std::promise<std::string>>();
  bob->room().getCustomInfo([got](const Result&, const std::string& j) { got->set_value(j); });
  EXPECT_NE(got->get_future().get().find("\"likes\":2"), std::string::npos);
  // The anchor leaves: the room is destroyed and the audience told.
  ASSERT_TRUE(anchor->exit());
  EXPECT_TRUE(bob->waitLine("destroyed " + id)) << bob->describe();
  EXPECT_TRUE(bob->room().roomID().empty());
}

INSTANTIATE_TEST_SUITE_P(Stores, LiveRoomFlows, ::testing::Values(false, true),
                         [](const auto& info) { return info.param ? "TwoRoomdWithRedis" : "OneRoomd"; });

TEST(LiveRoomErrors, CallsOutOfPlaceAndABadServiceAreReportedNotHung) {
  RoomProbe p("alice");
  auto [r, id] = p.create("");
  EXPECT_EQ(r.code, ResultCode::NotLoggedIn);
  EXPECT_EQ(p.enter("x").code, ResultCode::NotLoggedIn);
  EXPECT_EQ(p.requestJoin(1s).first, JoinAnchorOutcome::Failed);
  // Nothing listens on this port: a clear failure within the request timeout.
  const int port = pickFreeLoopbackPorts(1).at(0);
  Result login = p.login("http://127.0.0.1:" + std::to_string(port));
  EXPECT_FALSE(login);
  EXPECT_EQ(login.event, EventCode::ROOM_ERR_REQUEST_TIMEOUT) << login.message;
  Result bad = p.login("");
  EXPECT_EQ(bad.code, ResultCode::InvalidArgument);
}

TEST(LiveRoomErrors, AWrongUserSigIsALoginFailure) {
  RoomdHarness h;
  ASSERT_TRUE(h.started());
  LiveRoom room;
  RoomLoginParams p{h.url(), kRoomAppId, "alice", testUserSig("mallory"), "", "", 5000ms};
  auto pr = std::make_shared<std::promise<Result>>();
  room.login(p, [pr](const Result& r) { pr->set_value(r); });
  Result r = pr->get_future().get();
  EXPECT_EQ(r.code, ResultCode::NotLoggedIn) << r.message;
  EXPECT_EQ(r.event, EventCode::ROOM_ERR_LOGIN_FAIL) << r.message;
}

}  // namespace
}  // namespace openlive::test

namespace openlive::test {
namespace {

// Join-to-first-remote-frame (issue 13's benchmark): an accepted audience member calls joinAnchor(); timed from
// that call to (a) its completion (the link-mic push began and add_anchor answered), (b) the anchor's first
// decoded picture of the co-anchor (the anchor views each anchor that enters, in RTC mode), (c) the co-anchor's
// first decoded picture of the anchor. Five joins (quit in between), 320x240 / 240x320 at 15 fps, GOP 1 s, on
// nginx-rtmp + openlive-roomd. Printed for docs/BENCHMARKS.md; bounded by what a GOP of 1 s allows.
TEST(LiveRoomTiming, JoinToFirstRemoteFrame) {
  RoomStack s;
  OPENLIVE_NEED(s.start(), s.why);
  RoomProbe anchor("anchor"), bob("bob");
  anchor.autoAnswer(+1);
  anchor.autoView(true);
  bob.autoView(true);
  ASSERT_TRUE(anchor.login(s.url()));
  ASSERT_TRUE(bob.login(s.url()));
  auto [r, id] = anchor.create("");
  ASSERT_TRUE(r) << r.message;
  ASSERT_TRUE(bob.enter(id));
  ASSERT_EQ(bob.requestJoin().first, JoinAnchorOutcome::Accepted);
  std::vector<double> joined, anchorSees, bobSees;
  auto ms = [](auto d) { return std::chrono::duration<double, std::milli>(d).count(); };
  for (int i = 0; i < 5; ++i) {
    anchor.resetFrames("bob");
    bob.resetFrames("anchor");
    const auto t0 = std::chrono::steady_clock::now();
    Result j = bob.joinAnchor();
    ASSERT_TRUE(j) << j.message;
    joined.push_back(ms(std::chrono::steady_clock::now() - t0));
    ASSERT_TRUE(anchor.waitFrames("bob", 1, 15s)) << anchor.describe();
    ASSERT_TRUE(bob.waitFrames("anchor", 1, 15s)) << bob.describe();
    anchorSees.push_back(ms(*anchor.firstFrame("bob") - t0));
    bobSees.push_back(ms(*bob.firstFrame("anchor") - t0));
    ASSERT_TRUE(bob.quitJoinAnchor());
    ASSERT_TRUE(anchor.waitLine("anchorExit bob", 15s, i + 1));
  }
  auto p50 = [](std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
  };
  auto mx = [](const std::vector<double>& v) { return *std::max_element(v.begin(), v.end()); };
  std::printf("join-to-first-remote-frame (5 joins): joinAnchor completes p50 %.0f ms (max %.0f); anchor decodes the "
              "co-anchor p50 %.0f ms (max %.0f); co-anchor decodes the anchor p50 %.0f ms (max %.0f)\n",
              p50(joined), mx(joined), p50(anchorSees), mx(anchorSees), p50(bobSees), mx(bobSees));
  // The co-anchor's first IDR is its first frame; the anchor's next IDR is at most a GOP (1 s) away.
  EXPECT_LT(p50(anchorSees), 3000);
  EXPECT_LT(p50(bobSees), 3000);
}

}  // namespace
}  // namespace openlive::test
