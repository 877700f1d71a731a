// Membership changes shared by the API (delete_anchor, destroy_room) and the liveness sweep: each is one atomic
// store mutation followed by the notifications it calls for.
#pragma once

#include <functional>
#include <string>

#include "services.h"

namespace openlive::roomd {

enum class RemoveOutcome { Removed, NoRoom, NotMember };
enum class DestroyOutcome { Destroyed, NoRoom, NotCreator, Kept };

class RoomOps {
 public:
  explicit RoomOps(Services& s) : s_(s) {}

  // Removes pusher `userID`; the remaining pushers get notifyPusherChange; a room left without pushers is deleted
  // and its audience told (roomDestroyed).
  RemoveOutcome removePusher(RoomKind kind, const std::string& roomID, const std::string& userID,
                             const std::string& why);

  // Deletes the room and tells everyone in it but `by`. With `requireCreator`, only its creator (or roomCreator)
  // may; `onlyIf` (optional) is re-checked atomically (the sweep: "still empty").
  DestroyOutcome destroyRoom(RoomKind kind, const std::string& roomID, const std::string& by,
                             const std::string& reason, bool requireCreator,
                             const std::function<bool(const RoomState&)>& onlyIf = nullptr);

 private:
  Services& s_;
};

}  // namespace openlive::roomd
