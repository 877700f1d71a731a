// RTMP command (AMF0 invoke) decoding, transport stage: the method, transaction id and, for onStatus and
// _error, the info object's code, level and description, with the code mapped to a StreamStatus through the one
// table (rtmp_protocol.h). Bounded and robust: a malformed body decodes to nullopt, never reads out of bounds
// (the AMF0 reader is fuzzed: tests/fuzz/fuzz_amf0.cpp, fuzz_rtmp_invoke.cpp).
#pragma once

#include "transport/rtmp_protocol.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace openlive::transport {

struct Invoke {
  std::string method;  // "onStatus", "_result", "_error", "onBWDone", ...
  double txn = 0;      // transaction id (0 for onStatus)
  // onStatus / _error only: the info object.
  std::string code;
  std::string level;  // "status", "warning", "error"
  std::string description;
  StreamStatus status = StreamStatus::None;  // `code` through the table (Unknown for codes not in it)

  bool isStatus() const { return method == "onStatus"; }
  bool isResult() const { return method == "_result"; }
  bool isError() const { return method == "_error"; }
  StatusMeaning meaning() const { return meaningOf(status, level); }
};

// nullopt when the body does not start with a method name and a transaction id.
std::optional<Invoke> decodeInvoke(const uint8_t* body, size_t size);

}  // namespace openlive::transport
