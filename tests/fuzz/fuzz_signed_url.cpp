// Fuzzes the signed-URL parser and verifier (URLs come from users, configs and servers).
#include <openlive/url_signing.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view s(reinterpret_cast<const char*>(data), size);
  auto parts = openlive::parseSignedUrl(s);
  if (parts && parts->streamName.empty()) __builtin_trap();
  auto now = std::chrono::sys_seconds(std::chrono::seconds(1551438840));
  auto v = openlive::verifySignedUrl(s, "4531cddc5bd6dc28a812bb87121a5853", now);
  (void)v;
  return 0;
}
