#include "room_ops.h"

#include <algorithm>

#include "log.h"
#include "room_mix.h"

namespace openlive::roomd {

RemoveOutcome RoomOps::removePusher(RoomKind kind, const std::string& roomID, const std::string& userID,
                                    const std::string& why) {
  bool member = false, erased = false;
  std::vector<std::string> pushers, audience;
  const bool found = s_.store.mutateRoom(kind, roomID, [&](RoomState& room) {
    member = room.findPusher(userID) != nullptr;
    erased = false;
    if (!member) return Mutation::None;
    std::erase_if(room.pushers, [&](const Pusher& p) { return p.userID == userID; });
    ++room.statusCode;
    pushers = room.pusherIDs();
    audience = room.groupMembers(userID);
    erased = room.pushers.empty();
    return erased ? Mutation::Erase : Mutation::Write;
  });
  if (!found) return RemoveOutcome::NoRoom;
  if (!member) return RemoveOutcome::NotMember;
  s_.store.forgetMember(kind, roomID, userID);
  logLine(LogLevel::Info, std::string(traits(kind).base) + " " + printable(roomID) + ": pusher " +
                              printable(userID) + " removed (" + why + ")" + (erased ? ", room deleted" : ""));
  if (erased && s_.mixers) s_.mixers->stop(mixKey(kind, roomID), "the room is empty");
  if (erased)
    s_.notifier.roomDestroyed(kind, roomID, "empty", std::move(audience));
  else
    s_.notifier.pusherChange(kind, roomID, std::move(pushers));
  return RemoveOutcome::Removed;
}

DestroyOutcome RoomOps::destroyRoom(RoomKind kind, const std::string& roomID, const std::string& by,
                                    const std::string& reason, bool requireCreator,
                                    const std::function<bool(const RoomState&)>& onlyIf) {
  DestroyOutcome outcome = DestroyOutcome::Destroyed;
  std::vector<std::string> everyone, pushers;
  const bool found = s_.store.mutateRoom(kind, roomID, [&](RoomState& room) {
    if (requireCreator && room.creator != by && room.roomCreator != by) {
      outcome = DestroyOutcome::NotCreator;
      return Mutation::None;
    }
    if (onlyIf && !onlyIf(room)) {
      outcome = DestroyOutcome::Kept;
      return Mutation::None;
    }
    outcome = DestroyOutcome::Destroyed;
    everyone = room.groupMembers(by);
    pushers = room.pusherIDs();
    return Mutation::Erase;
  });
  if (!found) return DestroyOutcome::NoRoom;
  if (outcome != DestroyOutcome::Destroyed) return outcome;
  for (const auto& p : pushers) s_.store.forgetMember(kind, roomID, p);
  if (s_.mixers) s_.mixers->stop(mixKey(kind, roomID), reason);
  logLine(LogLevel::Info, std::string(traits(kind).base) + " " + printable(roomID) + ": destroyed (" + reason + ")");
  s_.notifier.roomDestroyed(kind, roomID, reason, std::move(everyone));
  return DestroyOutcome::Destroyed;
}

}  // namespace openlive::roomd
