#include "room_anchor.h"

#include "room_stack.h"  // kRoomAppId, kRoomKey

#include <openlive/events.h>
#include <openlive/usersig.h>

#include <future>
#include <utility>

namespace soak {

namespace {

using namespace std::chrono_literals;
constexpr auto kCallTimeout = 30s;  // login / createRoom / exitRoom (each HTTP call inside has 5 s)

// 320x240 RTC at 15 fps, 1 s GOP: small enough for a 2-core machine running the whole room. Bitrate adapts but
// the resolution stays (no ladder), so the anchor's window in the mix keeps the band's pixel size, and the anchor
// keeps its picture while co-anchors are linked (the PC layout's canvas is then 320 x (240 + 106)).
openlive::LiveRoomConfig anchorConfig(const Options& o) {
  openlive::LiveRoomConfig c;
  auto& p = c.anchorPush;
  p.mode = openlive::PushMode::RTC;
  p.width = 320;
  p.height = 240;
  p.fps = 15;
  p.gopSeconds = 1;
  p.bitrateKbps = 400;
  p.minBitrateKbps = 200;
  p.maxBitrateKbps = 500;
  p.autoAdjust = openlive::AutoAdjust::BitrateOnly;
  p.video.type = openlive::VideoSourceType::TestPattern;
  p.audio.type = openlive::AudioSourceType::Tone;
  p.connectRetryCount = o.retries;
  p.connectRetryInterval = std::chrono::milliseconds(static_cast<int>(o.retryIntervalS * 1000));
  c.linkedAnchorPush.reset();
  c.mixLayout = openlive::RoomMixLayout::PC;
  return c;
}

template <class T>
std::optional<T> await(std::future<T> f) {
  if (f.wait_for(kCallTimeout) != std::future_status::ready) return std::nullopt;
  return f.get();
}

}  // namespace

RoomAnchor::RoomAnchor(const Options& o, Clock::time_point t0) : t0_(t0), room_(anchorConfig(o)) {
  openlive::LiveRoomCallbacks c;
  c.onRequestJoinAnchor = [this](const openlive::RoomMember& m, const std::string&) {
    room_.responseJoinAnchor(m.userID, true);
  };
  c.onAnchorEnter = [this](const openlive::RoomMember&) { record(0, "ROOM_ANCHOR_ENTER"); };
  c.onAnchorExit = [this](const openlive::RoomMember&) { record(0, "ROOM_ANCHOR_EXIT"); };
  c.onError = [this](openlive::EventCode code, const std::string&) {
    {
      std::lock_guard lk(mu_);
      ++errors_;
    }
    record(openlive::toInt(code), std::string(openlive::eventName(code)));
  };
  c.onWarning = [this](openlive::EventCode code, const std::string&) {
    record(openlive::toInt(code), std::string(openlive::eventName(code)));
  };
  room_.setCallbacks(std::move(c));
}

RoomAnchor::~RoomAnchor() = default;  // LiveRoom: exitRoom + logout, bounded

void RoomAnchor::record(int code, std::string name) {
  std::lock_guard lk(mu_);
  if (pending_.size() < 10000) pending_.push_back({secondsSince(t0_), kUser, code, std::move(name)});
}

std::string RoomAnchor::open(const std::string& roomdUrl, std::string* why) {
  openlive::UserSigRequest req;
  req.sdkAppId = kRoomAppId;
  req.identifier = kUser;
  req.now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  const auto sig = openlive::generateTestUserSig(req, kRoomKey);
  auto loggedIn = std::make_shared<std::promise<openlive::Result>>();
  room_.login({roomdUrl, kRoomAppId, kUser, sig.value, kUser, "", 5000ms},
              [loggedIn](const openlive::Result& r) { loggedIn->set_value(r); });
  auto login = await(loggedIn->get_future());
  if (!login || !*login) {
    *why = "anchor login: " + (login ? login->message : std::string("no completion"));
    return "";
  }
  using Created = std::pair<openlive::Result, std::string>;
  auto created = std::make_shared<std::promise<Created>>();
  room_.createRoom("", "openlive-soak room",
                   [created](const openlive::Result& r, const std::string& id) { created->set_value({r, id}); });
  auto room = await(created->get_future());
  if (!room || !room->first) {
    *why = "createRoom: " + (room ? room->first.message : std::string("no completion"));
    return "";
  }
  return room->second;
}

void RoomAnchor::close() {
  auto left = std::make_shared<std::promise<openlive::Result>>();
  room_.exitRoom([left](const openlive::Result& r) { left->set_value(r); });
  (void)await(left->get_future());
  auto out = std::make_shared<std::promise<openlive::Result>>();
  room_.logout([out](const openlive::Result& r) { out->set_value(r); });
  (void)await(out->get_future());
}

std::set<std::string> RoomAnchor::view() const {
  std::set<std::string> v{kUser};
  for (const auto& m : room_.anchors()) v.insert(m.userID);
  return v;
}

std::vector<EventRecord> RoomAnchor::takeEvents() {
  std::lock_guard lk(mu_);
  return std::exchange(pending_, {});
}

int RoomAnchor::errors() const {
  std::lock_guard lk(mu_);
  return errors_;
}

}  // namespace soak
