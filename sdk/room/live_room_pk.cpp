// LiveRoom: cross-room PK between two rooms' main anchors (rooms.md sections 4 and 6). Messages are one-to-one
// ("pk" command): a request with action "start" or "stop" carrying the sender's room, name and accelerateURL,
// and a response with result accept / reject (and the responder's accelerateURL). While a PK lasts each main
// anchor asks its room for the PK mix (live_room_mix.cpp).
#include "common/logging.h"
#include "room/live_room_impl.h"
#include "room/room_json.h"

namespace openlive {

using nlohmann::json;

namespace {
constexpr size_t kPKRoomsKept = 64;  // PK senders whose room is remembered
}  // namespace

json LiveRoom::Impl::pkMessage(const char* type, json fields) const {
  std::string ownUrl;
  for (const auto& a : anchors)
    if (a.userID == login.userID) ownUrl = a.accelerateURL;
  json data = {{"type", type},
               {"roomID", roomID},
               {"userID", login.userID},
               {"userName", login.userName},
               {"userAvatar", login.userAvatar},
               {"accelerateURL", ownUrl},
               {"timestamp", serverNowSeconds()}};
  data.update(fields);
  return {{"cmd", "pk"}, {"data", std::move(data)}};
}

void LiveRoom::Impl::doRequestPK(const std::string& userID, std::chrono::milliseconds timeout, PKDone done) {
  auto fail = [&](RoomPKOutcome o, std::string why) {
    cb.post([done, o, why] { done(o, why, RoomMember{}); }, detail::Delivery::Guaranteed);
  };
  if (!mainAnchor()) return fail(RoomPKOutcome::Failed, "only a room's anchor can ask for a PK");
  if (pendingPK || pkPeer) return fail(RoomPKOutcome::Failed, "a PK is already running or being asked for");
  if (userID == login.userID || userID.empty()) return fail(RoomPKOutcome::Failed, "no such anchor");
  auto sent = service->sendC2CMessage(userID, pkMessage("request", {{"action", "start"}}));
  if (!sent.ok() || sent.value.delivered == 0)
    return fail(RoomPKOutcome::Failed, sent.ok() ? "the other anchor is not connected"
                                                 : "send_c2c_msg: " + std::to_string(sent.code) + " " + sent.message);
  pendingPK = std::move(done);
  pkPendingTo = userID;
  std::weak_ptr<Impl> weak = weak_from_this();
  const uint64_t g = gen;
  pkTimer = worker.postAfter(timeout, [weak, g] {
    auto self = weak.lock();
    if (self && self->gen == g && self->pendingPK)
      self->finishRequestPK(RoomPKOutcome::TimedOut, "the other anchor did not answer in time", {});
  });
}

void LiveRoom::Impl::finishRequestPK(RoomPKOutcome o, const std::string& reason, const RoomMember& peer) {
  auto done = std::move(pendingPK);
  pendingPK = nullptr;
  pkPendingTo.clear();
  worker.cancel(pkTimer);
  if (o == RoomPKOutcome::Accepted) {
    pkPeer = peer;
    pkPeerRoom = pkRoomOf[peer.userID];
    requestMix();
  }
  if (done) cb.post([done, o, reason, peer] { done(o, reason, peer); }, detail::Delivery::Guaranteed);
}

void LiveRoom::Impl::doResponsePK(const std::string& userID, bool agree, const std::string& reason) {
  auto it = pkAsking.find(userID);
  if (it == pkAsking.end() || !service) return;
  const RoomMember peer = it->second;
  pkAsking.erase(it);
  agree = agree && mainAnchor() && !pkPeer && !pendingPK;
  auto sent = service->sendC2CMessage(
      userID, pkMessage("response", {{"result", agree ? "accept" : "reject"}, {"reason", reason}}));
  if (!sent.ok()) {
    detail::logMessage(LogLevel::Warning, "room", "PK response failed: " + sent.message);
    return;
  }
  if (!agree) return;
  pkPeer = peer;
  pkPeerRoom = pkRoomOf[peer.userID];
  requestMix();
}

void LiveRoom::Impl::checkPKPeer() {
  if (!pkPeer || pkPeerRoom.empty() || !service) return;
  auto m = service->getMembers(pkPeerRoom);
  bool gone = m.code == room::code::kNotCreator;  // "no such room": its anchor left and the room ended
  if (m.ok()) {
    gone = true;
    for (const auto& p : m.value.room.pushers)
      if (p.userID == pkPeer->userID) gone = false;
  }
  if (!gone) return;  // there, or no answer (our own link: the next heartbeat asks again)
  const RoomMember who = *pkPeer;
  detail::logMessage(LogLevel::Warning, "room",
                     "PK peer " + who.userID + " is no longer in room " + pkPeerRoom + ": the PK ends");
  endPK(false);
  requestMix();
  notify([who](const LiveRoomCallbacks& c) {
    if (c.onQuitRoomPK) c.onQuitRoomPK(who);
  });
}

void LiveRoom::Impl::doQuitPK(const Done& done) {
  if (!pkPeer) return complete(done, Result::failure(ResultCode::WrongState, "no PK is running"));
  endPK(true);
  requestMix();
  complete(done, Result::success());
}

void LiveRoom::Impl::endPK(bool tellPeer) {
  if (pendingPK)
    finishRequestPK(RoomPKOutcome::Canceled, "the PK request ended (exitRoom or quitRoomPK)", {});
  pkAsking.clear();
  if (!pkPeer) return;
  const std::string peer = pkPeer->userID;
  pkPeer.reset();
  pkPeerRoom.clear();
  stopRemote(peer);
  if (tellPeer && service) (void)service->sendC2CMessage(peer, pkMessage("request", {{"action", "stop"}}));
}

void LiveRoom::Impl::onPK(const room::SignalMessage& m) {
  if (m.kind != "c2c" || m.from.empty()) return;
  const json data = room::parse::dataOf(m.msg);
  RoomMember who{m.from, room::parse::stringField(data, "userName"), room::parse::stringField(data, "userAvatar"), room::parse::stringField(data, "accelerateURL")};
  const std::string type = room::parse::stringField(data, "type"), action = room::parse::stringField(data, "action");
  if (const std::string room = room::parse::stringField(data, "roomID"); !room.empty()) {
    if (pkRoomOf.size() >= kPKRoomsKept && !pkRoomOf.count(m.from)) pkRoomOf.clear();  // bounded: start over
    pkRoomOf[m.from] = room;
  }
  if (type == "request" && action == "start") {
    if (!mainAnchor() || who.accelerateURL.empty()) {  // not an anchor now: refused at once
      (void)service->sendC2CMessage(m.from, pkMessage("response", {{"result", "reject"}, {"reason", "not available"}}));
      return;
    }
    pkAsking[who.userID] = who;
    notify([who](const LiveRoomCallbacks& c) {
      if (c.onRequestRoomPK) c.onRequestRoomPK(who);
    });
  } else if (type == "response" && pendingPK && m.from == pkPendingTo) {
    const bool accepted = room::parse::stringField(data, "result") == "accept" && !who.accelerateURL.empty();
    finishRequestPK(accepted ? RoomPKOutcome::Accepted : RoomPKOutcome::Rejected, room::parse::stringField(data, "reason"), who);
  } else if (type == "request" && action == "stop" && pkPeer && pkPeer->userID == m.from) {
    endPK(false);
    requestMix();
    notify([who](const LiveRoomCallbacks& c) {
      if (c.onQuitRoomPK) c.onQuitRoomPK(who);
    });
  }
}

}  // namespace openlive
