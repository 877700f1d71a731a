#include "room/room_service_client.h"

#include <httplib.h>

#include "common/logging.h"
#include "room/room_json.h"

namespace openlive::room {
namespace {

using nlohmann::json;

template <class T>
RoomResult<T> failure(int code, std::string message, int httpStatus = 0) {
  RoomResult<T> r;
  r.code = code;
  r.message = std::move(message);
  r.httpStatus = httpStatus;
  return r;
}

// Converts a successful raw reply with `convert`; a reply that does not fit is kBadReply.
template <class T, class Convert>
RoomResult<T> typed(RoomResult<json> raw, Convert convert) {
  if (!raw.ok()) return failure<T>(raw.code, std::move(raw.message), raw.httpStatus);
  auto v = convert(raw.value);
  if (!v) return failure<T>(code::kBadReply, "reply lacks the documented fields", raw.httpStatus);
  RoomResult<T> r;
  r.message = std::move(raw.message);
  r.httpStatus = raw.httpStatus;
  r.value = std::move(*v);
  return r;
}

RoomResult<Empty> empty(RoomResult<json> raw) {
  return typed<Empty>(std::move(raw), [](const json&) { return std::optional<Empty>(Empty{}); });
}

std::string dumpSafe(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

}  // namespace

RoomServiceClient::RoomServiceClient(Options options) : options_(std::move(options)) {}

RoomServiceClient::~RoomServiceClient() { cancelAll(); }

std::string RoomServiceClient::userID() const {
  std::lock_guard lk(mu_);
  return userID_;
}

std::string RoomServiceClient::token() const {
  std::lock_guard lk(mu_);
  return token_;
}

void RoomServiceClient::setSession(const std::string& userID, const std::string& token) {
  std::lock_guard lk(mu_);
  userID_ = userID;
  token_ = token;
}

std::string RoomServiceClient::endpoint(std::string_view anchorName, std::string_view pusherName) const {
  return std::string(anchorNaming(options_.type) ? anchorName : pusherName);
}

std::shared_ptr<httplib::Client> RoomServiceClient::makeClient() {
  std::shared_ptr<httplib::Client> c;
  try {
    c = std::make_shared<httplib::Client>(options_.serverUrl);
  } catch (const std::exception&) {  // an unsupported scheme or a port out of range
    return nullptr;
  }
  c->set_connection_timeout(options_.timeout);
  c->set_read_timeout(options_.timeout);
  c->set_write_timeout(options_.timeout);
  c->set_keep_alive(false);
  std::lock_guard lk(mu_);
  inFlight_.insert(c);
  return c;
}

void RoomServiceClient::forget(const std::shared_ptr<httplib::Client>& c) {
  std::lock_guard lk(mu_);
  inFlight_.erase(c);
}

void RoomServiceClient::cancelAll() {
  std::set<std::shared_ptr<httplib::Client>> clients;
  {
    std::lock_guard lk(mu_);
    ++cancelGeneration_;
    clients = inFlight_;
  }
  for (const auto& c : clients) c->stop();  // shuts the socket down; the call returns with an error
}

RoomResult<json> RoomServiceClient::request(const std::string& method, const std::string& pathAndQuery,
                                            const std::string& body) {
  uint64_t generation = 0;
  {
    std::lock_guard lk(mu_);
    generation = cancelGeneration_;
  }
  auto client = makeClient();
  if (!client) return failure<json>(code::kTransport, "the server URL is not http://HOST:PORT");
  auto res = method == "GET" ? client->Get(pathAndQuery) : client->Post(pathAndQuery, body, "application/json");
  forget(client);
  bool canceled = false;
  {
    std::lock_guard lk(mu_);
    canceled = cancelGeneration_ != generation;
  }
  if (canceled) return failure<json>(code::kCanceled, "canceled");
  if (!res) return failure<json>(code::kTransport, "HTTP " + httplib::to_string(res.error()));
  auto reply = json::parse(res->body, nullptr, false);
  if (reply.is_discarded() || !reply.is_object() || !reply.contains("code") || !reply["code"].is_number_integer())
    return failure<json>(code::kBadReply, "reply is not the service's JSON (HTTP " + std::to_string(res->status) + ")",
                         res->status);
  RoomResult<json> r;
  r.code = reply["code"].get<int>();
  if (auto m = reply.find("message"); m != reply.end() && m->is_string()) r.message = m->get<std::string>();
  r.httpStatus = res->status;
  r.value = std::move(reply);
  return r;
}

RoomResult<json> RoomServiceClient::post(const std::string& name, const json& body) {
  std::string user, token;
  {
    std::lock_guard lk(mu_);
    user = userID_;
    token = token_;
  }
  if (user.empty()) return failure<json>(code::kNotLoggedIn, "log in first");
  const std::string path = httplib::append_query_params(std::string(basePath(options_.type)) + name,
                                                        {{"userID", user}, {"token", token}});
  return request("POST", path, dumpSafe(body));
}

RoomResult<json> RoomServiceClient::call(std::string_view endpointName, const std::string& body) {
  std::string user, token;
  {
    std::lock_guard lk(mu_);
    user = userID_;
    token = token_;
  }
  const std::string path = httplib::append_query_params(std::string(basePath(options_.type)) + std::string(endpointName),
                                                        {{"userID", user}, {"token", token}});
  return request("POST", path, body);
}

RoomResult<LoginInfo> RoomServiceClient::login(uint64_t sdkAppId, const std::string& userID,
                                               const std::string& userSig) {
  const std::string path = httplib::append_query_params(
      std::string(basePath(options_.type)) + "login",
      {{"sdkAppID", std::to_string(sdkAppId)}, {"userID", userID}, {"userSig", userSig}, {"platform", "linux"}});
  auto r = typed<LoginInfo>(request("GET", path, {}), parse::loginInfo);
  if (r.ok()) {
    setSession(r.value.userID, r.value.token);
    OL_LOGI("room", "logged in to the room service as %s", r.value.userID.c_str());
  }
  return r;
}

RoomResult<Empty> RoomServiceClient::logout() {
  auto r = empty(post("logout", json::object()));
  if (r.ok()) setSession({}, {});
  return r;
}

RoomResult<PushUrls> RoomServiceClient::getPushUrl() {
  return typed<PushUrls>(post(endpoint("get_anchor_url", "get_pusher_url"), {{"userID", userID()}}), parse::pushUrls);
}

RoomResult<std::vector<RoomInfo>> RoomServiceClient::getRoomList(int64_t index, int64_t count) {
  return typed<std::vector<RoomInfo>>(post("get_room_list", {{"index", index}, {"cnt", count}}), parse::roomList);
}

RoomResult<std::string> RoomServiceClient::createRoom(const std::string& roomInfo, const std::string& roomID) {
  json body = {{"userID", userID()}, {"roomInfo", roomInfo}};
  if (!roomID.empty()) body["roomID"] = roomID;
  return typed<std::string>(post("create_room", body), [](const json& o) -> std::optional<std::string> {
    auto it = o.find("roomID");
    if (it == o.end() || !it->is_string()) return std::nullopt;
    return it->get<std::string>();
  });
}

RoomResult<Empty> RoomServiceClient::destroyRoom(const std::string& roomID) {
  return empty(post("destroy_room", {{"userID", userID()}, {"roomID", roomID}}));
}

RoomResult<Empty> RoomServiceClient::addMember(const std::string& roomID, const std::string& userName,
                                               const std::string& userAvatar, const std::string& pushURL) {
  return empty(post(endpoint("add_anchor", "add_pusher"), {{"roomID", roomID},
                                                           {"userID", userID()},
                                                           {"userName", userName},
                                                           {"userAvatar", userAvatar},
                                                           {"pushURL", pushURL}}));
}

RoomResult<Empty> RoomServiceClient::deleteMember(const std::string& roomID, const std::string& userID) {
  const std::string who = userID.empty() ? this->userID() : userID;
  return empty(post(endpoint("delete_anchor", "delete_pusher"), {{"roomID", roomID}, {"userID", who}}));
}

RoomResult<MembersInfo> RoomServiceClient::getMembers(const std::string& roomID) {
  return typed<MembersInfo>(post(endpoint("get_anchors", "get_pushers"), {{"roomID", roomID}}), parse::membersInfo);
}

RoomResult<HeartbeatInfo> RoomServiceClient::heartbeat(const std::string& roomID,
                                                       std::optional<uint64_t> roomStatusCode) {
  json body = {{"roomID", roomID}, {"userID", userID()}};
  if (roomStatusCode) body["roomStatusCode"] = *roomStatusCode;
  return typed<HeartbeatInfo>(post(endpoint("anchor_heartbeat", "pusher_heartbeat"), body), parse::heartbeatInfo);
}

RoomResult<MergeInfo> RoomServiceClient::mergeStream(const std::string& roomID, const nlohmann::json& mergeParams) {
  return typed<MergeInfo>(post("merge_stream", {{"roomID", roomID}, {"userID", userID()}, {"mergeParams", mergeParams}}),
                          parse::mergeInfo);
}

RoomResult<nlohmann::json> RoomServiceClient::setCustomField(const std::string& roomID, const std::string& field,
                                                             const std::string& operation,
                                                             const nlohmann::json& value) {
  return typed<nlohmann::json>(
      post("set_custom_field", {{"roomID", roomID}, {"fieldName", field}, {"operation", operation}, {"value", value}}),
      [](const nlohmann::json& o) { return o.contains("custom") ? std::optional(o["custom"]) : std::nullopt; });
}

RoomResult<nlohmann::json> RoomServiceClient::getCustomInfo(const std::string& roomID) {
  return typed<nlohmann::json>(post("get_custom_info", {{"roomID", roomID}}), [](const nlohmann::json& o) {
    return o.contains("custom") ? std::optional(o["custom"]) : std::nullopt;
  });
}

RoomResult<Empty> RoomServiceClient::addAudience(const std::string& roomID, const std::string& userInfo) {
  return empty(post("add_audience", {{"roomID", roomID}, {"userID", userID()}, {"userInfo", userInfo}}));
}

RoomResult<Empty> RoomServiceClient::deleteAudience(const std::string& roomID, const std::string& userID) {
  const std::string who = userID.empty() ? this->userID() : userID;
  return empty(post("delete_audience", {{"roomID", roomID}, {"userID", who}}));
}

RoomResult<std::vector<AudienceInfo>> RoomServiceClient::getAudiences(const std::string& roomID) {
  return typed<std::vector<AudienceInfo>>(post("get_audiences", {{"roomID", roomID}}), parse::audiences);
}

RoomResult<SendInfo> RoomServiceClient::sendRoomMessage(const std::string& roomID, const nlohmann::json& msg) {
  return typed<SendInfo>(post("send_room_msg", {{"roomID", roomID}, {"msg", msg}}), parse::sendInfo);
}

RoomResult<SendInfo> RoomServiceClient::sendC2CMessage(const std::string& toUserID, const nlohmann::json& msg) {
  return typed<SendInfo>(post("send_c2c_msg", {{"toUserID", toUserID}, {"msg", msg}}), parse::sendInfo);
}

}  // namespace openlive::room
