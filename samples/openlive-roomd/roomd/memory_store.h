// RoomStore in this process's memory: one mutex, steady-clock expiry for heartbeats and tokens.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <utility>

#include "store.h"

namespace openlive::roomd {

class MemoryStore final : public RoomStore {
 public:
  const char* name() const override { return "memory"; }

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
  using Clock = std::chrono::steady_clock;
  using RoomKey = std::pair<RoomKind, std::string>;
  struct MemberKey {
    RoomKind kind;
    std::string roomID, userID;
    auto operator<=>(const MemberKey&) const = default;
  };
  struct Token {
    TokenRecord record;
    Clock::time_point expires;
  };

  std::mutex mu_;
  std::map<RoomKey, RoomState> rooms_;                 // guarded by mu_
  std::map<MemberKey, Clock::time_point> heartbeats_;  // guarded by mu_: fresh until the time point
  std::map<std::string, Token> tokens_;                // guarded by mu_
  std::set<std::string> liveStreams_;                  // guarded by mu_
};

}  // namespace openlive::roomd
