#include "clock.h"
#include "handlers.h"
#include "log.h"
#include "room_mix.h"

namespace openlive::roomd {
namespace {

using nlohmann::json;

constexpr int kRoomIdAttempts = 8;  // random room ids tried before giving up (code 11)
constexpr int64_t kMaxListCount = 100;

ApiReply noRoom() { return errorReply(ApiCode::NotCreator, "no such room"); }

std::string kindTag(RoomKind kind) { return std::string(traits(kind).base); }

}  // namespace

std::optional<ApiReply> requireSelf(const ApiRequest& req, const Caller& caller) {
  if (req.str("userID") == caller.userID) return std::nullopt;
  return errorReply(ApiCode::BadToken, "the body's userID is not the token's user");
}

ApiReply RoomHandlers::getPushUrl(const ApiRequest& req, const Caller& caller) {
  if (auto e = requireSelf(req, caller)) return *e;
  auto u = s_.urls.urlsFor(caller.userID);
  return okReply({{"pushURL", u.pushURL}, {"accelerateURL", u.accelerateURL}});
}

ApiReply RoomHandlers::getRoomList(const ApiRequest& req, const Caller&) {
  const int64_t index = req.integer("index", 0), cnt = req.integer("cnt", 0);
  if (index < 0 || cnt < 0) return errorReply(ApiCode::MissingParam, "index and cnt must not be negative");
  json rooms = json::array();
  int64_t seen = 0;
  for (const auto& room : s_.store.listRooms(req.kind)) {
    if (!room.active || room.pushers.empty()) continue;  // only active rooms with an anchor are listed
    if (seen++ < index) continue;
    if (static_cast<int64_t>(rooms.size()) >= std::min(cnt, kMaxListCount)) break;
    rooms.push_back(roomListEntry(room));
  }
  return okReply({{"rooms", std::move(rooms)}});
}

ApiReply RoomHandlers::createRoom(const ApiRequest& req, const Caller& caller) {
  if (auto e = requireSelf(req, caller)) return *e;
  RoomState room;
  room.roomInfo = req.str("roomInfo");
  room.creator = caller.userID;
  room.createdMs = unixMs();
  room.statusCode = static_cast<uint64_t>(room.createdMs);  // a new room never reuses an old room's etags
  const std::string wanted = req.str("roomID");
  for (int attempt = 0; attempt < kRoomIdAttempts; ++attempt) {
    room.roomID = wanted.empty() ? "room_" + randomHex(6) : wanted;
    if (s_.store.createRoom(req.kind, room)) {
      logLine(LogLevel::Info, kindTag(req.kind) + " " + printable(room.roomID) + ": created by " +
                                  printable(caller.userID));
      return okReply({{"roomID", room.roomID}});
    }
    if (!wanted.empty()) break;
  }
  return errorReply(ApiCode::RoomExists, "room exists");
}

ApiReply RoomHandlers::destroyRoom(const ApiRequest& req, const Caller& caller) {
  if (auto e = requireSelf(req, caller)) return *e;
  switch (ops_.destroyRoom(req.kind, req.str("roomID"), caller.userID, "destroyed by its creator", true)) {
    case DestroyOutcome::Destroyed: return okReply();
    case DestroyOutcome::NotCreator: return errorReply(ApiCode::NotCreator, "only the room's creator may destroy it");
    case DestroyOutcome::NoRoom:
    case DestroyOutcome::Kept: break;
  }
  return noRoom();
}

ApiReply RoomHandlers::addMember(const ApiRequest& req, const Caller& caller) {
  if (auto e = requireSelf(req, caller)) return *e;
  const std::string roomID = req.str("roomID");
  auto stream = s_.urls.streamOfPushUrl(req.str("pushURL"));
  if (!stream) return errorReply(ApiCode::MissingParam, "pushURL is not a stream on this service's media server");
  Pusher me{caller.userID,  req.str("userName"), req.str("userAvatar"), req.str("pushURL"),
            s_.urls.accelerateUrlFor(*stream), *stream, unixMs()};
  const size_t capacity = traits(req.kind).capacity;
  enum class Outcome { Added, Refreshed, Unchanged, Full } outcome = Outcome::Added;
  std::vector<std::string> others;
  const bool found = s_.store.mutateRoom(req.kind, roomID, [&](RoomState& room) {
    others = room.pusherIDs(caller.userID);
    for (auto& p : room.pushers) {
      if (p.userID != caller.userID) continue;
      const bool same = p.userName == me.userName && p.userAvatar == me.userAvatar && p.pushURL == me.pushURL;
      outcome = same ? Outcome::Unchanged : Outcome::Refreshed;
      if (same) return Mutation::None;
      me.joinedMs = p.joinedMs;
      p = me;
      ++room.statusCode;
      return Mutation::Write;
    }
    if (room.pushers.size() >= capacity) {
      outcome = Outcome::Full;
      return Mutation::None;
    }
    outcome = Outcome::Added;
    if (!room.active) {  // the first anchor of an inactive room
      room.active = true;
      room.roomCreator = caller.userID;
      room.mixStream = !s_.mixers || req.kind != RoomKind::Live ? "" : mixStreamFor(me.streamName);
      room.mixedPlayURL = s_.urls.mixedPlayUrlFor(room.mixStream.empty() ? me.streamName : room.mixStream);
      if (room.roomInfo.empty()) room.roomInfo = req.str("roomInfo");
    }
    room.pushers.push_back(me);
    ++room.statusCode;
    return Mutation::Write;
  });
  if (!found) return noRoom();
  if (outcome == Outcome::Full)
    return errorReply(ApiCode::Full, "room full (" + std::to_string(capacity) + " " +
                                         (traits(req.kind).anchorNaming ? "anchors" : "pushers") + ")");
  s_.store.touchMember(req.kind, roomID, caller.userID, s_.config.silenceTimeout);
  if (outcome == Outcome::Added)
    logLine(LogLevel::Info, kindTag(req.kind) + " " + printable(roomID) + ": pusher " + printable(caller.userID) +
                                " added");
  if (outcome != Outcome::Unchanged) s_.notifier.pusherChange(req.kind, roomID, std::move(others));
  return okReply();
}

ApiReply RoomHandlers::deleteMember(const ApiRequest& req, const Caller& caller) {
  const std::string roomID = req.str("roomID"), target = req.str("userID");
  if (target != caller.userID) {  // removing someone else: only the room's creator may
    auto room = s_.store.getRoom(req.kind, roomID);
    if (!room) return noRoom();
    if (room->creator != caller.userID && room->roomCreator != caller.userID)
      return errorReply(ApiCode::NotCreator, "only the room's creator may remove another member");
  }
  switch (ops_.removePusher(req.kind, roomID, target, "left")) {
    case RemoveOutcome::Removed: return okReply();
    case RemoveOutcome::NotMember: return errorReply(ApiCode::NotMember, "not a member of the room");
    case RemoveOutcome::NoRoom: break;
  }
  return noRoom();
}

ApiReply RoomHandlers::getMembers(const ApiRequest& req, const Caller&) {
  auto room = s_.store.getRoom(req.kind, req.str("roomID"));
  if (!room) return noRoom();
  return okReply(membersReply(*room));
}

ApiReply RoomHandlers::heartbeat(const ApiRequest& req, const Caller& caller) {
  if (auto e = requireSelf(req, caller)) return *e;
  const std::string roomID = req.str("roomID");
  auto room = s_.store.getRoom(req.kind, roomID);
  if (!room) return noRoom();
  if (!room->findPusher(caller.userID)) return errorReply(ApiCode::NotMember, "not a member of the room");
  s_.store.touchMember(req.kind, roomID, caller.userID, s_.config.silenceTimeout);
  json reply = {{"roomStatusCode", room->statusCode}};
  const bool changed = !req.has("roomStatusCode") ||
                       static_cast<uint64_t>(req.integer("roomStatusCode", 0)) != room->statusCode;
  if (changed) reply["pushers"] = pushersJson(*room);
  return okReply(std::move(reply));
}

}  // namespace openlive::roomd
