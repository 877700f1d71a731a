// RtcRoom facade: the LiveRoom core (room/live_room_impl.*) with an rtc room type, every member a pusher, and
// every other member viewed automatically (Impl::autoView).
#include <openlive/rtc_room.h>

#include "room/live_room_impl.h"

namespace openlive {

namespace {

LiveRoomConfig coreConfig(const RtcRoomConfig& c) {
  LiveRoomConfig lc;
  lc.anchorPush = c.push;    // the member that creates the room
  lc.coAnchorPush = c.push;  // the members that enter it
  lc.linkedAnchorPush.reset();  // every member keeps its quality (no main anchor)
  lc.heartbeatInterval = c.heartbeatInterval;
  return lc;
}

}  // namespace

RtcRoom::RtcRoom(RtcRoomConfig config)
    : impl_(std::make_shared<LiveRoom::Impl>(
          coreConfig(config), config.size == RtcRoomSize::Multi ? room::RoomType::Multi : room::RoomType::Double)) {
  auto viewFor = std::move(config.viewFor);
  impl_->autoView = [viewFor](const RoomMember& m) { return viewFor ? viewFor(m) : RemoteView{}; };
}

RtcRoom::~RtcRoom() {
  if (impl_) impl_->shutdown();
}

void RtcRoom::setCallbacks(RtcRoomCallbacks c) {
  LiveRoomCallbacks lc;
  lc.onAnchorEnter = std::move(c.onMemberEnter);
  lc.onAnchorExit = std::move(c.onMemberExit);
  lc.onRecvRoomTextMsg = std::move(c.onRecvRoomTextMsg);
  lc.onRecvRoomCustomMsg = std::move(c.onRecvRoomCustomMsg);
  lc.onRoomDestroy = std::move(c.onRoomDestroy);
  lc.onError = std::move(c.onError);
  lc.onWarning = std::move(c.onWarning);
  std::lock_guard lk(impl_->mu);
  impl_->callbacks = std::move(lc);
}

void RtcRoom::login(RoomLoginParams params, Completion done) {
  impl_->post([params = std::move(params), done](LiveRoom::Impl& s) mutable { s.doLogin(std::move(params), done); },
              done);
}

void RtcRoom::logout(Completion done) {
  impl_->post([done](LiveRoom::Impl& s) { s.doLogout(done); }, done);
}

void RtcRoom::getRoomList(int64_t index, int64_t count,
                          std::function<void(const Result&, const std::vector<RoomSummary>&)> done) {
  impl_->post([index, count, done](LiveRoom::Impl& s) { s.doGetRoomList(index, count, done); },
              [done](const Result& r) { done(r, {}); });
}

void RtcRoom::createRoom(const std::string& roomID, const std::string& roomInfo,
                         std::function<void(const Result&, const std::string& roomID)> done) {
  impl_->post([roomID, roomInfo, done](LiveRoom::Impl& s) { s.doCreate(roomID, roomInfo, done); },
              [done](const Result& r) { done(r, {}); });
}

void RtcRoom::enterRoom(const std::string& roomID, Completion done) {
  impl_->post([roomID, done](LiveRoom::Impl& s) { s.doEnterRtc(roomID, done); }, done);
}

void RtcRoom::exitRoom(Completion done) {
  impl_->post([done](LiveRoom::Impl& s) { s.doExit(done, false); }, done);
}

void RtcRoom::muteLocalAudio(bool mute) {
  impl_->post([mute](LiveRoom::Impl& s) { s.doMuteLocal(mute); });
}

void RtcRoom::muteRemoteAudio(const std::string& userID, bool mute) {
  impl_->post([userID, mute](LiveRoom::Impl& s) { s.doMuteRemote(userID, mute); });
}

void RtcRoom::muteAllRemoteAudio(bool mute) {
  impl_->post([mute](LiveRoom::Impl& s) { s.doMuteAllRemote(mute); });
}

void RtcRoom::sendRoomTextMsg(const std::string& text, Completion done) {
  impl_->post([text, done](LiveRoom::Impl& s) { s.doSendText(text, done); }, done);
}

void RtcRoom::sendRoomCustomMsg(const std::string& cmd, const std::string& message, Completion done) {
  impl_->post([cmd, message, done](LiveRoom::Impl& s) { s.doSendCustom(cmd, message, done); }, done);
}

std::string RtcRoom::roomID() const {
  std::lock_guard lk(impl_->mu);
  return impl_->snapRoomID;
}

std::vector<RoomMember> RtcRoom::members() const {
  std::lock_guard lk(impl_->mu);
  return impl_->snapAnchors;
}

}  // namespace openlive
