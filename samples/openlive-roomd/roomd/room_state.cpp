#include "room_state.h"

namespace openlive::roomd {

using nlohmann::json;

const Pusher* RoomState::findPusher(const std::string& userID) const {
  for (const auto& p : pushers)
    if (p.userID == userID) return &p;
  return nullptr;
}

bool RoomState::hasAudience(const std::string& userID) const {
  for (const auto& a : audiences)
    if (a.userID == userID) return true;
  return false;
}

std::vector<std::string> RoomState::pusherIDs(const std::string& except) const {
  std::vector<std::string> ids;
  for (const auto& p : pushers)
    if (p.userID != except) ids.push_back(p.userID);
  return ids;
}

std::vector<std::string> RoomState::groupMembers(const std::string& except) const {
  std::vector<std::string> ids = pusherIDs(except);
  for (const auto& a : audiences)
    if (a.userID != except && !findPusher(a.userID)) ids.push_back(a.userID);
  return ids;
}

json toJson(const RoomState& r) {
  json pushers = json::array();
  for (const auto& p : r.pushers)
    pushers.push_back({{"userID", p.userID},
                       {"userName", p.userName},
                       {"userAvatar", p.userAvatar},
                       {"pushURL", p.pushURL},
                       {"accelerateURL", p.accelerateURL},
                       {"streamName", p.streamName},
                       {"joinedMs", p.joinedMs}});
  json audiences = json::array();
  for (const auto& a : r.audiences) audiences.push_back({{"userID", a.userID}, {"userInfo", a.userInfo}});
  return {{"roomID", r.roomID},       {"roomInfo", r.roomInfo},   {"creator", r.creator},
          {"roomCreator", r.roomCreator}, {"mixedPlayURL", r.mixedPlayURL}, {"mixStream", r.mixStream}, {"active", r.active},
          {"createdMs", r.createdMs}, {"statusCode", r.statusCode}, {"pushers", std::move(pushers)},
          {"audiences", std::move(audiences)}, {"custom", r.custom}, {"mix", r.mix}};
}

namespace {

std::string s(const json& o, const char* k) {
  auto it = o.find(k);
  return it != o.end() && it->is_string() ? it->get<std::string>() : std::string();
}

template <class T>
T num(const json& o, const char* k) {
  auto it = o.find(k);
  return it != o.end() && it->is_number() ? it->get<T>() : T{};
}

}  // namespace

std::optional<RoomState> roomFromJson(const json& d) {
  if (!d.is_object() || !d.contains("roomID") || !d["roomID"].is_string()) return std::nullopt;
  RoomState r;
  r.roomID = s(d, "roomID");
  r.roomInfo = s(d, "roomInfo");
  r.creator = s(d, "creator");
  r.roomCreator = s(d, "roomCreator");
  r.mixedPlayURL = s(d, "mixedPlayURL");
  r.mixStream = s(d, "mixStream");
  auto active = d.find("active");
  r.active = active != d.end() && active->is_boolean() && active->get<bool>();
  r.createdMs = num<int64_t>(d, "createdMs");
  r.statusCode = num<uint64_t>(d, "statusCode");
  if (auto it = d.find("pushers"); it != d.end() && it->is_array())
    for (const auto& p : *it)
      if (p.is_object())
        r.pushers.push_back({s(p, "userID"), s(p, "userName"), s(p, "userAvatar"), s(p, "pushURL"),
                             s(p, "accelerateURL"), s(p, "streamName"), num<int64_t>(p, "joinedMs")});
  if (auto it = d.find("audiences"); it != d.end() && it->is_array())
    for (const auto& a : *it)
      if (a.is_object()) r.audiences.push_back({s(a, "userID"), s(a, "userInfo")});
  if (auto it = d.find("custom"); it != d.end() && it->is_object()) r.custom = *it;
  if (auto it = d.find("mix"); it != d.end()) r.mix = *it;
  return r;
}

json pushersJson(const RoomState& r) {
  json a = json::array();
  for (const auto& p : r.pushers)
    a.push_back({{"userID", p.userID},
                 {"userName", p.userName},
                 {"userAvatar", p.userAvatar},
                 {"accelerateURL", p.accelerateURL}});
  return a;
}

json membersReply(const RoomState& r) {
  return {{"roomID", r.roomID},
          {"roomInfo", r.roomInfo},
          {"roomCreator", r.roomCreator},
          {"mixedPlayURL", r.mixedPlayURL},
          {"pushers", pushersJson(r)},
          {"roomStatusCode", r.statusCode}};
}

json roomListEntry(const RoomState& r) {
  return {{"roomID", r.roomID},
          {"roomInfo", r.roomInfo},
          {"roomCreator", r.roomCreator},
          {"mixedPlayURL", r.mixedPlayURL},
          {"custom", r.custom},
          {"pushers", pushersJson(r)},
          {"audienceCount", r.audiences.size()}};
}

}  // namespace openlive::roomd
