// openlive-roomd's request parser: every endpoint's required fields, types and limits, malformed input.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "roomd/request.h"

namespace openlive::roomd {
namespace {

using nlohmann::json;

// A valid body for each endpoint (live_room naming).
const std::map<std::string, json>& validBodies() {
  static const std::map<std::string, json> b = {
      {"get_anchor_url", {{"userID", "a"}}},
      {"get_room_list", {{"cnt", 10}, {"index", 0}}},
      {"create_room", {{"userID", "a"}, {"roomInfo", "hi"}}},
      {"destroy_room", {{"userID", "a"}, {"roomID", "r"}}},
      {"add_anchor",
       {{"roomID", "r"}, {"userID", "a"}, {"userName", "A"}, {"userAvatar", ""}, {"pushURL", "rtmp://h/live/s"}}},
      {"delete_anchor", {{"roomID", "r"}, {"userID", "a"}}},
      {"get_anchors", {{"roomID", "r"}}},
      {"anchor_heartbeat", {{"roomID", "r"}, {"userID", "a"}, {"roomStatusCode", 5}}},
      {"merge_stream", {{"roomID", "r"}, {"userID", "a"}, {"mergeParams", json::object()}}},
      {"set_custom_field", {{"roomID", "r"}, {"fieldName", "likes"}, {"operation", "inc"}, {"value", 1}}},
      {"get_custom_info", {{"roomID", "r"}}},
      {"add_audience", {{"roomID", "r"}, {"userID", "a"}, {"userInfo", "{}"}}},
      {"delete_audience", {{"roomID", "r"}, {"userID", "a"}}},
      {"get_audiences", {{"roomID", "r"}}},
      {"send_room_msg", {{"roomID", "r"}, {"msg", {{"cmd", "x"}}}}},
      {"send_c2c_msg", {{"toUserID", "b"}, {"msg", {{"cmd", "x"}}}}},
  };
  return b;
}

ParseError errorOf(const ParseResult& r) {
  if (auto* e = std::get_if<ParseError>(&r)) return *e;
  return ParseError{ApiCode::Ok, "parsed"};
}

TEST(RoomdRequest, EveryEndpointParsesAValidBody) {
  for (const auto& [name, body] : validBodies()) {
    auto r = parseRequest(RoomKind::Live, name, body.dump());
    ASSERT_TRUE(std::holds_alternative<ApiRequest>(r)) << name << ": " << errorOf(r).message;
    EXPECT_EQ(endpointName(RoomKind::Live, std::get<ApiRequest>(r).endpoint), name);
  }
}

TEST(RoomdRequest, EveryRequiredFieldMissingOrMistypedIsCode2) {
  for (const auto& [name, body] : validBodies()) {
    for (const auto& [field, value] : body.items()) {
      if (name == "anchor_heartbeat" && field == "roomStatusCode") continue;  // optional
      json missing = body;
      missing.erase(field);
      EXPECT_EQ(errorOf(parseRequest(RoomKind::Live, name, missing.dump())).code, ApiCode::MissingParam)
          << name << " without " << field;
      json wrong = body;
      wrong[field] = value.is_array() ? json(1) : json::array({1});
      EXPECT_EQ(errorOf(parseRequest(RoomKind::Live, name, wrong.dump())).code, ApiCode::MissingParam)
          << name << " with " << field << " mistyped";
      json null = body;
      null[field] = nullptr;
      EXPECT_EQ(errorOf(parseRequest(RoomKind::Live, name, null.dump())).code, ApiCode::MissingParam)
          << name << " with " << field << " null";
    }
  }
}

TEST(RoomdRequest, MalformedBodiesAreCode2) {
  for (const char* body : {"", "{", "not json", "[1,2]", "\"s\"", "42", "{\"roomID\":}", "{\"roomID\":\"r\"",
                           "\xff\xfe{}", "{\"roomID\":\"\xc3\x28\"}"}) {
    auto e = errorOf(parseRequest(RoomKind::Live, "get_anchors", body));
    EXPECT_EQ(e.code, ApiCode::MissingParam) << "body: " << body;
  }
}

TEST(RoomdRequest, NestingDeeperThanTheLimitIsRefused) {
  std::string deep = "{\"roomID\":\"r\",\"x\":" + std::string(kMaxJsonDepth + 5, '[') +
                     std::string(kMaxJsonDepth + 5, ']') + "}";
  EXPECT_EQ(errorOf(parseRequest(RoomKind::Live, "get_anchors", deep)).code, ApiCode::MissingParam);
  std::string ok = "{\"roomID\":\"r\",\"x\":[[[1]]]}";
  EXPECT_TRUE(std::holds_alternative<ApiRequest>(parseRequest(RoomKind::Live, "get_anchors", ok)));
}

TEST(RoomdRequest, RoomInfoOver1024BytesIsCode11) {
  json body = {{"userID", "a"}, {"roomInfo", std::string(1024, 'x')}};
  EXPECT_TRUE(std::holds_alternative<ApiRequest>(parseRequest(RoomKind::Live, "create_room", body.dump())));
  body["roomInfo"] = std::string(1025, 'x');
  EXPECT_EQ(errorOf(parseRequest(RoomKind::Live, "create_room", body.dump())).code, ApiCode::RoomExists);
}

TEST(RoomdRequest, OverlongStringsAreCode2) {
  json body = {{"userID", std::string(33, 'u')}};
  EXPECT_EQ(errorOf(parseRequest(RoomKind::Live, "get_anchor_url", body.dump())).code, ApiCode::MissingParam);
  body = {{"roomID", std::string(129, 'r')}};
  EXPECT_EQ(errorOf(parseRequest(RoomKind::Live, "get_anchors", body.dump())).code, ApiCode::MissingParam);
}

TEST(RoomdRequest, RtcRoomsUsePusherNaming) {
  json add = validBodies().at("add_anchor");
  for (RoomKind k : {RoomKind::Double, RoomKind::Multi}) {
    EXPECT_TRUE(std::holds_alternative<ApiRequest>(parseRequest(k, "add_pusher", add.dump())));
    EXPECT_EQ(errorOf(parseRequest(k, "add_anchor", add.dump())).code, ApiCode::MissingParam);
    EXPECT_TRUE(std::holds_alternative<ApiRequest>(parseRequest(k, "get_push_url", R"({"userID":"a"})")));
    EXPECT_TRUE(std::holds_alternative<ApiRequest>(parseRequest(k, "get_pusher_url", R"({"userID":"a"})")));
    EXPECT_TRUE(std::holds_alternative<ApiRequest>(parseRequest(k, "pusher_heartbeat", R"({"roomID":"r","userID":"a"})")));
  }
  EXPECT_EQ(errorOf(parseRequest(RoomKind::Live, "add_pusher", add.dump())).code, ApiCode::MissingParam);
  EXPECT_EQ(errorOf(parseRequest(RoomKind::Live, "no_such_endpoint", "{}")).message, "unknown endpoint");
}

TEST(RoomdRequest, MergeParamsMayComeAsAJsonString) {
  json body = {{"roomID", "r"}, {"userID", "a"}, {"mergeParams", R"({"timestamp":1,"interface":{}})"}};
  auto r = parseRequest(RoomKind::Live, "merge_stream", body.dump());
  ASSERT_TRUE(std::holds_alternative<ApiRequest>(r));
  EXPECT_EQ(std::get<ApiRequest>(r).object("mergeParams").value("timestamp", 0), 1);
  body["mergeParams"] = "not json";
  EXPECT_EQ(errorOf(parseRequest(RoomKind::Live, "merge_stream", body.dump())).code, ApiCode::MissingParam);
}

TEST(RoomdRequest, LoginAndLogoutIgnoreTheBody) {
  EXPECT_TRUE(std::holds_alternative<ApiRequest>(parseRequest(RoomKind::Live, "login", "garbage")));
  EXPECT_TRUE(std::holds_alternative<ApiRequest>(parseRequest(RoomKind::Multi, "logout", "")));
}

TEST(RoomdRequest, UndeclaredFieldsAreIgnoredAndValuesKept) {
  auto r = parseRequest(RoomKind::Live, "get_room_list", R"({"cnt":3,"index":1,"extra":{"a":[1,2]}})");
  ASSERT_TRUE(std::holds_alternative<ApiRequest>(r));
  EXPECT_EQ(std::get<ApiRequest>(r).integer("cnt", 0), 3);
  EXPECT_EQ(std::get<ApiRequest>(r).integer("index", 0), 1);
  EXPECT_EQ(errorOf(parseRequest(RoomKind::Live, "get_room_list", R"({"cnt":1.5,"index":0})")).code,
            ApiCode::MissingParam);
}

}  // namespace
}  // namespace openlive::roomd
