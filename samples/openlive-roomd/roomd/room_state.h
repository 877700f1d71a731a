// One room as the store keeps it (a JSON document in redis, a struct in memory), and the reply shapes built from it.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace openlive::roomd {

struct Pusher {
  std::string userID;
  std::string userName;
  std::string userAvatar;
  std::string pushURL;        // as the member gave it (signed; never logged)
  std::string accelerateURL;  // signed low-latency play URL of that stream
  std::string streamName;     // the stream the media server callbacks name
  int64_t joinedMs = 0;
};

struct Audience {
  std::string userID;
  std::string userInfo;  // JSON text: userName, userAvatar
};

struct RoomState {
  std::string roomID;
  std::string roomInfo;
  std::string creator;      // who called create_room (may destroy it)
  std::string roomCreator;  // the first anchor added (rooms.md: becomes roomCreator)
  std::string mixedPlayURL;
  std::string mixStream;    // the audience stream a mixer publishes (empty: the audience plays the anchor's)
  bool active = false;      // false until the first anchor is added
  int64_t createdMs = 0;
  uint64_t statusCode = 0;  // the roomStatusCode etag: changes whenever pushers[] changes
  std::vector<Pusher> pushers;
  std::vector<Audience> audiences;
  nlohmann::json custom = nlohmann::json::object();  // set_custom_field values (strings or integers)
  nlohmann::json mix;                                // the last accepted mergeParams (null: none)

  const Pusher* findPusher(const std::string& userID) const;
  bool hasAudience(const std::string& userID) const;
  bool isMember(const std::string& userID) const { return findPusher(userID) || hasAudience(userID); }
  // Everyone in the room's message group (pushers + audience), minus `except`.
  std::vector<std::string> groupMembers(const std::string& except = {}) const;
  std::vector<std::string> pusherIDs(const std::string& except = {}) const;
};

nlohmann::json toJson(const RoomState& room);
// nullopt when the document is not a room (a corrupt or foreign redis value).
std::optional<RoomState> roomFromJson(const nlohmann::json& doc);

// pushers[] as replies carry it: userID, userName, userAvatar, accelerateURL.
nlohmann::json pushersJson(const RoomState& room);
// get_anchors / get_pushers reply fields (without code/message).
nlohmann::json membersReply(const RoomState& room);
// One get_room_list entry.
nlohmann::json roomListEntry(const RoomState& room);

}  // namespace openlive::roomd
