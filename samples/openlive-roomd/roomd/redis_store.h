// RoomStore in redis, shared by every roomd instance pointed at the same server.
//
// Keys (all under "ol:"):
//   ol:room:<kind>:<roomID>                 the room document (JSON), TTL roomTtl, refreshed by every write/heartbeat
//   ol:rooms:<kind>                         sorted set of room ids by creation time (listing; stale ids pruned)
//   ol:hb:<kind>:<n>:<roomID>:<userID>      a member's heartbeat, TTL = the silence timeout (n = roomID length)
//   ol:token:<userID>                       {"token","issuedMs"}, TTL = token validity
//   ol:live:<streamName>                    present while the media server reports the stream published
// mutateRoom() is WATCH / GET / MULTI / SET|DEL / EXEC, retried on a conflicting write from another instance.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "redis_client.h"
#include "store.h"

namespace openlive::roomd {

class RedisStore final : public RoomStore {
 public:
  RedisStore(RedisPool& pool, std::chrono::milliseconds roomTtl);
  const char* name() const override { return "redis"; }

  bool createRoom(RoomKind kind, const RoomState& room) override;
  std::optional<RoomState> getRoom(RoomKind kind, const std::string& roomID) override;
  std::vector<RoomState> listRooms(RoomKind kind) override;
  bool mutateRoom(RoomKind kind, const std::string& roomID, const Mutator& mutator) override;

  void touchMember(RoomKind kind, const std::string& roomID, const std::string& userID,
                   std::chrono::milliseconds silence) override;
  bool memberFresh(RoomKind kind, const std::string& roomID, const std::string& userID) override;
  void forgetMember(RoomKind kind, const std::string& roomID, const std::string& userID) override;

  void putToken(const std::string& userID, const TokenRecord& record, std::chrono::seconds ttl) override;
  std::optional<TokenRecord> getToken(const std::string& userID) override;
  void dropToken(const std::string& userID) override;

  void setStreamLive(const std::string& streamName, bool live) override;
  bool streamLive(const std::string& streamName) override;

 private:
  enum class Attempt { Missing, Done, Conflict };
  Attempt mutateOnce(const std::string& key, const std::string& index, const std::string& roomID,
                     const Mutator& mutator);

  RedisPool& pool_;
  const std::string ttlMs_;
};

}  // namespace openlive::roomd
