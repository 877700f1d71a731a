// SDK-internal client of the RoomService HTTP API (docs/ROOMS.md), one room product per client:
//
//   RoomServiceClient c({.serverUrl = "http://127.0.0.1:8080", .type = RoomType::Live});
//   auto l = c.login(1400000001, "alice", userSig);        // keeps userID + token for every later call
//   auto urls = c.getPushUrl();                            // urls.value.pushURL / accelerateURL
//   auto room = c.createRoom("my room");                   // room.value = roomID
//
// Every call is synchronous on the caller's thread, bounded by Options::timeout (connect, send and receive
// each), and returns a RoomResult: the service's code and message, or a negative code::k* when there was no
// usable reply. cancelAll() (any thread) ends the calls in flight with code::kCanceled: at once once connected,
// at the end of the connect phase otherwise (cpp-httplib connects under its socket lock). Thread-safe: calls may
// run concurrently (each uses its own connection). Nothing secret is logged.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>

#include "room/room_types.h"

namespace httplib {
class Client;
}

namespace openlive::room {

class RoomServiceClient {
 public:
  struct Options {
    std::string serverUrl;  // http://HOST:PORT (no path)
    RoomType type = RoomType::Live;
    std::chrono::milliseconds timeout{5000};
  };
  explicit RoomServiceClient(Options options);
  ~RoomServiceClient();  // cancels what is in flight
  RoomServiceClient(const RoomServiceClient&) = delete;
  RoomServiceClient& operator=(const RoomServiceClient&) = delete;

  RoomResult<LoginInfo> login(uint64_t sdkAppId, const std::string& userID, const std::string& userSig);
  RoomResult<Empty> logout();

  RoomResult<PushUrls> getPushUrl();  // get_anchor_url / get_pusher_url
  RoomResult<std::vector<RoomInfo>> getRoomList(int64_t index, int64_t count);
  RoomResult<std::string> createRoom(const std::string& roomInfo, const std::string& roomID = {});  // -> roomID
  RoomResult<Empty> destroyRoom(const std::string& roomID);
  RoomResult<Empty> addMember(const std::string& roomID, const std::string& userName, const std::string& userAvatar,
                              const std::string& pushURL);  // add_anchor / add_pusher
  // delete_anchor / delete_pusher; `userID` empty = ourselves (another user: the room's creator only).
  RoomResult<Empty> deleteMember(const std::string& roomID, const std::string& userID = {});
  RoomResult<MembersInfo> getMembers(const std::string& roomID);  // get_anchors / get_pushers
  // anchor_heartbeat / pusher_heartbeat; pass the last roomStatusCode to get pushers[] only when it changed.
  RoomResult<HeartbeatInfo> heartbeat(const std::string& roomID, std::optional<uint64_t> roomStatusCode);
  RoomResult<MergeInfo> mergeStream(const std::string& roomID, const nlohmann::json& mergeParams);
  // operation "set" (value string or integer), "inc" / "dec" (integer) -> the room's custom fields.
  RoomResult<nlohmann::json> setCustomField(const std::string& roomID, const std::string& field,
                                            const std::string& operation, const nlohmann::json& value);
  RoomResult<nlohmann::json> getCustomInfo(const std::string& roomID);
  RoomResult<Empty> addAudience(const std::string& roomID, const std::string& userInfo);
  RoomResult<Empty> deleteAudience(const std::string& roomID, const std::string& userID = {});
  RoomResult<std::vector<AudienceInfo>> getAudiences(const std::string& roomID);
  // Signalling sends (the messages arrive on each recipient's SignallingClient).
  RoomResult<SendInfo> sendRoomMessage(const std::string& roomID, const nlohmann::json& msg);
  RoomResult<SendInfo> sendC2CMessage(const std::string& toUserID, const nlohmann::json& msg);

  // Any endpoint with any body (the raw reply object in `value`): for error-path tests and new endpoints.
  RoomResult<nlohmann::json> call(std::string_view endpoint, const std::string& body);

  void cancelAll();

  const std::string& serverUrl() const { return options_.serverUrl; }
  RoomType type() const { return options_.type; }
  std::string userID() const;
  std::string token() const;  // a secret: for the SignallingClient, never for logs
  // Use an existing session (e.g. one login shared by a live_room and a multi_room client).
  void setSession(const std::string& userID, const std::string& token);

 private:
  std::string endpoint(std::string_view anchorName, std::string_view pusherName) const;
  // POST base+name?userID&token with `body`; the reply object (code 0) or the failure.
  RoomResult<nlohmann::json> post(const std::string& name, const nlohmann::json& body);
  RoomResult<nlohmann::json> request(const std::string& method, const std::string& pathAndQuery,
                                     const std::string& body);
  std::shared_ptr<httplib::Client> makeClient();
  void forget(const std::shared_ptr<httplib::Client>& c);

  const Options options_;
  mutable std::mutex mu_;
  std::string userID_, token_;                          // guarded by mu_
  std::set<std::shared_ptr<httplib::Client>> inFlight_;  // guarded by mu_
  uint64_t cancelGeneration_ = 0;                       // guarded by mu_
};

}  // namespace openlive::room
