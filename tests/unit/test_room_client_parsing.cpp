// The SDK room client's parsers: Server-Sent Events framing and the RoomService reply shapes.
#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>
#include <vector>

#include "room/room_json.h"
#include "room/room_service_client.h"
#include "room/signalling_client.h"
#include "room/sse_parser.h"

namespace openlive::room {
namespace {

using nlohmann::json;

std::vector<SseEvent> parseAll(const std::vector<std::string>& chunks, bool* ok = nullptr) {
  std::vector<SseEvent> events;
  SseParser p([&](const SseEvent& e) { events.push_back(e); });
  bool good = true;
  for (const auto& c : chunks) good = p.feed(c) && good;
  if (ok) *ok = good;
  return events;
}

TEST(SseParser, EventsIdsCommentsAndLineEndings) {
  auto ev = parseAll({"retry: 1000\n: connected\n\nid: 1\ndata: {\"a\":1}\n\n",
                      "id: 2\r\nevent: reset\r\ndata: x\r\n\r\n", "data: one\rdata: two\r\r"});
  ASSERT_EQ(ev.size(), 3u);
  EXPECT_EQ(ev[0].type, "message");
  EXPECT_EQ(ev[0].data, "{\"a\":1}");
  EXPECT_EQ(ev[0].lastEventId, "1");
  EXPECT_EQ(ev[1].type, "reset");
  EXPECT_EQ(ev[1].lastEventId, "2");
  EXPECT_EQ(ev[2].data, "one\ntwo");
  EXPECT_EQ(ev[2].lastEventId, "2");  // the id carries over
}

TEST(SseParser, SplitAnywhere) {
  const std::string stream = "id: 7\r\ndata: {\"x\":\"y\"}\r\n\r\nid: 8\ndata: z\n\n";
  for (size_t cut = 0; cut <= stream.size(); ++cut) {
    auto ev = parseAll({stream.substr(0, cut), stream.substr(cut)});
    ASSERT_EQ(ev.size(), 2u) << "cut at " << cut;
    EXPECT_EQ(ev[0].data, "{\"x\":\"y\"}");
    EXPECT_EQ(ev[1].lastEventId, "8");
  }
}

TEST(SseParser, NoDataNoEventAndOverlongLinesFail) {
  EXPECT_TRUE(parseAll({"id: 5\n\n: ping\n\nevent: x\n\n"}).empty());
  bool ok = true;
  SseParser p([](const SseEvent&) {}, 16);
  EXPECT_FALSE(p.feed("data: this line is far too long\n"));
  EXPECT_FALSE(p.feed("data: ok\n\n"));
  parseAll({"retry: abc\n"}, &ok);
  EXPECT_TRUE(ok);
}

TEST(RoomJson, RepliesConvertAndMissingFieldsFail) {
  json members = {{"code", 0}, {"roomID", "r"}, {"roomInfo", "i"}, {"roomCreator", "a"}, {"mixedPlayURL", "u"},
                  {"pushers", {{{"userID", "a"}, {"userName", "A"}, {"userAvatar", ""}, {"accelerateURL", "x"}}}},
                  {"roomStatusCode", 9}};
  auto m = parse::membersInfo(members);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->roomStatusCode, 9u);
  EXPECT_EQ(m->room.pushers.at(0).accelerateURL, "x");
  members.erase("roomStatusCode");
  EXPECT_FALSE(parse::membersInfo(members));
  EXPECT_FALSE(parse::heartbeatInfo({{"roomStatusCode", "9"}}));
  auto hb = parse::heartbeatInfo({{"roomStatusCode", 3}});
  ASSERT_TRUE(hb);
  EXPECT_FALSE(hb->pushers);
  EXPECT_FALSE(parse::roomList({{"rooms", {{{"roomInfo", "no id"}, {"pushers", json::array()}}}}}));
  EXPECT_FALSE(parse::loginInfo({{"userID", "a"}, {"token", "t"}}));
  EXPECT_FALSE(parse::signalMessage(json::array()));
  auto s = parse::signalMessage({{"id", 4}, {"kind", "c2c"}, {"from", "b"}, {"serverTime", 1},
                                 {"msg", {{"cmd", "linkmic"}}}});
  ASSERT_TRUE(s);
  EXPECT_EQ(s->cmd, "linkmic");
  EXPECT_EQ(basePath(RoomType::Multi), "/weapp/multi_room/");
}

TEST(RoomClients, AnUnusableServerUrlIsAnErrorNotAnException) {
  for (const char* url : {"ftp://127.0.0.1:1", "http://127.0.0.1:99999999999"}) {
    RoomServiceClient c({url, RoomType::Live});
    EXPECT_EQ(c.login(1, "a", "sig").code, code::kTransport) << url;
    std::mutex mu;
    std::condition_variable cv;
    bool failed = false;
    SignallingClient s({url, "a", "t"}, [](const SignalMessage&) {}, [&](ChannelEvent e, const std::string&) {
      std::lock_guard lk(mu);
      failed = failed || e == ChannelEvent::Failed;
      cv.notify_all();
    });
    s.start();
    std::unique_lock lk(mu);
    EXPECT_TRUE(cv.wait_for(lk, std::chrono::seconds(5), [&] { return failed; })) << url;
  }
}

}  // namespace
}  // namespace openlive::room
