// JSON replies of the RoomService -> typed values (room_types.h). Lenient about extra fields, strict about the
// documented ones: a missing or mistyped documented field makes the conversion fail (code::kBadReply).
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <vector>

#include "room/room_types.h"

namespace openlive::room::parse {

std::optional<std::vector<PusherInfo>> pushers(const nlohmann::json& array);
std::optional<RoomInfo> roomInfo(const nlohmann::json& object);
std::optional<LoginInfo> loginInfo(const nlohmann::json& reply);
std::optional<PushUrls> pushUrls(const nlohmann::json& reply);
std::optional<std::vector<RoomInfo>> roomList(const nlohmann::json& reply);
std::optional<MembersInfo> membersInfo(const nlohmann::json& reply);
std::optional<HeartbeatInfo> heartbeatInfo(const nlohmann::json& reply);
std::optional<MergeInfo> mergeInfo(const nlohmann::json& reply);
std::optional<std::vector<AudienceInfo>> audiences(const nlohmann::json& reply);
std::optional<SendInfo> sendInfo(const nlohmann::json& reply);
std::optional<SignalMessage> signalMessage(const nlohmann::json& envelope);

}  // namespace openlive::room::parse
