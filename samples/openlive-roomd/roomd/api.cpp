#include "api.h"

#include <array>

namespace openlive::roomd {
namespace {

constexpr std::array<KindTraits, 3> kTraits{{
    {RoomKind::Live, "live_room", 4, true},
    {RoomKind::Double, "double_room", 2, false},
    {RoomKind::Multi, "multi_room", 4, false},
}};

struct EndpointName {
  Endpoint endpoint;
  std::string_view anchorName;  // live_room
  std::string_view pusherName;  // double_room / multi_room
};

// The first row naming an endpoint is its canonical name; later rows are accepted aliases.
constexpr std::array<EndpointName, 19> kNames{{
    {Endpoint::Login, "login", "login"},
    {Endpoint::Logout, "logout", "logout"},
    {Endpoint::GetPushUrl, "get_anchor_url", "get_pusher_url"},
    {Endpoint::GetPushUrl, "get_push_url", "get_push_url"},  // the reference service's older name
    {Endpoint::GetRoomList, "get_room_list", "get_room_list"},
    {Endpoint::CreateRoom, "create_room", "create_room"},
    {Endpoint::DestroyRoom, "destroy_room", "destroy_room"},
    {Endpoint::AddMember, "add_anchor", "add_pusher"},
    {Endpoint::DeleteMember, "delete_anchor", "delete_pusher"},
    {Endpoint::GetMembers, "get_anchors", "get_pushers"},
    {Endpoint::Heartbeat, "anchor_heartbeat", "pusher_heartbeat"},
    {Endpoint::MergeStream, "merge_stream", "merge_stream"},
    {Endpoint::SetCustomField, "set_custom_field", "set_custom_field"},
    {Endpoint::GetCustomInfo, "get_custom_info", "get_custom_info"},
    {Endpoint::AddAudience, "add_audience", "add_audience"},
    {Endpoint::DeleteAudience, "delete_audience", "delete_audience"},
    {Endpoint::GetAudiences, "get_audiences", "get_audiences"},
    {Endpoint::SendRoomMsg, "send_room_msg", "send_room_msg"},
    {Endpoint::SendC2CMsg, "send_c2c_msg", "send_c2c_msg"},
}};

}  // namespace

const KindTraits& traits(RoomKind kind) {
  for (const auto& t : kTraits)
    if (t.kind == kind) return t;
  return kTraits[0];
}

std::optional<RoomKind> kindFromBase(std::string_view base) {
  for (const auto& t : kTraits)
    if (t.base == base) return t.kind;
  return std::nullopt;
}

std::optional<Endpoint> endpointFromName(RoomKind kind, std::string_view name) {
  const bool anchor = traits(kind).anchorNaming;
  for (const auto& n : kNames)
    if ((anchor ? n.anchorName : n.pusherName) == name) return n.endpoint;
  return std::nullopt;
}

std::string endpointName(RoomKind kind, Endpoint endpoint) {
  const bool anchor = traits(kind).anchorNaming;
  for (const auto& n : kNames)
    if (n.endpoint == endpoint) return std::string(anchor ? n.anchorName : n.pusherName);
  return "?";
}

ApiReply okReply(nlohmann::json fields) {
  ApiReply r;
  r.body = fields.is_object() ? std::move(fields) : nlohmann::json::object();
  r.body["code"] = 0;
  r.body["message"] = "OK";
  return r;
}

ApiReply errorReply(ApiCode code, std::string message, int httpStatus) {
  ApiReply r;
  r.httpStatus = httpStatus;
  r.body = {{"code", static_cast<int>(code)}, {"message", std::move(message)}};
  return r;
}

}  // namespace openlive::roomd
