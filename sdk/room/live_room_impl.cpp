#include "room/live_room_impl.h"

#include <algorithm>
#include <chrono>
#include <future>

#include "common/clock_ms.h"
#include "common/logging.h"

namespace openlive {

namespace code = room::code;
using namespace std::chrono_literals;

namespace {

RoomMember toMember(const room::PusherInfo& p) { return {p.userID, p.userName, p.userAvatar, p.accelerateURL}; }

}  // namespace

LiveRoom::Impl::Impl(LiveRoomConfig c, room::RoomType t) : config(std::move(c)), type(t) {}

LiveRoom::Impl::~Impl() = default;

bool LiveRoom::Impl::post(std::function<void(Impl&)> task, const Done& doneOnRefusal) {
  std::weak_ptr<Impl> weak = weak_from_this();
  const bool queued = worker.post([weak, task = std::move(task)] {
    if (auto self = weak.lock()) task(*self);
  });
  if (!queued && doneOnRefusal)
    complete(doneOnRefusal, Result::failure(ResultCode::Busy, "the room's request queue is full or closed"));
  return queued;
}

void LiveRoom::Impl::complete(const Done& done, Result r) {
  if (!done) return;
  cb.post([done, r = std::move(r)] { done(r); }, detail::Delivery::Guaranteed);
}

void LiveRoom::Impl::notify(std::function<void(const LiveRoomCallbacks&)> call) {
  LiveRoomCallbacks copy;
  {
    std::lock_guard lk(mu);
    copy = callbacks;
  }
  cb.post([call = std::move(call), copy = std::move(copy)] { call(copy); }, detail::Delivery::Guaranteed);
}

Result LiveRoom::Impl::serviceFailure(int c, const std::string& message, EventCode fallback) const {
  const std::string why = message.empty() ? "room service code " + std::to_string(c) : message;
  switch (c) {
    case code::kTransport: return Result::failure(ResultCode::TimedOut, why, EventCode::ROOM_ERR_REQUEST_TIMEOUT);
    case code::kCanceled: return Result::failure(ResultCode::Canceled, why, EventCode::ROOM_ERR_CANCELED);
    case code::kFull: return Result::failure(ResultCode::Refused, why, EventCode::ROOM_ERR_ROOM_FULL);
    case code::kMissingParam:
    case code::kRoomExists: return Result::failure(ResultCode::InvalidArgument, why, EventCode::ROOM_ERR_INVALID_PARAM);
    case code::kBadToken:
    case code::kNotLoggedIn: return Result::failure(ResultCode::NotLoggedIn, why, fallback);
    default: return Result::failure(ResultCode::Refused, why, fallback);
  }
}

int64_t LiveRoom::Impl::serverNowSeconds() const { return (wallMs() + clockOffsetMs) / 1000; }

void LiveRoom::Impl::publishSnapshot() {
  std::vector<RoomMember> others;
  for (const auto& a : anchors)
    if (a.userID != login.userID) others.push_back(toMember(a));
  std::lock_guard lk(mu);
  snapRoomID = roomID;
  snapAnchors = std::move(others);
  snapRole = role;
}

// ---- login / logout ----

void LiveRoom::Impl::doLogin(RoomLoginParams p, const Done& done) {
  if (service) return complete(done, Result::failure(ResultCode::AlreadyStarted, "already logged in: logout() first"));
  if (p.serverUrl.empty() || p.userID.empty() || p.userSig.empty())
    return complete(done, Result::failure(ResultCode::InvalidArgument, "serverUrl, userID and userSig are required",
                                          EventCode::ROOM_ERR_INVALID_PARAM));
  auto client = std::make_shared<room::RoomServiceClient>(
      room::RoomServiceClient::Options{p.serverUrl, type, p.requestTimeout});
  {
    std::lock_guard lk(mu);
    serviceForCancel = client;
  }
  auto r = client->login(p.sdkAppId, p.userID, p.userSig);
  if (!r.ok()) return complete(done, serviceFailure(r.code, "login: " + r.message, EventCode::ROOM_ERR_LOGIN_FAIL));
  clockOffsetMs = r.value.serverTimeMs ? r.value.serverTimeMs - wallMs() : 0;
  login = std::move(p);
  service = std::move(client);
  std::weak_ptr<Impl> weak = weak_from_this();
  signalling = std::make_unique<room::SignallingClient>(
      room::SignallingClient::Options{login.serverUrl, login.userID, service->token()},
      [weak](const room::SignalMessage& m) {
        if (auto self = weak.lock()) self->post([m](Impl& s) { s.onSignal(m); });
      },
      [weak](room::ChannelEvent e, const std::string& why) {
        auto self = weak.lock();
        if (!self) return;
        if (e == room::ChannelEvent::Disconnected)
          self->notify([why](const LiveRoomCallbacks& c) {
            if (c.onWarning) c.onWarning(EventCode::ROOM_WARNING_SIGNALLING_RECONNECT, why);
          });
        else if (e == room::ChannelEvent::AuthFailed || e == room::ChannelEvent::Failed)
          self->notify([why](const LiveRoomCallbacks& c) {
            if (c.onError) c.onError(EventCode::ROOM_ERR_SIGNALLING, why);
          });
        else if (e == room::ChannelEvent::Reset)
          self->post([](Impl& s) { s.refreshAnchors(); });
      });
  signalling->start();
  complete(done, Result::success());
}

void LiveRoom::Impl::doLogout(const Done& done) {
  if (role != Role::None) doExit(nullptr, false);
  if (signalling) signalling->stop();
  signalling.reset();
  if (service) (void)service->logout();
  service.reset();
  {
    std::lock_guard lk(mu);
    serviceForCancel.reset();
  }
  complete(done, Result::success());
}

// ---- media ----

bool LiveRoom::Impl::startPush(const PushConfig& cfg) {
  pusher = std::make_unique<LivePusher>(cfg);
  linkedQuality = false;  // a new pusher starts at the quality it was given
  pusher->setMute(localMute);
  std::weak_ptr<Impl> weak = weak_from_this();
  const uint64_t g = gen;
  pusher->setEventCallback([weak, g](const Event& e) {
    if (auto self = weak.lock()) self->post([g, e](Impl& s) { s.onPushEvent(g, e); });
  });
  Result r = pusher->start(pushURL);
  if (!r) pusher.reset();
  return r.ok();
}

bool LiveRoom::Impl::startMixPlayer() {
  mixPlayer = makePlayer(config.audiencePlay, audienceView, "the room's stream");
  Result r = mixPlayer->start(mixedPlayURL, PlayType::Auto);
  if (!r) mixPlayer.reset();
  return r.ok();
}

void LiveRoom::Impl::stopMedia() {
  remotes.clear();  // each LivePlayer stops in its destructor
  mixPlayer.reset();
  pusher.reset();
}

void LiveRoom::Impl::onPushEvent(uint64_t g, const Event& e) {
  if (g != gen) return;
  if (e.code == EventCode::PUSH_EVT_PUSH_BEGIN) {
    if (pendingCreate) finishCreate(true, {});
    else if (pendingJoinAnchor) finishJoinAnchor(true, {});
    return;
  }
  if (!isErrorEvent(e.code)) return;
  const std::string why = std::string(eventName(e.code)) + ": " + e.message();
  if (pendingCreate) return finishCreate(false, "the push failed (" + why + ")");
  if (pendingJoinAnchor)
    return finishJoinAnchor(false, Result::failure(ResultCode::Failed, "the push failed (" + why + ")",
                                                   EventCode::ROOM_ERR_PUSH_DISCONNECT));
  notify([why](const LiveRoomCallbacks& c) {
    if (c.onError) c.onError(EventCode::ROOM_ERR_PUSH_DISCONNECT, why);
  });
}

// ---- anchor: create ----

void LiveRoom::Impl::doCreate(const std::string& id, const std::string& info,
                              std::function<void(const Result&, const std::string&)> done) {
  auto fail = [&](Result r) { cb.post([done, r] { done(r, {}); }, detail::Delivery::Guaranteed); };
  if (!canJoin([&](const Result& r) { fail(r); }, EventCode::ROOM_ERR_CREATE_ROOM)) return;
  auto urls = service->getPushUrl();
  if (!urls.ok()) return fail(serviceFailure(urls.code, "get_anchor_url: " + urls.message, EventCode::ROOM_ERR_CREATE_ROOM));
  pushURL = urls.value.pushURL;
  role = Role::Anchor;
  pendingCreate = std::move(done);
  pendingCreateRoomID = id;
  pendingCreateInfo = info;
  if (!startPush(config.anchorPush)) finishCreate(false, "the pusher did not start (check LiveRoomConfig::anchorPush)");
}

// After the first 1002: create_room, add_anchor, heartbeat. Not repeated on a reconnect's 1002.
void LiveRoom::Impl::finishCreate(bool pushOk, const std::string& why) {
  auto done = std::move(pendingCreate);
  pendingCreate = nullptr;
  Result r;
  if (pushOk) {
    auto created = service->createRoom(pendingCreateInfo, pendingCreateRoomID);
    if (!created.ok()) {
      r = serviceFailure(created.code, "create_room: " + created.message, EventCode::ROOM_ERR_CREATE_ROOM);
    } else {
      roomID = created.value;
      auto added = service->addMember(roomID, login.userName, login.userAvatar, pushURL);
      if (!added.ok()) {
        r = serviceFailure(added.code, "add_anchor: " + added.message, EventCode::ROOM_ERR_CREATE_ROOM);
        (void)service->destroyRoom(roomID);
      }
    }
  } else {
    r = Result::failure(ResultCode::Failed, why, EventCode::ROOM_ERR_CREATE_ROOM);
  }
  if (!r.ok()) {
    ++gen;
    stopMedia();
    role = Role::None;
    roomID.clear();
  } else {
    inService = true;
    roomCreator = login.userID;
    refreshAnchors();
    scheduleHeartbeat(3s);
  }
  publishSnapshot();
  const std::string id = roomID;
  cb.post([done, r, id] { done(r, id); }, detail::Delivery::Guaranteed);
}

// ---- audience: enter ----

// The checks before creating or entering a room: logged in, in no room. False (`fail` called, with `event`)
// otherwise.
bool LiveRoom::Impl::canJoin(const Done& fail, EventCode event) {
  if (!service) return fail(Result::failure(ResultCode::NotLoggedIn, "login() first", event)), false;
  if (role != Role::None)
    return fail(Result::failure(ResultCode::WrongState, "already in a room: exitRoom() first", event)), false;
  return true;
}

// canJoin, then the room's members (get_anchors / get_pushers); nullopt (`done` completed) on failure.
std::optional<room::MembersInfo> LiveRoom::Impl::roomToEnter(const std::string& id, const Done& done) {
  if (!canJoin([&](const Result& r) { complete(done, r); }, EventCode::ROOM_ERR_ENTER_ROOM)) return std::nullopt;
  auto members = service->getMembers(id);
  if (members.ok()) return std::move(members.value);
  complete(done, serviceFailure(members.code, "get members: " + members.message, EventCode::ROOM_ERR_ENTER_ROOM));
  return std::nullopt;
}

void LiveRoom::Impl::doEnter(const std::string& id, RemoteView view, const Done& done) {
  auto members = roomToEnter(id, done);
  if (!members) return;
  if (members->room.mixedPlayURL.empty())
    return complete(done, Result::failure(ResultCode::Refused, "the room has no stream yet", EventCode::ROOM_ERR_ENTER_ROOM));
  roomID = id;
  roomCreator = members->room.roomCreator;
  mixedPlayURL = members->room.mixedPlayURL;
  anchors = members->room.pushers;
  const nlohmann::json userInfo{{"userName", login.userName}, {"userAvatar", login.userAvatar}};
  auto added = service->addAudience(id, userInfo.dump());
  if (!added.ok() && added.code != code::kFull) {  // a full audience list only hides us from get_audiences
    roomID.clear();
    return complete(done, serviceFailure(added.code, "add_audience: " + added.message, EventCode::ROOM_ERR_ENTER_ROOM));
  }
  role = Role::Audience;
  inService = added.ok();
  audienceView = std::move(view);
  if (!startMixPlayer()) {
    doExit(nullptr, false);
    return complete(done, Result::failure(ResultCode::InvalidUrl, "the room's play URL was refused by the player",
                                          EventCode::ROOM_ERR_ENTER_ROOM));
  }
  publishSnapshot();
  complete(done, Result::success());
}

// ---- exit ----

void LiveRoom::Impl::doExit(const Done& done, bool quick) {
  if (role == Role::None && !pendingCreate) return complete(done, Result::success());
  const Result canceled = Result::failure(ResultCode::Canceled, "exitRoom() ended the request", EventCode::ROOM_ERR_CANCELED);
  if (pendingCreate) {
    auto d = std::move(pendingCreate);
    pendingCreate = nullptr;
    cb.post([d, canceled] { d(canceled, {}); }, detail::Delivery::Guaranteed);
  }
  if (pendingJoinAnchor) finishJoinAnchor(false, canceled);
  if (pendingRequest) finishRequestJoin(JoinAnchorOutcome::Canceled, "exitRoom() ended the request");
  ++gen;
  worker.cancel(heartbeatTimer);
  endPK(!quick);
  worker.cancel(mixTimer);
  mixParams = nullptr;
  stopMedia();
  if (inService && service && !quick) {
    if (role == Role::Anchor && !rtc()) (void)service->destroyRoom(roomID);
    else if (rtc()) (void)service->deleteMember(roomID);  // the last member out deletes the room
    else if (role == Role::CoAnchor) (void)service->deleteMember(roomID);
    else if (role == Role::Audience) (void)service->deleteAudience(roomID);
  }
  role = Role::None;
  inService = false;
  roomID.clear();
  roomCreator.clear();
  mixedPlayURL.clear();
  audienceView = {};
  anchors.clear();
  roomStatusCode = 0;
  publishSnapshot();
  complete(done, Result::success());
}

// ---- heartbeat and membership ----

void LiveRoom::Impl::scheduleHeartbeat(std::chrono::milliseconds delay) {
  std::weak_ptr<Impl> weak = weak_from_this();
  const uint64_t g = gen;
  heartbeatTimer = worker.postAfter(delay, [weak, g] {
    if (auto self = weak.lock()) self->heartbeat(g);
  });
}

void LiveRoom::Impl::heartbeat(uint64_t g) {
  if (g != gen || (role != Role::Anchor && role != Role::CoAnchor) || !service) return;
  auto hb = service->heartbeat(roomID, roomStatusCode);
  if (hb.ok()) {
    roomStatusCode = hb.value.roomStatusCode;
    if (hb.value.pushers) refreshAnchors(hb.value.pushers);
    checkPKPeer();
  } else {
    const std::string why = "anchor_heartbeat: " + std::to_string(hb.code) + " " + hb.message;
    notify([why](const LiveRoomCallbacks& c) {
      if (c.onWarning) c.onWarning(EventCode::ROOM_WARNING_HEARTBEAT_FAIL, why);
    });
  }
  scheduleHeartbeat(config.heartbeatInterval);
}

// Fetches the anchors (unless `fresh` has them), diffs them with what we knew, and raises enter / exit.
void LiveRoom::Impl::refreshAnchors(std::optional<std::vector<room::PusherInfo>> fresh) {
  if (role != Role::Anchor && role != Role::CoAnchor) return;
  if (!fresh) {
    auto m = service->getMembers(roomID);
    if (!m.ok()) return;
    roomStatusCode = m.value.roomStatusCode;
    fresh = std::move(m.value.room.pushers);
  }
  auto has = [](const std::vector<room::PusherInfo>& v, const std::string& id) {
    for (const auto& p : v)
      if (p.userID == id) return true;
    return false;
  };
  std::vector<RoomMember> entered, left;
  for (const auto& p : *fresh)
    if (p.userID != login.userID && !has(anchors, p.userID)) entered.push_back(toMember(p));
  for (const auto& p : anchors)
    if (p.userID != login.userID && !has(*fresh, p.userID)) left.push_back(toMember(p));
  anchors = std::move(*fresh);
  for (const auto& m : left) stopRemote(m.userID);
  updateLinkedQuality();
  requestMix();
  publishSnapshot();
  for (auto& m : left)
    notify([m](const LiveRoomCallbacks& c) {
      if (c.onAnchorExit) c.onAnchorExit(m);
    });
  for (auto& m : entered) {
    notify([m](const LiveRoomCallbacks& c) {
      if (c.onAnchorEnter) c.onAnchorEnter(m);
    });
    if (autoView) doStartRemoteView(m.userID, autoView(m), nullptr);
  }
}

void LiveRoom::Impl::updateLinkedQuality() {
  if (role != Role::Anchor || !pusher || !config.linkedAnchorPush) return;
  const bool others =
      std::any_of(anchors.begin(), anchors.end(), [&](const room::PusherInfo& p) { return p.userID != login.userID; });
  if (others == linkedQuality) return;
  const PushConfig& q = others ? *config.linkedAnchorPush : config.anchorPush;
  if (Result r = pusher->setVideoQuality(q); !r) {
    OL_LOGW("room", "cannot switch the anchor's video quality: %s", r.message.c_str());
    return;
  }
  linkedQuality = others;
  OL_LOGI("room", "anchor video quality: %s (%s)", std::string(toString(q.mode)).c_str(),
          others ? "co-anchors linked" : "no co-anchor");
}

// ---- teardown ----

void LiveRoom::Impl::shutdown() {
  std::shared_ptr<room::RoomServiceClient> svc;
  {
    std::lock_guard lk(mu);
    closing = true;
    svc = serviceForCancel;
  }
  if (svc) svc->cancelAll();  // a call in flight ends now; the leave calls below get their own timeout
  auto left = std::make_shared<std::promise<void>>();
  auto fut = left->get_future();
  const bool queued = worker.post([self = shared_from_this(), left] {
    self->doExit(nullptr, false);
    self->doLogout(nullptr);
    left->set_value();
  });
  if (queued && !worker.onWorkerThread()) fut.wait();
  worker.stop();
  cb.shutdown();
}

}  // namespace openlive
