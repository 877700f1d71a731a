// The endpoint handlers, grouped by concern. Each takes a parsed request and its authenticated caller and returns
// the reply; each state change is one atomic store mutation, its notifications sent after it.
#pragma once

#include <optional>

#include "request.h"
#include "room_ops.h"
#include "services.h"

namespace openlive::roomd {

// Code 7 when the body's userID is not the caller's (a token acts only for its own user).
std::optional<ApiReply> requireSelf(const ApiRequest& req, const Caller& caller);

// Rooms and their anchors/pushers: URLs, list, create/destroy, add/delete, get, heartbeat.
class RoomHandlers {
 public:
  RoomHandlers(Services& s, RoomOps& ops) : s_(s), ops_(ops) {}
  ApiReply getPushUrl(const ApiRequest& req, const Caller& caller);
  ApiReply getRoomList(const ApiRequest& req, const Caller& caller);
  ApiReply createRoom(const ApiRequest& req, const Caller& caller);
  ApiReply destroyRoom(const ApiRequest& req, const Caller& caller);
  ApiReply addMember(const ApiRequest& req, const Caller& caller);
  ApiReply deleteMember(const ApiRequest& req, const Caller& caller);
  ApiReply getMembers(const ApiRequest& req, const Caller& caller);
  ApiReply heartbeat(const ApiRequest& req, const Caller& caller);

 private:
  Services& s_;
  RoomOps& ops_;
};

// Room extras: stream-mix requests, custom fields, the audience list.
class ExtraHandlers {
 public:
  explicit ExtraHandlers(Services& s) : s_(s) {}
  ApiReply mergeStream(const ApiRequest& req, const Caller& caller);
  ApiReply setCustomField(const ApiRequest& req, const Caller& caller);
  ApiReply getCustomInfo(const ApiRequest& req, const Caller& caller);
  ApiReply addAudience(const ApiRequest& req, const Caller& caller);
  ApiReply deleteAudience(const ApiRequest& req, const Caller& caller);
  ApiReply getAudiences(const ApiRequest& req, const Caller& caller);

 private:
  Services& s_;
};

// Signalling sends: to a room's group, one-to-one.
class MessageHandlers {
 public:
  explicit MessageHandlers(Services& s) : s_(s) {}
  ApiReply sendRoomMsg(const ApiRequest& req, const Caller& caller);
  ApiReply sendC2CMsg(const ApiRequest& req, const Caller& caller);

 private:
  ApiReply publish(Outgoing out);
  Services& s_;
};

}  // namespace openlive::roomd
