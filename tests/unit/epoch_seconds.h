// A point in time given as seconds since 1970 (signing and UserSig tests: expiry times of reference vectors).
#pragma once

#include <chrono>

namespace openlive::test {
constexpr std::chrono::sys_seconds at(long long s) { return std::chrono::sys_seconds(std::chrono::seconds(s)); }
}  // namespace openlive::test
