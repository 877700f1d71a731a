// Where roomd keeps its state: rooms, members, heartbeats, tokens and stream liveness.
//
// Two implementations: MemoryStore (one process) and RedisStore (shared by several roomd instances; TTL keys).
// Every compound change goes through mutateRoom(), which is atomic against every other change of that room, in
// one process or across instances (redis: WATCH/MULTI/EXEC, retried). The room logic itself (capacity, creator,
// status code) lives in the callers, once, and works unchanged on both.
//
// Thread safety: every method may be called from any thread. Infrastructure failures (redis unreachable) throw
// StoreUnavailable; the HTTP layer turns that into code 1.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "api.h"
#include "room_state.h"

namespace openlive::roomd {

class StoreUnavailable : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct TokenRecord {
  std::string token;  // a secret: never logged
  int64_t issuedMs = 0;
};

enum class Mutation {
  None,   // nothing changed
  Write,  // store the changed state
  Erase,  // delete the room
};

class RoomStore {
 public:
  // Called with the current state; may run more than once (an optimistic retry), so it must only compute from
  // its argument and overwrite (not accumulate) whatever it reports to the caller. Never call the store inside.
  using Mutator = std::function<Mutation(RoomState& room)>;

  virtual ~RoomStore() = default;
  virtual const char* name() const = 0;  // "memory" / "redis"

  // Rooms. createRoom: false when the id is taken.
  virtual bool createRoom(RoomKind kind, const RoomState& room) = 0;
  virtual std::optional<RoomState> getRoom(RoomKind kind, const std::string& roomID) = 0;
  virtual std::vector<RoomState> listRooms(RoomKind kind) = 0;  // oldest first
  // False when there is no such room (the mutator was not called).
  virtual bool mutateRoom(RoomKind kind, const std::string& roomID, const Mutator& mutator) = 0;

  // Heartbeats: a member is fresh until `silence` after its last touch (redis: a TTL key).
  virtual void touchMember(RoomKind kind, const std::string& roomID, const std::string& userID,
                           std::chrono::milliseconds silence) = 0;
  virtual bool memberFresh(RoomKind kind, const std::string& roomID, const std::string& userID) = 0;
  virtual void forgetMember(RoomKind kind, const std::string& roomID, const std::string& userID) = 0;

  // Login tokens, one per user (a new login replaces the old one).
  virtual void putToken(const std::string& userID, const TokenRecord& record, std::chrono::seconds ttl) = 0;
  virtual std::optional<TokenRecord> getToken(const std::string& userID) = 0;
  virtual void dropToken(const std::string& userID) = 0;

  // Stream liveness, from the media server's publish callbacks.
  virtual void setStreamLive(const std::string& streamName, bool live) = 0;
  virtual bool streamLive(const std::string& streamName) = 0;
};

}  // namespace openlive::roomd
