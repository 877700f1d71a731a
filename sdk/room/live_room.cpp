// LiveRoom facade: validates nothing itself, posts every call to the room's worker (room/live_room_impl.*).
#include <openlive/live_room.h>

#include "room/live_room_impl.h"

namespace openlive {

std::string_view toString(JoinAnchorOutcome o) noexcept {
  switch (o) {
    case JoinAnchorOutcome::Accepted: return "accepted";
    case JoinAnchorOutcome::Rejected: return "rejected";
    case JoinAnchorOutcome::TimedOut: return "timed out";
    case JoinAnchorOutcome::Failed: return "failed";
    case JoinAnchorOutcome::Canceled: return "canceled";
  }
  return "unknown";
}

LiveRoomConfig::LiveRoomConfig() {
  anchorPush.mode = PushMode::RTC;
  coAnchorPush.mode = PushMode::RTC;  // the small link-mic picture (rooms.md section 5)
  coAnchorPush.width = 320;
  coAnchorPush.height = 480;
  coAnchorPush.landscape = false;
  coAnchorPush.bitrateKbps = 350;
  coAnchorPush.minBitrateKbps = 200;
  coAnchorPush.maxBitrateKbps = 400;
  linkedAnchorPush.emplace();
  linkedAnchorPush->mode = PushMode::LinkMicMain;  // rooms.md section 5: "link-mic main" while linked
  audiencePlay.autoAdjustCache = false;  // the audience buffer is fixed at about 2 s
  audiencePlay.cacheTime = std::chrono::milliseconds(2000);
  audiencePlay.minCacheTime = std::chrono::milliseconds(2000);
  audiencePlay.maxCacheTime = std::chrono::milliseconds(2000);
}

LiveRoom::LiveRoom(LiveRoomConfig config) : impl_(std::make_shared<Impl>(std::move(config))) {}

LiveRoom::~LiveRoom() {
  if (impl_) impl_->shutdown();
}

void LiveRoom::setCallbacks(LiveRoomCallbacks callbacks) {
  std::lock_guard lk(impl_->mu);
  impl_->callbacks = std::move(callbacks);
}

void LiveRoom::login(RoomLoginParams params, Completion done) {
  impl_->post([params = std::move(params), done](Impl& s) mutable { s.doLogin(std::move(params), done); }, done);
}

void LiveRoom::logout(Completion done) {
  impl_->post([done](Impl& s) { s.doLogout(done); }, done);
}

void LiveRoom::Impl::doGetRoomList(int64_t index, int64_t count,
                                   const std::function<void(const Result&, const std::vector<RoomSummary>&)>& done) {
  std::vector<RoomSummary> out;
  Result r;
  if (!service) {
    r = Result::failure(ResultCode::NotLoggedIn, "login() first");
  } else if (auto list = service->getRoomList(index, count); !list.ok()) {
    r = serviceFailure(list.code, "get_room_list: " + list.message, EventCode::ROOM_ERR_SERVICE);
  } else {
    for (auto& room : list.value) {
      RoomSummary sum{room.roomID, room.roomInfo, room.roomCreator, room.mixedPlayURL, {}, room.audienceCount};
      for (auto& p : room.pushers) sum.anchors.push_back({p.userID, p.userName, p.userAvatar, p.accelerateURL});
      out.push_back(std::move(sum));
    }
  }
  cb.post([done, r, out = std::move(out)] { done(r, out); }, detail::Delivery::Guaranteed);
}

void LiveRoom::Impl::doMuteLocal(bool mute) {
  localMute = mute;
  if (pusher) pusher->setMute(mute);
}

void LiveRoom::Impl::doMuteRemote(const std::string& userID, bool mute) {
  auto it = remotes.find(userID);
  if (it != remotes.end() && it->second.player) it->second.player->setMute(mute);
}

void LiveRoom::Impl::doMuteAllRemote(bool mute) {
  allRemoteMute = mute;
  for (auto& [id, r] : remotes)
    if (r.player) r.player->setMute(mute);
  if (mixPlayer) mixPlayer->setMute(mute);
}

void LiveRoom::Impl::doSendText(const std::string& text, const Done& done) {
  const nlohmann::json msg{{"cmd", "CustomTextMsg"},
                           {"data", {{"nickName", login.userName}, {"headPic", login.userAvatar}, {"text", text}}}};
  sendRoomMsg(msg, done);
}

void LiveRoom::Impl::doSendCustom(const std::string& cmd, const std::string& message, const Done& done) {
  const nlohmann::json msg{
      {"cmd", "CustomCmdMsg"},
      {"data", {{"cmd", cmd}, {"msg", message}, {"userName", login.userName}, {"userAvatar", login.userAvatar}}}};
  sendRoomMsg(msg, done);
}

void LiveRoom::getRoomList(int64_t index, int64_t count,
                           std::function<void(const Result&, const std::vector<RoomSummary>&)> done) {
  impl_->post([index, count, done](Impl& s) { s.doGetRoomList(index, count, done); },
              [done](const Result& r) { done(r, {}); });
}

void LiveRoom::getAudienceList(std::function<void(const Result&, const std::vector<RoomMember>&)> done) {
  auto refused = [done](const Result& r) { done(r, {}); };
  impl_->post(
      [done](Impl& s) {
        std::vector<RoomMember> out;
        Result r;
        if (s.role == Impl::Role::None) {
          r = Result::failure(ResultCode::WrongState, "not in a room");
        } else if (auto list = s.service->getAudiences(s.roomID); !list.ok()) {
          r = s.serviceFailure(list.code, "get_audiences: " + list.message, EventCode::ROOM_ERR_SERVICE);
        } else {
          for (auto& a : list.value) {
            RoomMember m{a.userID, {}, {}, {}};
            const auto info = nlohmann::json::parse(a.userInfo, nullptr, false);
            if (info.is_object()) {
              m.userName = info.value("userName", "");
              m.userAvatar = info.value("userAvatar", "");
            }
            out.push_back(std::move(m));
          }
        }
        s.cb.post([done, r, out = std::move(out)] { done(r, out); }, detail::Delivery::Guaranteed);
      },
      refused);
}

void LiveRoom::createRoom(const std::string& roomID, const std::string& roomInfo,
                          std::function<void(const Result&, const std::string& roomID)> done) {
  auto refused = [done](const Result& r) { done(r, {}); };
  impl_->post([roomID, roomInfo, done](Impl& s) { s.doCreate(roomID, roomInfo, done); }, refused);
}

void LiveRoom::enterRoom(const std::string& roomID, RemoteView view, Completion done) {
  impl_->post([roomID, view = std::move(view), done](Impl& s) mutable { s.doEnter(roomID, std::move(view), done); },
              done);
}

void LiveRoom::exitRoom(Completion done) {
  impl_->post([done](Impl& s) { s.doExit(done, false); }, done);
}

void LiveRoom::requestJoinAnchor(const std::string& reason, std::chrono::milliseconds timeout,
                                 std::function<void(JoinAnchorOutcome, const std::string&)> done) {
  auto refused = [done](const Result& r) { done(JoinAnchorOutcome::Failed, r.message); };
  if (timeout <= std::chrono::milliseconds::zero()) timeout = impl_->config.joinAnchorTimeout;
  impl_->post([reason, timeout, done](Impl& s) { s.doRequestJoin(reason, timeout, done); }, refused);
}

void LiveRoom::responseJoinAnchor(const std::string& userID, bool agree, const std::string& reason) {
  impl_->post([userID, agree, reason](Impl& s) { s.doResponseJoin(userID, agree, reason); });
}

void LiveRoom::joinAnchor(Completion done) {
  impl_->post([done](Impl& s) { s.doJoinAnchor(done); }, done);
}

void LiveRoom::quitJoinAnchor(Completion done) {
  impl_->post([done](Impl& s) { s.doQuitJoinAnchor(done, false); }, done);
}

void LiveRoom::kickoutJoinAnchor(const std::string& userID) {
  impl_->post([userID](Impl& s) { s.doKickout(userID); });
}

void LiveRoom::requestRoomPK(const std::string& userID, std::chrono::milliseconds timeout,
                             std::function<void(RoomPKOutcome, const std::string&, const RoomMember&)> done) {
  auto refused = [done](const Result& r) { done(RoomPKOutcome::Failed, r.message, RoomMember{}); };
  if (timeout <= std::chrono::milliseconds::zero()) timeout = impl_->config.joinAnchorTimeout;
  impl_->post([userID, timeout, done](Impl& s) { s.doRequestPK(userID, timeout, done); }, refused);
}

void LiveRoom::responseRoomPK(const std::string& userID, bool agree, const std::string& reason) {
  impl_->post([userID, agree, reason](Impl& s) { s.doResponsePK(userID, agree, reason); });
}

void LiveRoom::quitRoomPK(Completion done) {
  impl_->post([done](Impl& s) { s.doQuitPK(done); }, done);
}

void LiveRoom::startRemoteView(const std::string& userID, RemoteView view, Completion done) {
  impl_->post([userID, view = std::move(view), done](Impl& s) mutable { s.doStartRemoteView(userID, std::move(view), done); },
              done);
}

void LiveRoom::stopRemoteView(const std::string& userID) {
  impl_->post([userID](Impl& s) { s.stopRemote(userID); });
}

void LiveRoom::muteLocalAudio(bool mute) {
  impl_->post([mute](Impl& s) { s.doMuteLocal(mute); });
}

void LiveRoom::muteRemoteAudio(const std::string& userID, bool mute) {
  impl_->post([userID, mute](Impl& s) { s.doMuteRemote(userID, mute); });
}

void LiveRoom::muteAllRemoteAudio(bool mute) {
  impl_->post([mute](Impl& s) { s.doMuteAllRemote(mute); });
}

void LiveRoom::sendRoomTextMsg(const std::string& text, Completion done) {
  impl_->post([text, done](Impl& s) { s.doSendText(text, done); }, done);
}

void LiveRoom::sendRoomCustomMsg(const std::string& cmd, const std::string& message, Completion done) {
  impl_->post([cmd, message, done](Impl& s) { s.doSendCustom(cmd, message, done); }, done);
}

void LiveRoom::setCustomInfo(const std::string& field, const std::string& operation, const std::string& value,
                             Completion done) {
  impl_->post(
      [field, operation, value, done](Impl& s) {
        if (s.role == Impl::Role::None) return s.complete(done, Result::failure(ResultCode::WrongState, "not in a room"));
        nlohmann::json v = value;
        if (operation != "set") v = nlohmann::json::parse(value, nullptr, false);  // inc / dec take an integer
        auto r = s.service->setCustomField(s.roomID, field, operation, v);
        s.complete(done, r.ok() ? Result::success()
                                : s.serviceFailure(r.code, "set_custom_field: " + r.message, EventCode::ROOM_ERR_SERVICE));
      },
      done);
}

void LiveRoom::getCustomInfo(std::function<void(const Result&, const std::string& json)> done) {
  auto refused = [done](const Result& r) { done(r, {}); };
  impl_->post(
      [done](Impl& s) {
        Result r;
        std::string out;
        if (s.role == Impl::Role::None) {
          r = Result::failure(ResultCode::WrongState, "not in a room");
        } else if (auto info = s.service->getCustomInfo(s.roomID); !info.ok()) {
          r = s.serviceFailure(info.code, "get_custom_info: " + info.message, EventCode::ROOM_ERR_SERVICE);
        } else {
          out = info.value.dump();
        }
        s.cb.post([done, r, out] { done(r, out); }, detail::Delivery::Guaranteed);
      },
      refused);
}

std::string LiveRoom::roomID() const {
  std::lock_guard lk(impl_->mu);
  return impl_->snapRoomID;
}

std::vector<RoomMember> LiveRoom::anchors() const {
  std::lock_guard lk(impl_->mu);
  return impl_->snapAnchors;
}

bool LiveRoom::isAnchor() const {
  std::lock_guard lk(impl_->mu);
  return impl_->snapRole == Impl::Role::Anchor || impl_->snapRole == Impl::Role::CoAnchor;
}

}  // namespace openlive
