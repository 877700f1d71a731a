// The request parser: an endpoint name + a JSON body -> a validated ApiRequest, or the documented error code.
//
// Every endpoint has a table of fields (name, type, required, byte limit). A body that is not a JSON object, is
// nested deeper than kMaxJsonDepth, lacks a required field or carries a declared field of the wrong type gets
// code 2; roomInfo over 1024 bytes gets code 11; other strings over their limit get code 2. Fields that are not
// declared are ignored. The parser never throws and never trusts a length: it is the fuzz target
// (tests/fuzz/fuzz_roomd_request.cpp).
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "api.h"

namespace openlive::roomd {

inline constexpr int kMaxJsonDepth = 32;

struct ApiRequest {
  RoomKind kind = RoomKind::Live;
  Endpoint endpoint = Endpoint::Login;
  nlohmann::json body = nlohmann::json::object();  // every declared field present has its declared type

  // A declared string field, "" when absent.
  std::string str(std::string_view field) const;
  bool has(std::string_view field) const;
  // A declared integer field, `fallback` when absent.
  int64_t integer(std::string_view field, int64_t fallback) const;
  // A declared object field (mergeParams given as a JSON string is parsed into an object), null when absent.
  const nlohmann::json& object(std::string_view field) const;
};

struct ParseError {
  ApiCode code = ApiCode::MissingParam;
  std::string message;
};

using ParseResult = std::variant<ApiRequest, ParseError>;

// Login and logout take no body (their parameters ride in the query string): any body is ignored for them.
// An unknown endpoint name gives code 2 ("unknown endpoint").
ParseResult parseRequest(RoomKind kind, std::string_view endpointName, std::string_view body);

// Parses untrusted JSON text with the depth limit; nullopt when malformed or too deep. Never throws.
std::optional<nlohmann::json> parseJsonBounded(std::string_view text);

}  // namespace openlive::roomd
