// The messages roomd itself sends on the signalling channel (kind "system"), in the rooms.md section 4 shapes:
//   {"cmd":"notifyPusherChange"}                                   to the anchors/pushers, when pushers[] changed
//   {"cmd":"audienceEnter"|"audienceExit","data":{"userID","userInfo"}}   to the anchors/pushers
//   {"cmd":"roomDestroyed","data":{"roomID","reason"}}             to everyone left in the room
// A notification that cannot be published (redis down) is logged, never fails the API call that caused it.
#pragma once

#include <string>
#include <vector>

#include "api.h"
#include "room_state.h"
#include "signal_bus.h"

namespace openlive::roomd {

class Notifier {
 public:
  explicit Notifier(SignalBus& bus) : bus_(bus) {}

  void pusherChange(RoomKind kind, const std::string& roomID, std::vector<std::string> to);
  void audience(RoomKind kind, const std::string& roomID, bool enter, const Audience& who,
                std::vector<std::string> to);
  void roomDestroyed(RoomKind kind, const std::string& roomID, const std::string& reason,
                     std::vector<std::string> to);

 private:
  void send(RoomKind kind, const std::string& roomID, nlohmann::json msg, std::vector<std::string> to);
  SignalBus& bus_;
};

}  // namespace openlive::roomd
