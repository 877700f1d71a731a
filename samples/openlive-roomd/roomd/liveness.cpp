#include "liveness.h"

#include "clock.h"
#include "log.h"
#include "room_mix.h"

namespace openlive::roomd {

LivenessSweeper::~LivenessSweeper() { stop(); }

void LivenessSweeper::start() {
  std::lock_guard lk(mu_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] {
    setThreadName("roomd-sweep");
    run();
  });
}

void LivenessSweeper::stop() {
  {
    std::lock_guard lk(mu_);
    stopping_ = true;
    cv_.notify_all();
  }
  if (thread_.joinable()) thread_.join();
}

void LivenessSweeper::run() {
  for (;;) {
    {
      std::unique_lock lk(mu_);
      if (cv_.wait_for(lk, s_.config.sweepInterval, [&] { return stopping_; })) return;
    }
    sweepOnce();
  }
}

LivenessSweeper::Counts LivenessSweeper::counts() const {
  std::lock_guard lk(mu_);
  return counts_;
}

void LivenessSweeper::sweepOnce() {
  const int64_t now = unixMs();
  try {
    for (RoomKind kind : kAllKinds) sweepKind(kind, now);
    // Mixers of rooms destroyed elsewhere (another instance sharing the store) stop here.
    if (s_.mixers)
      s_.mixers->keepOnly([&](const std::string& key) {
        const std::string prefix = mixKey(RoomKind::Live, "");
        return key.rfind(prefix, 0) != 0 || s_.store.getRoom(RoomKind::Live, key.substr(prefix.size())).has_value();
      });
  } catch (const StoreUnavailable& e) {
    logLine(LogLevel::Error, std::string("sweep: store unavailable: ") + e.what());
  }
  s_.hub.prune(now);
}

void LivenessSweeper::sweepKind(RoomKind kind, int64_t now) {
  const int64_t silenceMs = s_.config.silenceTimeout.count();
  for (const RoomState& room : s_.store.listRooms(kind)) {
    if (!room.active || room.pushers.empty()) {
      if (now - room.createdMs < silenceMs) continue;
      auto stillEmpty = [](const RoomState& r) { return !r.active || r.pushers.empty(); };
      if (ops_.destroyRoom(kind, room.roomID, "", "never got an anchor", false, stillEmpty) ==
          DestroyOutcome::Destroyed) {
        std::lock_guard lk(mu_);
        ++counts_.roomsRemoved;
      }
      continue;
    }
    for (const Pusher& p : room.pushers) {
      if (s_.store.memberFresh(kind, room.roomID, p.userID)) continue;
      if (s_.store.streamLive(p.streamName)) {  // media liveness outranks signalling liveness
        s_.store.touchMember(kind, room.roomID, p.userID, s_.config.silenceTimeout);
        std::lock_guard lk(mu_);
        ++counts_.kept;
        continue;
      }
      if (ops_.removePusher(kind, room.roomID, p.userID, "silent and its stream is not live") ==
          RemoveOutcome::Removed) {
        std::lock_guard lk(mu_);
        ++counts_.removed;
      }
    }
  }
}

}  // namespace openlive::roomd
