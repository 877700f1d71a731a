// JSON replies of the RoomService -> typed values (room_types.h). Lenient about extra fields, strict about the
// documented ones: a missing or mistyped documented field makes the conversion fail (code::kBadReply).
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
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

// A signalling message's string field, "" when absent or not a string (messages are peers' input).
std::string stringField(const nlohmann::json& object, const char* key);
// The "data" object of a signalling message ({} when absent).
nlohmann::json dataOf(const nlohmann::json& msg);

}  // namespace openlive::room::parse
