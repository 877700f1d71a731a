// What openlive-roomd itself says about a live room, through its HTTP API (rooms.md section 2): an observer user
// logs in (test UserSig) and asks get_anchors. Short timeouts: during a roomd restart a call fails within ~1 s.
// One thread at a time (the soak's main thread).
#pragma once

#include <optional>
#include <set>
#include <string>

namespace soak {

struct RoomListing {
  std::set<std::string> members;  // pushers[].userID: the anchor and the co-anchors
  std::string creator, mixedPlayURL;
};

class RoomdClient {
 public:
  RoomdClient(std::string baseUrl, std::string user) : base_(std::move(baseUrl)), user_(std::move(user)) {}
  // The room's members; nullopt (with *why) when roomd does not answer or refuses. Logs in again when the token is
  // refused.
  std::optional<RoomListing> getRoom(const std::string& roomID, std::string* why);

 private:
  bool login(std::string* why);
  const std::string base_, user_;
  std::string token_;
};

}  // namespace soak
