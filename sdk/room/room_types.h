// SDK-internal types of the RoomService client (docs/ROOMS.md): room products, reply codes, typed results.
// Not a public header: LiveRoom / RtcRoom (later) build their public API on these.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace openlive::room {

enum class RoomType {
  Live,    // /weapp/live_room/   anchor + up to 3 co-anchors + audience
  Double,  // /weapp/double_room/ 1v1
  Multi,   // /weapp/multi_room/  up to 4 members
};
// "/weapp/live_room/" etc.
std::string_view basePath(RoomType type);
// live_room names endpoints after anchors ("add_anchor"), rtc rooms after pushers ("add_pusher").
bool anchorNaming(RoomType type);

// The service's reply codes, and (negative) what went wrong before there was a reply.
namespace code {
inline constexpr int kOk = 0;
inline constexpr int kServiceError = 1;   // the service's store is unavailable; retry later
inline constexpr int kMissingParam = 2;   // missing / malformed parameter, malformed JSON, oversized body
inline constexpr int kNotCreator = 3;     // not the creator, or no such room
inline constexpr int kNotMember = 5;
inline constexpr int kGroupFailed = 6;
inline constexpr int kBadToken = 7;       // not logged in / token not valid
inline constexpr int kRoomExists = 11;    // room id taken, or roomInfo over 1024 bytes
inline constexpr int kFull = 5001;        // room or audience list full
inline constexpr int kTransport = -1;     // no HTTP reply: connect, send or receive failed or timed out
inline constexpr int kCanceled = -2;      // cancelAll() ended the call
inline constexpr int kBadReply = -3;      // a reply that is not the documented JSON
inline constexpr int kNotLoggedIn = -4;   // a call that needs login() first
}  // namespace code

struct Empty {};

template <class T>
struct RoomResult {
  int code = code::kOk;
  std::string message;
  int httpStatus = 0;  // 0 when there was no HTTP reply
  T value{};
  bool ok() const { return code == code::kOk; }
  explicit operator bool() const { return ok(); }
};

struct LoginInfo {
  std::string userID;
  std::string token;
  int64_t serverTimeMs = 0;  // the service's clock at login (signalling timestamps are on this clock)
};

struct PushUrls {
  std::string pushURL;
  std::string accelerateURL;
};

struct PusherInfo {
  std::string userID;
  std::string userName;
  std::string userAvatar;
  std::string accelerateURL;
  bool operator==(const PusherInfo&) const = default;
};

struct RoomInfo {
  std::string roomID;
  std::string roomInfo;
  std::string roomCreator;
  std::string mixedPlayURL;
  std::vector<PusherInfo> pushers;
  nlohmann::json custom = nlohmann::json::object();
  uint64_t audienceCount = 0;
};

struct MembersInfo {
  RoomInfo room;
  uint64_t roomStatusCode = 0;
};

struct HeartbeatInfo {
  uint64_t roomStatusCode = 0;
  std::optional<std::vector<PusherInfo>> pushers;  // only when membership changed since the code sent
};

struct MergeInfo {
  int mergeCode = 0;
  std::string mergeMessage;
  int64_t timestamp = 0;
};

struct AudienceInfo {
  std::string userID;
  std::string userInfo;
};

struct SendInfo {
  uint64_t id = 0;         // the message's event id (0 when nobody was there to receive it)
  uint64_t delivered = 0;  // recipients
  bool dropped = false;    // its timestamp was more than the max age from the service's clock
};

// A signalling message as the channel delivers it (docs/ROOMS.md "Signalling").
struct SignalMessage {
  uint64_t id = 0;
  std::string kind;      // "group", "c2c" or "system"
  std::string roomType;  // "live_room", ... ("" for c2c)
  std::string roomID;
  std::string from;
  int64_t serverTimeMs = 0;
  nlohmann::json msg;    // the rooms.md section 4 JSON
  std::string cmd;       // msg["cmd"] when it is a string
};

}  // namespace openlive::room
