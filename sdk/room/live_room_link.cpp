// LiveRoom: join-anchor requests and links, remote views, and the signalling messages (rooms.md section 4).
#include <chrono>

#include "common/logging.h"
#include "room/live_room_impl.h"
#include "room/room_json.h"

namespace openlive {

namespace code = room::code;
using namespace std::chrono_literals;
using nlohmann::json;

using room::parse::dataOf;
constexpr auto str = room::parse::stringField;

RoomMember LiveRoom::Impl::memberFromLinkMic(const json& data, const std::string& from) const {
  RoomMember m;
  m.userID = from.empty() ? str(data, "userID") : from;
  m.userName = str(data, "userName");
  m.userAvatar = str(data, "userAvatar");
  return m;
}

// ---- audience: request to link ----

void LiveRoom::Impl::doRequestJoin(const std::string& reason, std::chrono::milliseconds timeout,
                                   std::function<void(JoinAnchorOutcome, const std::string&)> done) {
  auto fail = [&](JoinAnchorOutcome o, std::string why) {
    cb.post([done, o, why] { done(o, why); }, detail::Delivery::Guaranteed);
  };
  if (role != Role::Audience) return fail(JoinAnchorOutcome::Failed, "only an audience member can ask to join");
  if (pendingRequest) return fail(JoinAnchorOutcome::Failed, "a join request is already pending");
  const json msg{{"cmd", "linkmic"},
                 {"data",
                  {{"type", "request"},
                   {"roomID", roomID},
                   {"userID", login.userID},
                   {"userName", login.userName},
                   {"userAvatar", login.userAvatar},
                   {"reason", reason},
                   {"timestamp", serverNowSeconds()}}}};
  auto sent = service->sendC2CMessage(roomCreator, msg);
  if (!sent.ok() || sent.value.delivered == 0)
    return fail(JoinAnchorOutcome::Failed,
                sent.ok() ? "the anchor is not connected" : "send_c2c_msg: " + std::to_string(sent.code) + " " + sent.message);
  pendingRequest = std::move(done);
  std::weak_ptr<Impl> weak = weak_from_this();
  const uint64_t g = gen;
  requestTimer = worker.postAfter(timeout, [weak, g] {
    auto self = weak.lock();
    if (self && self->gen == g && self->pendingRequest)
      self->finishRequestJoin(JoinAnchorOutcome::TimedOut, "the anchor did not answer in time");
  });
}

void LiveRoom::Impl::finishRequestJoin(JoinAnchorOutcome o, const std::string& reason) {
  auto done = std::move(pendingRequest);
  pendingRequest = nullptr;
  worker.cancel(requestTimer);
  if (done) cb.post([done, o, reason] { done(o, reason); }, detail::Delivery::Guaranteed);
}

void LiveRoom::Impl::doResponseJoin(const std::string& userID, bool agree, const std::string& reason) {
  if (role != Role::Anchor || !service) return;
  const json msg{{"cmd", "linkmic"},
                 {"data",
                  {{"type", "response"},
                   {"roomID", roomID},
                   {"result", agree ? "accept" : "reject"},
                   {"reason", reason},
                   {"timestamp", serverNowSeconds()}}}};
  auto sent = service->sendC2CMessage(userID, msg);
  if (!sent.ok()) detail::logMessage(LogLevel::Warning, "room", "linkmic response to a member failed: " + sent.message);
}

// ---- co-anchor: link / unlink ----

void LiveRoom::Impl::doJoinAnchor(const Done& done) {
  if (role != Role::Audience)
    return complete(done, Result::failure(ResultCode::WrongState, "joinAnchor: enterRoom() as audience first"));
  if (pendingJoinAnchor) return complete(done, Result::failure(ResultCode::Busy, "joinAnchor is already running"));
  auto urls = service->getPushUrl();
  if (!urls.ok()) return complete(done, serviceFailure(urls.code, "get_anchor_url: " + urls.message, EventCode::ROOM_ERR_SERVICE));
  pushURL = urls.value.pushURL;
  pendingJoinAnchor = done;
  if (!startPush(config.coAnchorPush))
    finishJoinAnchor(false, Result::failure(ResultCode::InvalidArgument, "the link-mic pusher did not start (check "
                                                                         "LiveRoomConfig::coAnchorPush)"));
}

void LiveRoom::Impl::doEnterRtc(const std::string& id, const Done& done) {
  auto members = roomToEnter(id, done);
  if (!members) return;
  auto urls = service->getPushUrl();
  if (!urls.ok()) return complete(done, serviceFailure(urls.code, "get_pusher_url: " + urls.message, EventCode::ROOM_ERR_ENTER_ROOM));
  roomID = id;
  roomCreator = members->room.roomCreator;
  pushURL = urls.value.pushURL;
  role = Role::Audience;  // not a member until add_pusher answered (finishJoinAnchor)
  pendingJoinAnchor = done;
  if (!startPush(config.coAnchorPush))
    finishJoinAnchor(false, Result::failure(ResultCode::InvalidArgument, "the pusher did not start (check RtcRoomConfig::push)"));
}

// After the co-anchor's first 1002: add_anchor (5001 when 1 + 3 anchors are there), leave the audience.
void LiveRoom::Impl::finishJoinAnchor(bool pushOk, const Result& why) {
  auto done = std::move(pendingJoinAnchor);
  pendingJoinAnchor = nullptr;
  Result r = why;
  if (pushOk) {
    auto added = service->addMember(roomID, login.userName, login.userAvatar, pushURL);
    r = added.ok() ? Result::success() : serviceFailure(added.code, "add_anchor: " + added.message, EventCode::ROOM_ERR_SERVICE);
  }
  if (!r.ok()) {
    pusher.reset();
    if (rtc()) {  // an rtc member that could not join is in no room
      ++gen;
      role = Role::None;
      roomID.clear();
      roomCreator.clear();
      publishSnapshot();
    }
    return complete(done, r);
  }
  mixPlayer.reset();  // a co-anchor plays the anchors directly (RTC), not the mix
  if (inService) (void)service->deleteAudience(roomID);
  inService = true;
  role = Role::CoAnchor;
  anchors.clear();
  refreshAnchors();
  scheduleHeartbeat(3s);
  complete(done, Result::success());
}

void LiveRoom::Impl::doQuitJoinAnchor(const Done& done, bool kicked) {
  if (role != Role::CoAnchor && !pendingJoinAnchor)
    return complete(done, Result::failure(ResultCode::WrongState, "not linked"));
  if (pendingJoinAnchor)
    finishJoinAnchor(false, Result::failure(ResultCode::Canceled, "quitJoinAnchor() ended it", EventCode::ROOM_ERR_CANCELED));
  ++gen;  // the link's push events and heartbeat end here
  worker.cancel(heartbeatTimer);
  remotes.clear();
  pusher.reset();
  if (role == Role::CoAnchor && !kicked) (void)service->deleteMember(roomID);
  role = Role::Audience;
  anchors.clear();
  const json userInfo{{"userName", login.userName}, {"userAvatar", login.userAvatar}};
  inService = service->addAudience(roomID, userInfo.dump()).ok();
  const bool playing = startMixPlayer();
  publishSnapshot();
  complete(done, playing ? Result::success()
                         : Result::failure(ResultCode::Failed, "the room's play URL was refused by the player"));
}

void LiveRoom::Impl::doKickout(const std::string& userID) {
  if (role != Role::Anchor || !service) return;
  const json msg{{"cmd", "linkmic"}, {"data", {{"type", "kickout"}, {"roomID", roomID}, {"timestamp", serverNowSeconds()}}}};
  (void)service->sendC2CMessage(userID, msg);
  auto r = service->deleteMember(roomID, userID);
  if (r.ok()) refreshAnchors();
}

// ---- remote views ----

void LiveRoom::Impl::doStartRemoteView(const std::string& userID, RemoteView view, const Done& done) {
  if (role != Role::Anchor && role != Role::CoAnchor)
    return complete(done, Result::failure(ResultCode::WrongState, "startRemoteView: anchors and co-anchors only"));
  const room::PusherInfo* who = nullptr;
  for (const auto& a : anchors)
    if (a.userID == userID) who = &a;
  room::PusherInfo peer;
  if (!who && pkPeer && pkPeer->userID == userID) {  // the other room's anchor during a PK
    peer.userID = userID;
    peer.accelerateURL = pkPeer->accelerateURL;
    who = &peer;
  }
  if (!who || who->accelerateURL.empty())
    return complete(done, Result::failure(ResultCode::InvalidArgument, "no anchor '" + userID + "' in the room",
                                          EventCode::ROOM_ERR_INVALID_PARAM));
  auto player = makePlayer(PlayConfig{}, view, userID);
  Result r = player->start(who->accelerateURL, PlayType::Rtc);
  if (r) remotes[userID].player = std::move(player);
  complete(done, r);
}

// A player of `pc` with the view's outputs and callbacks; its errors become ROOM_WARNING_REMOTE_PLAY_FAIL.
std::unique_ptr<LivePlayer> LiveRoom::Impl::makePlayer(PlayConfig pc, const RemoteView& view, const std::string& who) {
  pc.video = view.video;
  pc.audio = view.audio;
  auto player = std::make_unique<LivePlayer>(pc);
  player->setMute(allRemoteMute);
  if (view.onVideoFrame) player->setVideoFrameCallback(view.onVideoFrame);
  std::weak_ptr<Impl> weak = weak_from_this();
  player->setEventCallback([weak, who, appCb = view.onEvent](const Event& e) {
    if (appCb) appCb(e);
    auto self = weak.lock();
    if (self && isErrorEvent(e.code)) {
      const std::string why = who + ": " + std::string(eventName(e.code)) + " " + e.message();
      self->notify([why](const LiveRoomCallbacks& c) {
        if (c.onWarning) c.onWarning(EventCode::ROOM_WARNING_REMOTE_PLAY_FAIL, why);
      });
    }
  });
  return player;
}

void LiveRoom::Impl::stopRemote(const std::string& userID) { remotes.erase(userID); }

// ---- signalling ----

void LiveRoom::Impl::sendRoomMsg(const json& msg, const Done& done) {
  if (role == Role::None || !service) return complete(done, Result::failure(ResultCode::WrongState, "not in a room"));
  auto sent = service->sendRoomMessage(roomID, msg);
  complete(done, sent.ok() ? Result::success() : serviceFailure(sent.code, "send_room_msg: " + sent.message, EventCode::ROOM_ERR_SERVICE));
}

void LiveRoom::Impl::onSignal(const room::SignalMessage& m) {
  if (m.kind == "system") return onSystemSignal(m);
  if (m.cmd == "linkmic") return onLinkMic(m);
  if (m.cmd == "pk") return onPK(m);
  if (m.kind != "group" || m.roomID != roomID || role == Role::None) return;
  const json data = dataOf(m.msg);
  if (m.cmd == "CustomTextMsg") {
    RoomMember from{m.from, str(data, "nickName"), str(data, "headPic"), {}};
    notify([rid = m.roomID, from, text = str(data, "text")](const LiveRoomCallbacks& c) {
      if (c.onRecvRoomTextMsg) c.onRecvRoomTextMsg(rid, from, text);
    });
  } else if (m.cmd == "CustomCmdMsg") {
    RoomMember from{m.from, str(data, "userName"), str(data, "userAvatar"), {}};
    notify([rid = m.roomID, from, cmd = str(data, "cmd"), msg = str(data, "msg")](const LiveRoomCallbacks& c) {
      if (c.onRecvRoomCustomMsg) c.onRecvRoomCustomMsg(rid, from, cmd, msg);
    });
  }
}

void LiveRoom::Impl::onSystemSignal(const room::SignalMessage& m) {
  if (m.roomID != roomID || role == Role::None) return;
  const json data = dataOf(m.msg);
  if (m.cmd == "notifyPusherChange") return refreshAnchors();
  if (m.cmd == "audienceEnter" || m.cmd == "audienceExit") {
    RoomMember who{str(data, "userID"), {}, {}, {}};
    const json info = json::parse(str(data, "userInfo"), nullptr, false);
    if (info.is_object()) who.userName = str(info, "userName"), who.userAvatar = str(info, "userAvatar");
    const bool enter = m.cmd == "audienceEnter";
    return notify([who, enter](const LiveRoomCallbacks& c) {
      if (enter && c.onAudienceEnter) c.onAudienceEnter(who);
      if (!enter && c.onAudienceExit) c.onAudienceExit(who);
    });
  }
  if (m.cmd == "roomDestroyed" && role != Role::Anchor) {
    const std::string id = roomID;
    inService = false;  // the room is gone: nothing to leave
    doExit(nullptr, true);
    notify([id](const LiveRoomCallbacks& c) {
      if (c.onRoomDestroy) c.onRoomDestroy(id);
    });
  }
}

void LiveRoom::Impl::onLinkMic(const room::SignalMessage& m) {
  if (m.kind != "c2c") return;
  const json data = dataOf(m.msg);
  if (str(data, "roomID") != roomID || roomID.empty()) return;
  const std::string type = str(data, "type");
  if (type == "request" && role == Role::Anchor) {
    RoomMember who = memberFromLinkMic(data, m.from);
    notify([who, reason = str(data, "reason")](const LiveRoomCallbacks& c) {
      if (c.onRequestJoinAnchor) c.onRequestJoinAnchor(who, reason);
    });
  } else if (type == "response" && pendingRequest && m.from == roomCreator) {
    const bool accepted = str(data, "result") == "accept";
    finishRequestJoin(accepted ? JoinAnchorOutcome::Accepted : JoinAnchorOutcome::Rejected, str(data, "reason"));
  } else if (type == "kickout" && role == Role::CoAnchor && m.from == roomCreator) {
    doQuitJoinAnchor(nullptr, true);
    notify([](const LiveRoomCallbacks& c) {
      if (c.onKickoutJoinAnchor) c.onKickoutJoinAnchor();
    });
  }
}

}  // namespace openlive
