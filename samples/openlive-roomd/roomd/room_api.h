// The RoomService API in one call: endpoint name + query parameters + body -> reply. No HTTP types here, so the
// tests and the fuzzer drive it directly; RoomdServer only moves bytes.
//
// Order of checks: endpoint known and body well-formed (code 2, roomInfo 11), then userID + token (7), then the
// endpoint's own rules. A store failure (redis unreachable) is code 1 with HTTP 503.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "handlers.h"
#include "room_ops.h"
#include "services.h"

namespace openlive::roomd {

using QueryParams = std::multimap<std::string, std::string>;

class RoomApi {
 public:
  explicit RoomApi(Services& s) : s_(s), ops_(s), rooms_(s, ops_), extras_(s), messages_(s) {}

  ApiReply handle(RoomKind kind, std::string_view endpoint, const QueryParams& query, std::string_view body);

  RoomOps& ops() { return ops_; }

 private:
  ApiReply dispatch(const ApiRequest& req, const Caller& caller);
  ApiReply login(const QueryParams& query);
  ApiReply logout(const QueryParams& query);

  Services& s_;
  RoomOps ops_;
  RoomHandlers rooms_;
  ExtraHandlers extras_;
  MessageHandlers messages_;
};

// The first value of `key`, "" when absent.
std::string queryValue(const QueryParams& query, const std::string& key);

}  // namespace openlive::roomd
