#include "memory_store.h"

#include <algorithm>

namespace openlive::roomd {

bool MemoryStore::createRoom(RoomKind kind, const RoomState& room) {
  std::lock_guard lk(mu_);
  return rooms_.emplace(RoomKey{kind, room.roomID}, room).second;
}

std::optional<RoomState> MemoryStore::getRoom(RoomKind kind, const std::string& roomID) {
  std::lock_guard lk(mu_);
  auto it = rooms_.find({kind, roomID});
  if (it == rooms_.end()) return std::nullopt;
  return it->second;
}

std::vector<RoomState> MemoryStore::listRooms(RoomKind kind) {
  std::vector<RoomState> out;
  {
    std::lock_guard lk(mu_);
    for (const auto& [key, room] : rooms_)
      if (key.first == kind) out.push_back(room);
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const RoomState& a, const RoomState& b) { return a.createdMs < b.createdMs; });
  return out;
}

bool MemoryStore::mutateRoom(RoomKind kind, const std::string& roomID, const Mutator& mutator) {
  std::lock_guard lk(mu_);
  auto it = rooms_.find({kind, roomID});
  if (it == rooms_.end()) return false;
  RoomState copy = it->second;  // the mutator works on a copy: Mutation::None leaves the room untouched
  switch (mutator(copy)) {
    case Mutation::None: break;
    case Mutation::Write: it->second = std::move(copy); break;
    case Mutation::Erase: rooms_.erase(it); break;
  }
  return true;
}

void MemoryStore::touchMember(RoomKind kind, const std::string& roomID, const std::string& userID,
                              std::chrono::milliseconds silence) {
  std::lock_guard lk(mu_);
  heartbeats_[{kind, roomID, userID}] = Clock::now() + silence;
}

bool MemoryStore::memberFresh(RoomKind kind, const std::string& roomID, const std::string& userID) {
  std::lock_guard lk(mu_);
  auto it = heartbeats_.find({kind, roomID, userID});
  if (it == heartbeats_.end()) return false;
  if (Clock::now() < it->second) return true;
  heartbeats_.erase(it);  // expired, as a redis TTL key would be
  return false;
}

void MemoryStore::forgetMember(RoomKind kind, const std::string& roomID, const std::string& userID) {
  std::lock_guard lk(mu_);
  heartbeats_.erase({kind, roomID, userID});
}

void MemoryStore::putToken(const std::string& userID, const TokenRecord& record, std::chrono::seconds ttl) {
  std::lock_guard lk(mu_);
  tokens_[userID] = Token{record, Clock::now() + ttl};
}

std::optional<TokenRecord> MemoryStore::getToken(const std::string& userID) {
  std::lock_guard lk(mu_);
  auto it = tokens_.find(userID);
  if (it == tokens_.end()) return std::nullopt;
  if (Clock::now() >= it->second.expires) {
    tokens_.erase(it);
    return std::nullopt;
  }
  return it->second.record;
}

void MemoryStore::dropToken(const std::string& userID) {
  std::lock_guard lk(mu_);
  tokens_.erase(userID);
}

void MemoryStore::setStreamLive(const std::string& streamName, bool live) {
  std::lock_guard lk(mu_);
  if (live)
    liveStreams_.insert(streamName);
  else
    liveStreams_.erase(streamName);
}

bool MemoryStore::streamLive(const std::string& streamName) {
  std::lock_guard lk(mu_);
  return liveStreams_.count(streamName) > 0;
}

}  // namespace openlive::roomd
