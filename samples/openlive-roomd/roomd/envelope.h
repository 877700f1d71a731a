// A signalling message as it travels: the rooms.md section 4 JSON (`msg`) plus routing and timing.
//
// Wire form (one SSE event's data line, and the redis pub/sub payload's "env"):
//   {"id":42,"kind":"group"|"c2c"|"system","roomType":"live_room","roomID":"r1","from":"alice",
//    "serverTime":1700000000123,"msg":{"cmd":"notifyPusherChange"}}
// `id` is the event id (SSE "id:"), increasing per recipient, global across roomd instances sharing a redis.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace openlive::roomd {

struct Envelope {
  uint64_t id = 0;
  std::string kind;      // "group": to a room's members; "c2c": one-to-one; "system": from roomd itself
  std::string roomType;  // "live_room" / "double_room" / "multi_room" ("" for c2c)
  std::string roomID;    // "" for c2c
  std::string from;      // sending userID ("" for system messages)
  int64_t serverTimeMs = 0;
  // Unix ms after which the message is stale (from its own `timestamp` + the max age); nullopt = never.
  std::optional<int64_t> staleAfterMs;
  nlohmann::json msg;
};

nlohmann::json toJson(const Envelope& e);
std::optional<Envelope> envelopeFromJson(const nlohmann::json& j);

// The sender's `timestamp` (Unix seconds, possibly fractional), from msg.timestamp or msg.data.timestamp;
// nullopt when the message carries none.
std::optional<double> messageTimestamp(const nlohmann::json& msg);

// What the hub keeps: the envelope and its SSE-ready text ("id: 42\ndata: {...}\n\n"), shared by all recipients.
struct StoredMessage {
  Envelope env;
  std::string sse;
};
using MessagePtr = std::shared_ptr<const StoredMessage>;
MessagePtr makeStored(Envelope env);

// A message for these recipients, before the bus has numbered it.
struct Outgoing {
  std::vector<std::string> to;
  Envelope env;
};

}  // namespace openlive::roomd
