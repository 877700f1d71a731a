#include <cmath>

#include "clock.h"
#include "handlers.h"
#include "log.h"

namespace openlive::roomd {
namespace {

using nlohmann::json;

// The message (rooms.md section 4) must name its command.
bool hasCmd(const json& msg) {
  auto it = msg.find("cmd");
  return it != msg.end() && it->is_string() && !it->get_ref<const std::string&>().empty();
}

// Sets staleAfterMs from the message's own timestamp; false when that timestamp is already further than the max
// age from the server clock (the message is then dropped, not sent).
bool stampAge(Envelope& env, std::chrono::milliseconds maxAge) {
  auto ts = messageTimestamp(env.msg);
  if (!ts) return true;
  const double tsMs = *ts * 1000.0;
  if (std::fabs(tsMs - static_cast<double>(env.serverTimeMs)) > static_cast<double>(maxAge.count())) return false;
  env.staleAfterMs = static_cast<int64_t>(tsMs) + maxAge.count();
  return true;
}

}  // namespace

ApiReply MessageHandlers::publish(Outgoing out) {
  if (!stampAge(out.env, s_.config.messageMaxAge))
    return okReply({{"dropped", true},
                    {"delivered", 0},
                    {"reason", "timestamp more than " + std::to_string(s_.config.messageMaxAge.count() / 1000) +
                                   " s from the server clock"}});
  const size_t recipients = out.to.size();
  const uint64_t id = recipients ? s_.bus.publish(std::move(out)) : 0;
  return okReply({{"id", id}, {"delivered", recipients}});
}

ApiReply MessageHandlers::sendRoomMsg(const ApiRequest& req, const Caller& caller) {
  const json& msg = req.object("msg");
  if (!hasCmd(msg)) return errorReply(ApiCode::MissingParam, "msg needs a string cmd");
  const std::string roomID = req.str("roomID");
  auto room = s_.store.getRoom(req.kind, roomID);
  if (!room) return errorReply(ApiCode::NotCreator, "no such room");
  if (!room->isMember(caller.userID)) return errorReply(ApiCode::NotMember, "not a member of the room");
  Outgoing out;
  out.to = room->groupMembers(caller.userID);
  out.env.kind = "group";
  out.env.roomType = std::string(traits(req.kind).base);
  out.env.roomID = roomID;
  out.env.from = caller.userID;
  out.env.serverTimeMs = unixMs();
  out.env.msg = msg;
  return publish(std::move(out));
}

ApiReply MessageHandlers::sendC2CMsg(const ApiRequest& req, const Caller& caller) {
  const json& msg = req.object("msg");
  if (!hasCmd(msg)) return errorReply(ApiCode::MissingParam, "msg needs a string cmd");
  const std::string to = req.str("toUserID");
  if (!s_.store.getToken(to)) return errorReply(ApiCode::NotMember, "the recipient is not logged in");
  Outgoing out;
  out.to = {to};
  out.env.kind = "c2c";
  out.env.from = caller.userID;
  out.env.serverTimeMs = unixMs();
  out.env.msg = msg;
  return publish(std::move(out));
}

}  // namespace openlive::roomd
