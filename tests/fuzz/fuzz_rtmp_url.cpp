// Fuzzes the RTMP URL parser (user input, and URLs taken from the network in redirects).
#include "transport/rtmp_connection.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view s(reinterpret_cast<const char*>(data), size);
  auto u = openlive::transport::RtmpUrl::parse(s);
  if (u) {
    // Invariants of a parsed URL.
    if (u->host.empty() || u->app.empty() || u->playpath.empty() || u->port <= 0 || u->port > 65535) __builtin_trap();
    auto again = openlive::transport::RtmpUrl::parse(u->tcUrl + "/" + u->playpath);
    if (!again || again->host != u->host || again->port != u->port || again->app != u->app) __builtin_trap();
  }
  return 0;
}
