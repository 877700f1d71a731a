// openlive-roomd's HTTP API, end to end over loopback through the SDK's RoomServiceClient: login/logout, every
// endpoint's errors and limits (7 bad token, 3 not creator / no room, 5 not member, 11 room exists / roomInfo,
// 5001 full, 2 malformed / missing / oversized), the etag heartbeat, signed URLs.
#include <httplib.h>
#include <openlive/url_signing.h>

#include "fixtures/room_clients.h"
#include "room/mix_layouts.h"
#include "roomd/log.h"

namespace openlive::test {
namespace {

using nlohmann::json;
using room::RoomType;
namespace code = room::code;

class RoomdApi : public ::testing::Test {
 protected:
  RoomdHarness h;
  std::string pushUrlOf(room::RoomServiceClient& c) {
    auto u = c.getPushUrl();
    EXPECT_TRUE(u.ok()) << u.message;
    return u.value.pushURL;
  }
  // Creates room `id` as `creator` and adds it as the first anchor.
  void openRoom(room::RoomServiceClient& creator, const std::string& id) {
    ASSERT_TRUE(creator.createRoom("info of " + id, id).ok());
    auto a = creator.addMember(id, creator.userID() + "-name", "", pushUrlOf(creator));
    ASSERT_TRUE(a.ok()) << a.code << " " << a.message;
  }
};

TEST_F(RoomdApi, LoginChecksTheUserSigAndLogoutEndsTheToken) {
  room::RoomServiceClient c({h.url(), RoomType::Live});
  EXPECT_EQ(c.login(kRoomAppId, "alice", "not-a-usersig").code, code::kBadToken);
  EXPECT_EQ(c.login(kRoomAppId + 1, "alice", testUserSig("alice")).code, code::kBadToken);
  EXPECT_EQ(c.login(kRoomAppId, "bob", testUserSig("alice")).code, code::kBadToken);  // another user's sig
  const auto longAgo = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now()) - 7200s;
  EXPECT_EQ(c.login(kRoomAppId, "alice", testUserSig("alice", 60s, longAgo)).code, code::kBadToken);  // expired
  EXPECT_EQ(c.login(kRoomAppId, "", testUserSig("alice")).code, code::kMissingParam);
  EXPECT_EQ(c.getPushUrl().code, code::kNotLoggedIn);

  auto l = c.login(kRoomAppId, "alice", testUserSig("alice"));
  ASSERT_TRUE(l.ok()) << l.message;
  EXPECT_EQ(l.value.userID, "alice");
  EXPECT_EQ(l.value.token.size(), 32u);
  EXPECT_NEAR(static_cast<double>(l.value.serverTimeMs),
              static_cast<double>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                      std::chrono::system_clock::now().time_since_epoch())
                                      .count()),
              5000.0);
  EXPECT_TRUE(c.getPushUrl().ok());
  const std::string oldToken = c.token();
  ASSERT_TRUE(c.logout().ok());
  c.setSession("alice", oldToken);
  EXPECT_EQ(c.getPushUrl().code, code::kBadToken);
  EXPECT_EQ(c.logout().code, code::kBadToken);
}

TEST_F(RoomdApi, EveryEndpointRefusesABadToken) {
  auto alice = h.client("alice");
  const std::string good = alice->token();
  alice->setSession("alice", std::string(32, '0'));
  EXPECT_EQ(alice->getPushUrl().code, code::kBadToken);
  EXPECT_EQ(alice->getRoomList(0, 10).code, code::kBadToken);
  EXPECT_EQ(alice->createRoom("x", "r").code, code::kBadToken);
  EXPECT_EQ(alice->destroyRoom("r").code, code::kBadToken);
  EXPECT_EQ(alice->addMember("r", "n", "", "rtmp://127.0.0.1:1935/live/s").code, code::kBadToken);
  EXPECT_EQ(alice->deleteMember("r").code, code::kBadToken);
  EXPECT_EQ(alice->getMembers("r").code, code::kBadToken);
  EXPECT_EQ(alice->heartbeat("r", std::nullopt).code, code::kBadToken);
  EXPECT_EQ(alice->mergeStream("r", json::object()).code, code::kBadToken);
  EXPECT_EQ(alice->setCustomField("r", "f", "set", 1).code, code::kBadToken);
  EXPECT_EQ(alice->getCustomInfo("r").code, code::kBadToken);
  EXPECT_EQ(alice->addAudience("r", "{}").code, code::kBadToken);
  EXPECT_EQ(alice->deleteAudience("r").code, code::kBadToken);
  EXPECT_EQ(alice->getAudiences("r").code, code::kBadToken);
  EXPECT_EQ(alice->sendRoomMessage("r", {{"cmd", "x"}}).code, code::kBadToken);
  EXPECT_EQ(alice->sendC2CMessage("bob", {{"cmd", "x"}}).code, code::kBadToken);
  alice->setSession("bob", good);  // a real token, but not bob's
  EXPECT_EQ(alice->getRoomList(0, 10).code, code::kBadToken);
  alice->setSession("alice", good);
  EXPECT_TRUE(alice->getRoomList(0, 10).ok());
}

TEST_F(RoomdApi, ABodyNamingAnotherUserIsRefused) {
  auto alice = h.client("alice");
  auto r = alice->call("get_anchor_url", R"({"userID":"bob"})");
  EXPECT_EQ(r.code, code::kBadToken);
  r = alice->call("create_room", R"({"userID":"bob","roomInfo":"x"})");
  EXPECT_EQ(r.code, code::kBadToken);
}

TEST_F(RoomdApi, PushAndAccelerateUrlsAreSignedWithTheAppKey) {
  auto alice = h.client("alice");
  auto u = alice->getPushUrl();
  ASSERT_TRUE(u.ok());
  const auto now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  auto push = verifySignedUrl(u.value.pushURL, kRoomKey, now);
  EXPECT_TRUE(push.ok()) << toString(push.error);
  EXPECT_EQ(push.value.parts.host, "127.0.0.1");
  EXPECT_EQ(push.value.parts.app, "live");
  EXPECT_GT(push.value.expiry, now + 23h);
  auto acc = verifySignedUrl(u.value.accelerateURL, kRoomKey, now);
  EXPECT_TRUE(acc.ok()) << toString(acc.error);
  EXPECT_EQ(acc.value.parts.streamName, push.value.parts.streamName);
  EXPECT_TRUE(acc.value.parts.bizid.has_value());
  EXPECT_FALSE(verifySignedUrl(u.value.pushURL, "another-key", now).ok());
  auto bob = h.client("bob");  // another user, another stream
  EXPECT_NE(parseSignedUrl(bob->getPushUrl().value.pushURL)->streamName, push.value.parts.streamName);
}

TEST_F(RoomdApi, CreateRoomLimitsAndIds) {
  auto alice = h.client("alice");
  auto r = alice->createRoom("first", "room-1");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value, "room-1");
  EXPECT_EQ(alice->createRoom("again", "room-1").code, code::kRoomExists);
  EXPECT_EQ(alice->createRoom(std::string(1025, 'i'), "room-2").code, code::kRoomExists);
  EXPECT_TRUE(alice->createRoom(std::string(1024, 'i'), "room-2").ok());
  auto random1 = alice->createRoom("random");
  auto random2 = alice->createRoom("random");
  ASSERT_TRUE(random1.ok() && random2.ok());
  EXPECT_NE(random1.value, random2.value);
  // The same id in another product is another room.
  auto multi = h.client("alice", RoomType::Multi);
  EXPECT_TRUE(multi->createRoom("rtc", "room-1").ok());
}

TEST_F(RoomdApi, OnlyTheCreatorDestroysAndUnknownRoomsAre3) {
  auto alice = h.client("alice");
  auto bob = h.client("bob");
  openRoom(*alice, "r");
  EXPECT_EQ(bob->destroyRoom("r").code, code::kNotCreator);
  EXPECT_EQ(bob->destroyRoom("nope").code, code::kNotCreator);
  EXPECT_TRUE(alice->destroyRoom("r").ok());
  EXPECT_EQ(alice->getMembers("r").code, code::kNotCreator);
  EXPECT_EQ(alice->addMember("nope", "n", "", pushUrlOf(*alice)).code, code::kNotCreator);
  EXPECT_EQ(alice->heartbeat("nope", std::nullopt).code, code::kNotCreator);
  EXPECT_EQ(alice->getCustomInfo("nope").code, code::kNotCreator);
  EXPECT_EQ(alice->getAudiences("nope").code, code::kNotCreator);
  EXPECT_EQ(alice->addAudience("nope", "{}").code, code::kNotCreator);
  EXPECT_EQ(alice->sendRoomMessage("nope", {{"cmd", "x"}}).code, code::kNotCreator);
  EXPECT_EQ(alice->deleteMember("nope").code, code::kNotCreator);
}

TEST_F(RoomdApi, AddAnchorFillsTheRoomThen5001) {
  struct Case {
    RoomType type;
    size_t capacity;
  };
  for (const Case& k : {Case{RoomType::Live, 4}, Case{RoomType::Double, 2}, Case{RoomType::Multi, 4}}) {
    std::vector<std::unique_ptr<room::RoomServiceClient>> users;
    for (size_t i = 0; i <= k.capacity; ++i) users.push_back(h.client("u" + std::to_string(i), k.type));
    ASSERT_TRUE(users[0]->createRoom("cap", "cap").ok());
    for (size_t i = 0; i < k.capacity; ++i)
      EXPECT_TRUE(users[i]->addMember("cap", "n", "", pushUrlOf(*users[i])).ok()) << i;
    auto over = users[k.capacity]->addMember("cap", "n", "", pushUrlOf(*users[k.capacity]));
    EXPECT_EQ(over.code, code::kFull) << over.message;
    EXPECT_TRUE(users[1]->addMember("cap", "renamed", "", pushUrlOf(*users[1])).ok());  // re-adding refreshes
    auto m = users[0]->getMembers("cap");
    ASSERT_TRUE(m.ok());
    EXPECT_EQ(m.value.room.pushers.size(), k.capacity);
    EXPECT_EQ(m.value.room.pushers[1].userName, "renamed");
    EXPECT_EQ(m.value.room.roomCreator, "u0");
  }
}

TEST_F(RoomdApi, AddAnchorNeedsAPushUrlOnThisMediaServer) {
  auto alice = h.client("alice");
  ASSERT_TRUE(alice->createRoom("x", "r").ok());
  EXPECT_EQ(alice->addMember("r", "n", "", "rtmp://elsewhere.example:1935/live/s").code, code::kMissingParam);
  EXPECT_EQ(alice->addMember("r", "n", "", "rtmp://127.0.0.1:1935/other/s").code, code::kMissingParam);
  EXPECT_EQ(alice->addMember("r", "n", "", "not a url").code, code::kMissingParam);
}

TEST_F(RoomdApi, FirstAnchorActivatesTheRoomAndSetsTheMixedPlayUrl) {
  auto alice = h.client("alice");
  ASSERT_TRUE(alice->createRoom("pending", "r").ok());
  EXPECT_TRUE(alice->getRoomList(0, 10).value.empty());  // inactive rooms are not listed
  const std::string push = pushUrlOf(*alice);
  ASSERT_TRUE(alice->addMember("r", "Alice", "http://a/1.png", push).ok());
  auto list = alice->getRoomList(0, 10);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list.value.size(), 1u);
  const auto& room = list.value[0];
  EXPECT_EQ(room.roomID, "r");
  EXPECT_EQ(room.roomInfo, "pending");
  EXPECT_EQ(room.roomCreator, "alice");
  EXPECT_EQ(parseSignedUrl(room.mixedPlayURL)->streamName, parseSignedUrl(push)->streamName);
  ASSERT_EQ(room.pushers.size(), 1u);
  EXPECT_EQ(room.pushers[0].userAvatar, "http://a/1.png");
}

TEST_F(RoomdApi, RoomListPaginates) {
  auto alice = h.client("alice");
  for (int i = 0; i < 5; ++i) {
    auto user = h.client("owner" + std::to_string(i));
    openRoom(*user, "room" + std::to_string(i));
  }
  auto page = alice->getRoomList(1, 2);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page.value.size(), 2u);
  EXPECT_EQ(page.value[0].roomID, "room1");
  EXPECT_EQ(page.value[1].roomID, "room2");
  EXPECT_EQ(alice->getRoomList(4, 10).value.size(), 1u);
  EXPECT_TRUE(alice->getRoomList(9, 10).value.empty());
  EXPECT_EQ(alice->getRoomList(-1, 10).code, code::kMissingParam);
}

TEST_F(RoomdApi, HeartbeatIsAnEtagOnMembership) {
  auto alice = h.client("alice");
  auto bob = h.client("bob");
  openRoom(*alice, "r");
  auto first = alice->heartbeat("r", std::nullopt);
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(first.value.pushers.has_value());
  auto same = alice->heartbeat("r", first.value.roomStatusCode);
  ASSERT_TRUE(same.ok());
  EXPECT_FALSE(same.value.pushers.has_value());
  EXPECT_EQ(same.value.roomStatusCode, first.value.roomStatusCode);
  ASSERT_TRUE(bob->addMember("r", "Bob", "", pushUrlOf(*bob)).ok());
  auto changed = alice->heartbeat("r", first.value.roomStatusCode);
  ASSERT_TRUE(changed.ok());
  EXPECT_NE(changed.value.roomStatusCode, first.value.roomStatusCode);
  ASSERT_TRUE(changed.value.pushers.has_value());
  EXPECT_EQ(changed.value.pushers->size(), 2u);
  EXPECT_EQ(alice->getMembers("r").value.roomStatusCode, changed.value.roomStatusCode);
  auto carol = h.client("carol");
  EXPECT_EQ(carol->heartbeat("r", std::nullopt).code, code::kNotMember);
}

TEST_F(RoomdApi, DeleteAnchorRules) {
  auto alice = h.client("alice");
  auto bob = h.client("bob");
  auto carol = h.client("carol");
  openRoom(*alice, "r");
  ASSERT_TRUE(bob->addMember("r", "Bob", "", pushUrlOf(*bob)).ok());
  ASSERT_TRUE(carol->addMember("r", "Carol", "", pushUrlOf(*carol)).ok());
  EXPECT_EQ(bob->deleteMember("r", "carol").code, code::kNotCreator);  // not the creator
  EXPECT_TRUE(alice->deleteMember("r", "carol").ok());                 // the creator may
  EXPECT_EQ(carol->deleteMember("r").code, code::kNotMember);          // gone already
  EXPECT_TRUE(bob->deleteMember("r").ok());
  EXPECT_TRUE(alice->deleteMember("r").ok());                          // the last one: the room goes
  EXPECT_EQ(alice->getMembers("r").code, code::kNotCreator);
}

TEST_F(RoomdApi, AudienceListIsCappedAt30) {
  auto alice = h.client("alice");
  openRoom(*alice, "r");
  for (int i = 0; i < 30; ++i) {
    auto a = h.client("aud" + std::to_string(i));
    ASSERT_TRUE(a->addAudience("r", R"({"userName":"n","userAvatar":""})").ok()) << i;
  }
  auto extra = h.client("aud30");
  EXPECT_EQ(extra->addAudience("r", "{}").code, code::kFull);
  auto list = alice->getAudiences("r");
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list.value.size(), 30u);
  EXPECT_EQ(list.value[0].userInfo, R"({"userName":"n","userAvatar":""})");
  EXPECT_EQ(extra->deleteAudience("r").code, code::kNotMember);
  EXPECT_EQ(extra->deleteAudience("r", "aud1").code, code::kNotCreator);
  EXPECT_TRUE(alice->deleteAudience("r", "aud1").ok());
  EXPECT_TRUE(extra->addAudience("r", "{}").ok());
  EXPECT_EQ(alice->getRoomList(0, 1).value.at(0).audienceCount, 30u);
}

TEST_F(RoomdApi, CustomFieldsSetIncDec) {
  auto alice = h.client("alice");
  openRoom(*alice, "r");
  EXPECT_EQ(alice->setCustomField("r", "likes", "inc", 2).value, json({{"likes", 2}}));
  EXPECT_EQ(alice->setCustomField("r", "likes", "dec", 5).value, json({{"likes", -3}}));
  EXPECT_EQ(alice->setCustomField("r", "topic", "set", "music").value["topic"], "music");
  EXPECT_EQ(alice->setCustomField("r", "topic", "inc", 1).code, code::kMissingParam);  // not a counter
  EXPECT_EQ(alice->setCustomField("r", "likes", "mul", 2).code, code::kMissingParam);
  EXPECT_EQ(alice->setCustomField("r", "likes", "inc", "1").code, code::kMissingParam);
  EXPECT_EQ(alice->getCustomInfo("r").value, json({{"likes", -3}, {"topic", "music"}}));
  for (int i = 0; i < 30; ++i) ASSERT_TRUE(alice->setCustomField("r", "f" + std::to_string(i), "set", i).ok());
  EXPECT_EQ(alice->setCustomField("r", "one-too-many", "set", 1).code, code::kMissingParam);
}

TEST_F(RoomdApi, MergeStreamIsValidatedAndRecorded) {
  auto alice = h.client("alice");
  auto bob = h.client("bob");
  openRoom(*alice, "r");
  const std::string stream = room::streamIdOfUrl(pushUrlOf(*alice));  // the streams a layout may name: anchors'
  auto in = [](const std::string& id, int layer, int x, int y, int w, int h) {
    return json{{"input_stream_id", id},
                {"layout_params",
                 {{"image_layer", layer}, {"image_width", w}, {"image_height", h}, {"location_x", x}, {"location_y", y}}}};
  };
  json picture = in("logo", 2, 380, 630, 160, 240);
  picture["layout_params"]["input_type"] = 2;
  json mp = {{"interface",
              {{"interfaceName", "Mix_StreamV2"},
               {"para", {{"input_stream_list", std::vector<json>{in(stream, 1, 0, 0, 540, 960), picture}}}}}}};
  auto r = alice->mergeStream("r", mp);
  ASSERT_TRUE(r.ok()) << r.message;
  EXPECT_EQ(r.value.mergeCode, 1);  // recorded; no mixer attached (no --mixer; docs/ROOMS.md)
  EXPECT_GT(r.value.timestamp, 0);
  EXPECT_EQ(bob->mergeStream("r", mp).code, code::kNotMember);
  json five = mp;
  five["interface"]["para"]["input_stream_list"] =
      std::vector<json>{in(stream, 1, 0, 0, 540, 960), in(stream, 2, 0, 0, 8, 8), in(stream, 3, 0, 0, 8, 8),
                        in(stream, 4, 0, 0, 8, 8), in(stream, 5, 0, 0, 8, 8)};
  EXPECT_EQ(alice->mergeStream("r", five).code, code::kMissingParam);
  EXPECT_EQ(alice->mergeStream("r", json::object()).code, code::kMissingParam);
  auto refusalCode = [&](const json& params) {
    auto refused = alice->mergeStream("r", params);
    EXPECT_EQ(refused.code, code::kMissingParam);
    const size_t at = refused.message.find("(code ");
    return at == std::string::npos ? -1 : std::atoi(refused.message.c_str() + at + 6);
  };
  EXPECT_EQ(refusalCode(five), 3);  // five streams
  json outside = mp;  // a window past the canvas's right edge: openlive-mixer's refusal code 8
  outside["interface"]["para"]["input_stream_list"][1]["layout_params"]["location_x"] = 400;
  EXPECT_EQ(refusalCode(outside), 8);
  json stranger = mp;  // a stream that is not one of the room's anchors: code 10
  stranger["interface"]["para"]["input_stream_list"][1] = in("1400000001_0123456789abcdef", 2, 380, 630, 160, 240);
  EXPECT_EQ(refusalCode(stranger), 10);
}

TEST_F(RoomdApi, MalformedMissingAndOversizedBodies) {
  auto alice = h.client("alice");
  EXPECT_EQ(alice->call("get_anchors", "{not json").code, code::kMissingParam);
  EXPECT_EQ(alice->call("get_anchors", "").code, code::kMissingParam);
  EXPECT_EQ(alice->call("get_anchors", "{}").code, code::kMissingParam);
  EXPECT_EQ(alice->call("get_anchors", R"({"roomID":5})").code, code::kMissingParam);
  EXPECT_EQ(alice->call("create_room", R"({"userID":"alice"})").code, code::kMissingParam);
  EXPECT_EQ(alice->call("no_such_endpoint", "{}").code, code::kMissingParam);

  const std::string big(h.server().config().maxBodyBytes + 1, ' ');
  auto over = alice->call("get_anchors", big);
  EXPECT_EQ(over.httpStatus, 413);
  EXPECT_EQ(over.code, code::kMissingParam);
  httplib::Client raw(h.url());
  auto notFound = raw.Get("/weapp/unknown");
  ASSERT_TRUE(notFound);
  EXPECT_EQ(notFound->status, 404);
  EXPECT_EQ(json::parse(notFound->body)["code"], code::kMissingParam);
}

TEST_F(RoomdApi, CancelAllEndsCallsInFlight) {
  // A server that takes the request and answers only when the test says so: without cancellation the call
  // would run to its own timeout.
  std::mutex mu;
  std::condition_variable cv;
  bool arrived = false, release = false;
  httplib::Server holding;
  holding.Post(".*", [&](const httplib::Request&, httplib::Response&) {
    std::unique_lock lk(mu);
    arrived = true;
    cv.notify_all();
    cv.wait_for(lk, 30s, [&] { return release; });
  });
  const int port = holding.bind_to_any_port("127.0.0.1");
  std::thread server([&] { holding.listen_after_bind(); });
  const auto timeout = 20s;
  room::RoomServiceClient c({"http://127.0.0.1:" + std::to_string(port), RoomType::Live, timeout});
  c.setSession("alice", "token");
  std::thread canceller([&] {
    std::unique_lock lk(mu);
    cv.wait_for(lk, 10s, [&] { return arrived; });
    lk.unlock();
    c.cancelAll();
  });
  const auto t0 = std::chrono::steady_clock::now();
  auto r = c.getRoomList(0, 1);
  const auto took = std::chrono::steady_clock::now() - t0;
  canceller.join();
  EXPECT_EQ(r.code, code::kCanceled) << r.message;
  EXPECT_LT(took, timeout);  // ended by the cancel, not by running out its timeout
  {
    std::lock_guard lk(mu);
    release = true;
    cv.notify_all();
  }
  holding.stop();
  server.join();
}

TEST(RoomdLogs, SecretsNeverAppearInTheLog) {
  std::mutex mu;
  std::string lines;
  roomd::setLogLevel(LogLevel::Debug);
  roomd::setLogSink([&](LogLevel, std::string_view line) {
    std::lock_guard lk(mu);
    lines.append(line).append("\n");
  });
  std::vector<std::string> secrets{kRoomKey};
  {
    RoomdHarness h;
    room::RoomServiceClient c({h.url(), RoomType::Live});
    const std::string wrongSig = testUserSig("mallory");
    EXPECT_EQ(c.login(kRoomAppId, "alice", wrongSig).code, code::kBadToken);  // logged with its reason
    const std::string sig = testUserSig("alice");
    ASSERT_TRUE(c.login(kRoomAppId, "alice", sig).ok());
    auto urls = c.getPushUrl().value;
    auto parts = *parseSignedUrl(urls.pushURL);
    EXPECT_EQ(mediaCallback(h.url(), "on_publish", urls.pushURL), 200);
    const std::string wrong = "rtmp://127.0.0.1:1935/live/" + parts.streamName + "?txSecret=" +
                              std::string(32, 'e') + "&txTime=" + *parts.txTime;
    EXPECT_EQ(mediaCallback(h.url(), "on_publish", wrong), 403);
    ASSERT_TRUE(c.createRoom("x", "r").ok());
    ASSERT_TRUE(c.addMember("r", "A", "", urls.pushURL).ok());
    EXPECT_TRUE(c.sendRoomMessage("r", {{"cmd", "x"}}).ok());
    secrets.insert(secrets.end(), {c.token(), wrongSig, sig, *parts.txSecret, std::string(32, 'e')});
    ASSERT_TRUE(c.logout().ok());
  }
  roomd::setLogSink(nullptr);
  roomd::setLogLevel(LogLevel::Info);
  std::lock_guard lk(mu);
  EXPECT_NE(lines.find("login refused"), std::string::npos) << lines;
  EXPECT_NE(lines.find("publish refused"), std::string::npos) << lines;
  for (const auto& secret : secrets) EXPECT_EQ(lines.find(secret), std::string::npos) << secret << " in:\n" << lines;
}

}  // namespace
}  // namespace openlive::test
