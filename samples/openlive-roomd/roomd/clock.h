// The server clock: Unix time, the one every roomd instance (and every client, through login's `timestamp`) shares.
#pragma once

#include <chrono>
#include <cstdint>

namespace openlive::roomd {

inline int64_t unixMs() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

inline std::chrono::sys_seconds unixNow() {
  return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
}

}  // namespace openlive::roomd
