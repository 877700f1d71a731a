// Internal: the host[:port] part of a live URL.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace openlive::signing {

struct Authority {
  std::string host;  // without brackets
  bool ipv6 = false;
  int port = 0;      // 0 when absent
};

// host | host:port | [v6] | [v6]:port. Host names are [A-Za-z0-9.-]+, IPv6 literals [0-9A-Fa-f:.]+ with at least
// one ':'; ports 1..65535 in plain decimal. No credentials ('@'), no whitespace.
std::optional<Authority> parseAuthority(std::string_view text);

}  // namespace openlive::signing
