// Fuzzes the RTMP command (AMF0 invoke) decoder: every onStatus / _result / _error a server sends goes through it.
#include "transport/rtmp_invoke.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto inv = openlive::transport::decodeInvoke(data, size);
  if (inv) {
    // Invariants: a decoded status maps through the one table; its meaning is defined.
    if (inv->isStatus() && inv->status == openlive::transport::StreamStatus::None) __builtin_trap();
    static_cast<void>(inv->meaning());
  }
  return 0;
}
