// The RoomService HTTP API vocabulary (rooms.md section 2): reply codes, the three room products, endpoint names.
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace openlive::roomd {

// The `code` of every reply. The numbers are the reference service's (rooms.md section 2).
enum class ApiCode : int {
  Ok = 0,
  ServiceError = 1,    // ours: the shared store (redis) is unreachable; retry later
  MissingParam = 2,    // missing / mistyped / malformed parameter, malformed JSON, oversized body
  NotCreator = 3,      // not the room's creator, or no such room
  NotMember = 5,       // not a member of the room (or a message recipient that is not logged in)
  GroupFailed = 6,     // the room's message group could not be made (not produced here: groups are implicit)
  BadToken = 7,        // userID + token (or userSig at login) not valid
  RoomExists = 11,     // room id taken, or roomInfo over 1024 bytes
  Full = 5001,         // room (anchors/pushers) or audience list full
};

enum class RoomKind { Live, Double, Multi };

struct KindTraits {
  RoomKind kind;
  std::string_view base;  // path segment under /weapp/: "live_room", "double_room", "multi_room"
  size_t capacity;        // anchors / pushers
  bool anchorNaming;      // live_room says "anchor" where rtc rooms say "pusher"
};
const KindTraits& traits(RoomKind kind);
std::optional<RoomKind> kindFromBase(std::string_view base);
inline constexpr RoomKind kAllKinds[] = {RoomKind::Live, RoomKind::Double, RoomKind::Multi};

inline constexpr size_t kMaxRoomInfoBytes = 1024;
inline constexpr size_t kMaxAudiences = 30;

enum class Endpoint {
  Login,
  Logout,
  GetPushUrl,      // get_anchor_url / get_pusher_url (alias get_push_url)
  GetRoomList,
  CreateRoom,
  DestroyRoom,
  AddMember,       // add_anchor / add_pusher
  DeleteMember,    // delete_anchor / delete_pusher
  GetMembers,      // get_anchors / get_pushers
  Heartbeat,       // anchor_heartbeat / pusher_heartbeat
  MergeStream,
  SetCustomField,
  GetCustomInfo,
  AddAudience,
  DeleteAudience,
  GetAudiences,
  SendRoomMsg,     // signalling: to the room's group
  SendC2CMsg,      // signalling: one-to-one
};
std::optional<Endpoint> endpointFromName(RoomKind kind, std::string_view name);
std::string endpointName(RoomKind kind, Endpoint endpoint);

// An HTTP reply: status (200 for every API outcome, as the reference; 4xx only for transport-level refusals)
// and the JSON body with `code` and `message`.
struct ApiReply {
  int httpStatus = 200;
  nlohmann::json body = nlohmann::json::object();
  ApiCode code() const { return static_cast<ApiCode>(body.value("code", 0)); }
};
ApiReply okReply(nlohmann::json fields = nlohmann::json::object());
ApiReply errorReply(ApiCode code, std::string message, int httpStatus = 200);

}  // namespace openlive::roomd
