// Fuzzes UserSig decoding and verification (base64 variant + zlib + JSON: untrusted tokens).
#include <openlive/usersig.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view s(reinterpret_cast<const char*>(data), size);
  auto d = openlive::decodeUserSig(s);
  (void)d;
  auto v = openlive::verifyUserSig(s, "secret", std::chrono::sys_seconds(std::chrono::seconds(1700000000)));
  (void)v;
  return 0;
}
