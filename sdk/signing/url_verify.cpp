// Taking live URLs apart and verifying their hotlink signature.
#include <openlive/url_signing.h>

#include "signing/authority.h"
#include "signing/crypto.h"

#include <charconv>
#include <cstring>
#include <limits>

namespace openlive {

std::string_view toString(VerifyError error) noexcept {
  switch (error) {
    case VerifyError::Ok: return "ok";
    case VerifyError::MalformedUrl: return "malformed URL";
    case VerifyError::MissingTxTime: return "missing txTime";
    case VerifyError::MissingTxSecret: return "missing txSecret";
    case VerifyError::MalformedTxTime: return "malformed txTime";
    case VerifyError::BadSecret: return "bad txSecret";
    case VerifyError::Expired: return "expired";
    case VerifyError::EmptyKey: return "empty key";
  }
  return "unknown verify error";
}

namespace signing {

std::optional<Authority> parseAuthority(std::string_view text) {
  Authority a;
  std::string_view portText;
  bool hasPort = false;
  if (text.empty()) return std::nullopt;
  if (text.front() == '[') {
    size_t close = text.find(']');
    if (close == std::string_view::npos || close == 1) return std::nullopt;
    std::string_view host = text.substr(1, close - 1);
    if (host.find(':') == std::string_view::npos) return std::nullopt;
    for (char c : host) {
      bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' || c == '.';
      if (!ok) return std::nullopt;
    }
    a.host = std::string(host);
    a.ipv6 = true;
    std::string_view after = text.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return std::nullopt;
      portText = after.substr(1);
      hasPort = true;
    }
  } else {
    size_t colon = text.find(':');
    std::string_view host = text.substr(0, colon);
    if (host.empty()) return std::nullopt;
    for (char c : host) {
      bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '.' || c == '-';
      if (!ok) return std::nullopt;
    }
    a.host = std::string(host);
    if (colon != std::string_view::npos) {
      portText = text.substr(colon + 1);
      hasPort = true;
    }
  }
  if (hasPort) {
    if (portText.empty() || portText.size() > 5) return std::nullopt;
    int port = 0;
    auto [end, ec] = std::from_chars(portText.data(), portText.data() + portText.size(), port);
    if (ec != std::errc() || end != portText.data() + portText.size() || port < 1 || port > 65535) {
      return std::nullopt;
    }
    a.port = port;
  }
  return a;
}

}  // namespace signing

namespace {

// Printable ASCII that may appear in a path segment or query item as we accept them.
bool isUrlChar(char c) noexcept {
  auto u = static_cast<unsigned char>(c);
  if (u <= 0x20 || u >= 0x7f) return false;
  return std::strchr("#\"<>\\^`{|}", c) == nullptr;
}

bool endsWith(std::string_view s, std::string_view suffix) noexcept {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool setOnce(std::optional<std::string>& slot, std::string_view value) {
  if (slot) return false;  // a repeated auth parameter is ambiguous: which one would the CDN read?
  slot = std::string(value);
  return true;
}

}  // namespace

std::optional<SignedUrlParts> parseSignedUrl(std::string_view url) {
  if (url.empty() || url.size() > 8192) return std::nullopt;
  for (char c : url) {
    if (!isUrlChar(c)) return std::nullopt;
  }
  size_t sep = url.find("://");
  if (sep == std::string_view::npos || sep == 0) return std::nullopt;
  SignedUrlParts p;
  p.scheme = signing::toLowerAscii(url.substr(0, sep));
  bool http = p.scheme == "http" || p.scheme == "https";
  if (!http && p.scheme != "rtmp" && p.scheme != "rtmps") return std::nullopt;

  std::string_view rest = url.substr(sep + 3);
  size_t qmark = rest.find('?');
  std::string_view beforeQuery = rest.substr(0, qmark);
  size_t slash = beforeQuery.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  auto authority = signing::parseAuthority(beforeQuery.substr(0, slash));
  if (!authority) return std::nullopt;
  p.host = authority->host;
  p.port = authority->port;

  std::string_view path = beforeQuery.substr(slash + 1);
  size_t last = path.rfind('/');
  if (last == std::string_view::npos || last == 0) return std::nullopt;  // need app and stream
  std::string_view app = path.substr(0, last);
  std::string_view stream = path.substr(last + 1);
  if (stream.empty() || app.front() == '/' || app.back() == '/' || app.find("//") != std::string_view::npos) {
    return std::nullopt;
  }
  if (http) {
    if (endsWith(stream, ".flv")) {
      p.extension = "flv";
    } else if (endsWith(stream, ".m3u8")) {
      p.extension = "m3u8";
    } else {
      return std::nullopt;
    }
    stream.remove_suffix(p.extension.size() + 1);
    if (stream.empty()) return std::nullopt;
  }
  p.app = std::string(app);
  p.streamName = std::string(stream);

  if (qmark != std::string_view::npos) {
    std::string_view query = rest.substr(qmark + 1);
    if (query.find('?') != std::string_view::npos) return std::nullopt;
    while (!query.empty()) {
      size_t amp = query.find('&');
      std::string_view item = query.substr(0, amp);
      query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
      if (item.empty()) continue;
      size_t eq = item.find('=');
      std::string_view key = item.substr(0, eq);
      std::string_view value = eq == std::string_view::npos ? std::string_view() : item.substr(eq + 1);
      if (key.empty()) return std::nullopt;
      if (key == "txTime" && !setOnce(p.txTime, value)) return std::nullopt;
      if (key == "txSecret" && !setOnce(p.txSecret, value)) return std::nullopt;
      if (key == "bizid" && !setOnce(p.bizid, value)) return std::nullopt;
      p.query.emplace_back(std::string(key), std::string(value));
    }
  }
  return p;
}

VerifyResult verifySignedUrl(std::string_view url, std::string_view key, std::chrono::sys_seconds now) {
  VerifyResult r;
  auto parts = parseSignedUrl(url);
  if (!parts) {
    r.error = VerifyError::MalformedUrl;
    return r;
  }
  r.value.parts = std::move(*parts);
  const SignedUrlParts& p = r.value.parts;
  if (key.empty()) {
    r.error = VerifyError::EmptyKey;
    return r;
  }
  if (!p.txTime) {
    r.error = VerifyError::MissingTxTime;
    return r;
  }
  if (!p.txSecret) {
    r.error = VerifyError::MissingTxSecret;
    return r;
  }
  const std::string& t = *p.txTime;
  unsigned long long expiry = 0;
  if (!signing::isHexDigits(t) || t.size() > 16) {
    r.error = VerifyError::MalformedTxTime;
    return r;
  }
  auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), expiry, 16);
  if (ec != std::errc() || end != t.data() + t.size() ||
      expiry > static_cast<unsigned long long>(std::numeric_limits<int64_t>::max())) {
    r.error = VerifyError::MalformedTxTime;
    return r;
  }
  r.value.expiry = std::chrono::sys_seconds(std::chrono::seconds(static_cast<int64_t>(expiry)));

  std::string material;
  material.append(key).append(p.streamName).append(t);  // exactly the txTime text in the URL
  std::string expected = signing::md5Hex(material);
  if (!signing::constantTimeEquals(signing::toLowerAscii(*p.txSecret), expected)) {
    r.error = VerifyError::BadSecret;
    return r;
  }
  if (now > r.value.expiry) {
    r.error = VerifyError::Expired;
    return r;
  }
  r.error = VerifyError::Ok;
  return r;
}

}  // namespace openlive
