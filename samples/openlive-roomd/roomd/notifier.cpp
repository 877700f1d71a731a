#include "notifier.h"

#include "clock.h"
#include "log.h"
#include "store.h"

namespace openlive::roomd {

void Notifier::send(RoomKind kind, const std::string& roomID, nlohmann::json msg, std::vector<std::string> to) {
  if (to.empty()) return;
  Outgoing out;
  out.to = std::move(to);
  out.env.kind = "system";
  out.env.roomType = std::string(traits(kind).base);
  out.env.roomID = roomID;
  out.env.serverTimeMs = unixMs();
  out.env.msg = std::move(msg);
  try {
    bus_.publish(std::move(out));
  } catch (const StoreUnavailable& e) {
    logLine(LogLevel::Error, "notification for room " + printable(roomID) + " lost: " + e.what());
  }
}

void Notifier::pusherChange(RoomKind kind, const std::string& roomID, std::vector<std::string> to) {
  send(kind, roomID, {{"cmd", "notifyPusherChange"}}, std::move(to));
}

void Notifier::audience(RoomKind kind, const std::string& roomID, bool enter, const Audience& who,
                        std::vector<std::string> to) {
  send(kind, roomID,
       {{"cmd", enter ? "audienceEnter" : "audienceExit"},
        {"data", {{"userID", who.userID}, {"userInfo", who.userInfo}}}},
       std::move(to));
}

void Notifier::roomDestroyed(RoomKind kind, const std::string& roomID, const std::string& reason,
                             std::vector<std::string> to) {
  send(kind, roomID, {{"cmd", "roomDestroyed"}, {"data", {{"roomID", roomID}, {"reason", reason}}}}, std::move(to));
}

}  // namespace openlive::roomd
