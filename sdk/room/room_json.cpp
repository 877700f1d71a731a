#include "room/room_json.h"

namespace openlive::room {

std::string_view basePath(RoomType type) {
  switch (type) {
    case RoomType::Live: return "/weapp/live_room/";
    case RoomType::Double: return "/weapp/double_room/";
    case RoomType::Multi: return "/weapp/multi_room/";
  }
  return "/weapp/live_room/";
}

bool anchorNaming(RoomType type) { return type == RoomType::Live; }

namespace parse {
namespace {

using nlohmann::json;

bool getString(const json& o, const char* key, std::string* out) {
  auto it = o.find(key);
  if (it == o.end() || !it->is_string()) return false;
  *out = it->get<std::string>();
  return true;
}

template <class T>
bool getInt(const json& o, const char* key, T* out) {
  auto it = o.find(key);
  if (it == o.end() || !it->is_number_integer()) return false;
  *out = it->get<T>();
  return true;
}

}  // namespace

std::optional<std::vector<PusherInfo>> pushers(const json& a) {
  if (!a.is_array()) return std::nullopt;
  std::vector<PusherInfo> out;
  for (const auto& p : a) {
    PusherInfo info;
    if (!p.is_object() || !getString(p, "userID", &info.userID)) return std::nullopt;
    getString(p, "userName", &info.userName);
    getString(p, "userAvatar", &info.userAvatar);
    getString(p, "accelerateURL", &info.accelerateURL);
    out.push_back(std::move(info));
  }
  return out;
}

std::optional<RoomInfo> roomInfo(const json& o) {
  RoomInfo r;
  if (!o.is_object() || !getString(o, "roomID", &r.roomID)) return std::nullopt;
  getString(o, "roomInfo", &r.roomInfo);
  getString(o, "roomCreator", &r.roomCreator);
  getString(o, "mixedPlayURL", &r.mixedPlayURL);
  auto p = o.find("pushers");
  if (p == o.end()) return std::nullopt;
  auto list = pushers(*p);
  if (!list) return std::nullopt;
  r.pushers = std::move(*list);
  if (auto c = o.find("custom"); c != o.end() && c->is_object()) r.custom = *c;
  getInt(o, "audienceCount", &r.audienceCount);
  return r;
}

std::optional<LoginInfo> loginInfo(const json& o) {
  LoginInfo l;
  if (!getString(o, "userID", &l.userID) || !getString(o, "token", &l.token) ||
      !getInt(o, "timestamp", &l.serverTimeMs))
    return std::nullopt;
  return l;
}

std::optional<PushUrls> pushUrls(const json& o) {
  PushUrls u;
  if (!getString(o, "pushURL", &u.pushURL) || !getString(o, "accelerateURL", &u.accelerateURL)) return std::nullopt;
  return u;
}

std::optional<std::vector<RoomInfo>> roomList(const json& o) {
  auto rooms = o.find("rooms");
  if (rooms == o.end() || !rooms->is_array()) return std::nullopt;
  std::vector<RoomInfo> out;
  for (const auto& r : *rooms) {
    auto info = roomInfo(r);
    if (!info) return std::nullopt;
    out.push_back(std::move(*info));
  }
  return out;
}

std::optional<MembersInfo> membersInfo(const json& o) {
  auto room = roomInfo(o);
  MembersInfo m;
  if (!room || !getInt(o, "roomStatusCode", &m.roomStatusCode)) return std::nullopt;
  m.room = std::move(*room);
  return m;
}

std::optional<HeartbeatInfo> heartbeatInfo(const json& o) {
  HeartbeatInfo h;
  if (!getInt(o, "roomStatusCode", &h.roomStatusCode)) return std::nullopt;
  if (auto p = o.find("pushers"); p != o.end()) {
    h.pushers = pushers(*p);
    if (!h.pushers) return std::nullopt;
  }
  return h;
}

std::optional<MergeInfo> mergeInfo(const json& o) {
  MergeInfo m;
  if (!getInt(o, "merge_code", &m.mergeCode)) return std::nullopt;
  getString(o, "merge_message", &m.mergeMessage);
  getInt(o, "timestamp", &m.timestamp);
  return m;
}

std::optional<std::vector<AudienceInfo>> audiences(const json& o) {
  auto list = o.find("audiences");
  if (list == o.end() || !list->is_array()) return std::nullopt;
  std::vector<AudienceInfo> out;
  for (const auto& a : *list) {
    AudienceInfo info;
    if (!a.is_object() || !getString(a, "userID", &info.userID)) return std::nullopt;
    getString(a, "userInfo", &info.userInfo);
    out.push_back(std::move(info));
  }
  return out;
}

std::optional<SendInfo> sendInfo(const json& o) {
  SendInfo s;
  if (!getInt(o, "delivered", &s.delivered)) return std::nullopt;
  getInt(o, "id", &s.id);
  auto d = o.find("dropped");
  s.dropped = d != o.end() && d->is_boolean() && d->get<bool>();
  return s;
}

std::optional<SignalMessage> signalMessage(const json& o) {
  SignalMessage m;
  if (!o.is_object() || !getInt(o, "id", &m.id) || !getString(o, "kind", &m.kind)) return std::nullopt;
  auto msg = o.find("msg");
  if (msg == o.end() || !msg->is_object()) return std::nullopt;
  getString(o, "roomType", &m.roomType);
  getString(o, "roomID", &m.roomID);
  getString(o, "from", &m.from);
  getInt(o, "serverTime", &m.serverTimeMs);
  m.msg = *msg;
  getString(m.msg, "cmd", &m.cmd);
  return m;
}

std::string stringField(const nlohmann::json& o, const char* key) {
  std::string s;
  getString(o, key, &s);
  return s;
}

nlohmann::json dataOf(const nlohmann::json& msg) {
  return msg.is_object() && msg.contains("data") && msg["data"].is_object() ? msg["data"] : nlohmann::json::object();
}

}  // namespace parse
}  // namespace openlive::room
