#include "transport/rtmp_connection.h"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace openlive::transport {

std::optional<RtmpUrl> RtmpUrl::parse(std::string_view url) {
  RtmpUrl u;
  auto sep = url.find("://");
  if (sep == std::string_view::npos || sep == 0) return std::nullopt;
  std::string scheme(url.substr(0, sep));
  std::transform(scheme.begin(), scheme.end(), scheme.begin(), [](unsigned char c) { return std::tolower(c); });
  if (scheme == "rtmp") {
    u.port = 1935;
  } else if (scheme == "rtmps") {
    u.port = 443;
    u.tls = true;
  } else {
    return std::nullopt;
  }
  u.scheme = scheme;
  std::string_view rest = url.substr(sep + 3);
  auto slash = rest.find('/');
  if (slash == std::string_view::npos || slash == 0) return std::nullopt;
  std::string_view authority = rest.substr(0, slash);
  std::string_view path = rest.substr(slash + 1);
  if (authority.find('@') != std::string_view::npos) return std::nullopt;  // credentials in URL: unsupported

  // Host: [v6]:port | host:port | host
  std::string_view portText;
  if (authority.front() == '[') {
    auto close = authority.find(']');
    if (close == std::string_view::npos || close == 1) return std::nullopt;
    u.host = std::string(authority.substr(1, close - 1));
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return std::nullopt;
      portText = after.substr(1);
    }
  } else {
    auto colon = authority.rfind(':');
    if (colon != std::string_view::npos) {
      if (authority.find(':') != colon) return std::nullopt;  // bare IPv6 must be bracketed
      u.host = std::string(authority.substr(0, colon));
      portText = authority.substr(colon + 1);
    } else {
      u.host = std::string(authority);
    }
  }
  if (u.host.empty()) return std::nullopt;
  for (char c : u.host)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_' || c == ':'))
      return std::nullopt;
  if (!portText.empty() || authority.back() == ':') {
    int port = 0;
    auto [p, ec] = std::from_chars(portText.data(), portText.data() + portText.size(), port);
    if (ec != std::errc() || p != portText.data() + portText.size() || port <= 0 || port > 65535)
      return std::nullopt;
    u.port = port;
  }

  // Path: app[/instance]/stream[?query]. The query belongs to the stream name (signing parameters).
  std::string_view pathNoQuery = path.substr(0, path.find('?'));
  std::string_view query = path.size() > pathNoQuery.size() ? path.substr(pathNoQuery.size()) : std::string_view();
  auto last = pathNoQuery.rfind('/');
  if (last == std::string_view::npos || last == 0) return std::nullopt;
  std::string_view app = pathNoQuery.substr(0, last);
  std::string_view stream = pathNoQuery.substr(last + 1);
  if (app.empty() || stream.empty() || app.find("//") != std::string_view::npos) return std::nullopt;
  if (std::count(app.begin(), app.end(), '/') > 1) return std::nullopt;
  u.app = std::string(app);
  u.playpath = std::string(stream) + std::string(query);
  std::string hostPart = u.host.find(':') != std::string::npos ? "[" + u.host + "]" : u.host;
  u.tcUrl = u.scheme + "://" + hostPart + ":" + std::to_string(u.port) + "/" + u.app;
  return u;
}

const char* toString(ConnectFailure f) {
  switch (f) {
    case ConnectFailure::None: return "none";
    case ConnectFailure::InvalidUrl: return "invalid-url";
    case ConnectFailure::Dns: return "dns";
    case ConnectFailure::Tcp: return "tcp";
    case ConnectFailure::Handshake: return "handshake";
    case ConnectFailure::Rejected: return "rejected";
    case ConnectFailure::Closed: return "closed";
    case ConnectFailure::Timeout: return "timeout";
    case ConnectFailure::Cancelled: return "cancelled";
  }
  return "?";
}

}  // namespace openlive::transport
