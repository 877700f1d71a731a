#include "roomd_client.h"

#include "room_stack.h"  // kRoomAppId, kRoomKey

#include <httplib.h>
#include <nlohmann/json.hpp>
#include <openlive/usersig.h>

#include <chrono>

namespace soak {

namespace {

using nlohmann::json;
constexpr int kBadToken = 7;  // rooms.md section 2

// GET (empty body) or POST; the reply's JSON object, or nullopt with *why.
std::optional<json> call(const std::string& base, const std::string& pathAndQuery, const std::string* body,
                         std::string* why) {
  httplib::Client c(base);
  c.set_connection_timeout(std::chrono::milliseconds(500));
  c.set_read_timeout(std::chrono::milliseconds(1500));
  c.set_write_timeout(std::chrono::milliseconds(1000));
  auto res = body ? c.Post(pathAndQuery, *body, "application/json") : c.Get(pathAndQuery);
  if (!res) {
    *why = "no answer (" + httplib::to_string(res.error()) + ")";
    return std::nullopt;
  }
  json j = json::parse(res->body, nullptr, false);
  if (!j.is_object() || !j.contains("code")) {
    *why = "HTTP " + std::to_string(res->status) + ", not a RoomService reply";
    return std::nullopt;
  }
  return j;
}

}  // namespace

bool RoomdClient::login(std::string* why) {
  openlive::UserSigRequest req;
  req.sdkAppId = kRoomAppId;
  req.identifier = user_;
  req.now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  const auto sig = openlive::generateTestUserSig(req, kRoomKey);
  if (!sig.ok()) return *why = "cannot make a UserSig", false;
  const std::string path = httplib::append_query_params(
      "/weapp/live_room/login", {{"sdkAppID", std::to_string(kRoomAppId)}, {"userID", user_}, {"userSig", sig.value}});
  auto j = call(base_, path, nullptr, why);
  if (!j) return false;
  if (j->value("code", -1) != 0 || !j->contains("token")) return *why = "login: " + j->dump(), false;
  token_ = (*j)["token"].get<std::string>();
  return true;
}

std::optional<RoomListing> RoomdClient::getRoom(const std::string& roomID, std::string* why) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (token_.empty() && !login(why)) return std::nullopt;
    const std::string path =
        httplib::append_query_params("/weapp/live_room/get_anchors", {{"userID", user_}, {"token", token_}});
    const std::string body = json{{"roomID", roomID}}.dump();
    auto j = call(base_, path, &body, why);
    if (!j) return std::nullopt;
    const int code = j->value("code", -1);
    if (code == kBadToken) {
      token_.clear();
      continue;
    }
    if (code != 0) return *why = "get_anchors: code " + std::to_string(code), std::nullopt;
    RoomListing r;
    r.creator = j->value("roomCreator", "");
    r.mixedPlayURL = j->value("mixedPlayURL", "");
    if (j->contains("pushers") && (*j)["pushers"].is_array())
      for (const auto& p : (*j)["pushers"])
        if (p.is_object() && p.contains("userID") && p["userID"].is_string())
          r.members.insert(p["userID"].get<std::string>());
    return r;
  }
  *why = "get_anchors: token refused after a new login";
  return std::nullopt;
}

}  // namespace soak
