// Test UserSig (TLS signature v2). See include/openlive/usersig.h: real products sign on their server.
#include <openlive/usersig.h>

#include "signing/crypto.h"

#include <nlohmann/json.hpp>

#include <charconv>

namespace openlive {

std::string_view toString(UserSigError error) noexcept {
  switch (error) {
    case UserSigError::Ok: return "ok";
    case UserSigError::EmptyKey: return "empty key";
    case UserSigError::InvalidIdentifier: return "invalid identifier";
    case UserSigError::InvalidSdkAppId: return "invalid sdkappid";
    case UserSigError::InvalidExpire: return "invalid expire";
    case UserSigError::MalformedEncoding: return "malformed encoding";
    case UserSigError::MalformedCompression: return "malformed compression";
    case UserSigError::MalformedJson: return "malformed JSON";
    case UserSigError::MissingField: return "missing field";
    case UserSigError::UnsupportedVersion: return "unsupported version";
    case UserSigError::BadSignature: return "bad signature";
    case UserSigError::Expired: return "expired";
    case UserSigError::IdentifierMismatch: return "identifier mismatch";
    case UserSigError::SdkAppIdMismatch: return "sdkappid mismatch";
  }
  return "unknown usersig error";
}

namespace {

constexpr size_t kMaxUserSigChars = 16 * 1024;
constexpr size_t kMaxJsonBytes = 64 * 1024;
constexpr std::string_view kVersion = "2.0";

bool validIdentifier(std::string_view id) {
  if (id.empty() || id.size() > 32) return false;
  for (char c : id) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) return false;  // a newline would let a caller forge other content lines
  }
  return true;
}

std::string contentToSign(const UserSigFields& f) {
  std::string s = "TLS.identifier:" + f.identifier + "\n" + "TLS.sdkappid:" + std::to_string(f.sdkAppId) + "\n" +
                  "TLS.time:" + std::to_string(f.time) + "\n" + "TLS.expire:" + std::to_string(f.expire) + "\n";
  if (f.userbuf) s += "TLS.userbuf:" + *f.userbuf + "\n";
  return s;
}

std::string signatureOf(const UserSigFields& f, std::string_view key) {
  auto mac = signing::hmacSha256(key, contentToSign(f));
  return signing::base64Encode(std::string_view(reinterpret_cast<const char*>(mac.data()), mac.size()));
}

// A JSON integer, or a string of decimal digits (some issuers write numbers as strings).
template <class Int>
bool readInt(const nlohmann::json& obj, const char* name, Int* out) {
  auto it = obj.find(name);
  if (it == obj.end()) return false;
  if (it->is_number_integer()) {
    if constexpr (std::is_unsigned_v<Int>) {
      if (it->is_number_unsigned()) {
        *out = it->template get<Int>();
        return true;
      }
      auto v = it->template get<int64_t>();
      if (v < 0) return false;
      *out = static_cast<Int>(v);
      return true;
    } else {
      if (it->is_number_unsigned() && it->template get<uint64_t>() > static_cast<uint64_t>(INT64_MAX)) return false;
      *out = it->template get<Int>();
      return true;
    }
  }
  if (it->is_string()) {
    const auto& s = it->template get_ref<const std::string&>();
    if (s.empty()) return false;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
    return ec == std::errc() && end == s.data() + s.size();
  }
  return false;
}

bool readString(const nlohmann::json& obj, const char* name, std::string* out) {
  auto it = obj.find(name);
  if (it == obj.end() || !it->is_string()) return false;
  *out = it->get<std::string>();
  return true;
}

}  // namespace

UserSigResult<std::string> generateTestUserSig(const UserSigRequest& request, std::string_view secretKey) {
  if (secretKey.empty()) return {{}, UserSigError::EmptyKey};
  if (!validIdentifier(request.identifier)) return {{}, UserSigError::InvalidIdentifier};
  if (request.sdkAppId == 0) return {{}, UserSigError::InvalidSdkAppId};
  if (request.expire.count() <= 0 || request.now.time_since_epoch().count() < 0) {
    return {{}, UserSigError::InvalidExpire};
  }
  UserSigFields f;
  f.version = std::string(kVersion);
  f.identifier = request.identifier;
  f.sdkAppId = request.sdkAppId;
  f.time = request.now.time_since_epoch().count();
  f.expire = request.expire.count();
  f.sig = signatureOf(f, secretKey);

  nlohmann::json j = {{"TLS.ver", f.version},   {"TLS.identifier", f.identifier}, {"TLS.sdkappid", f.sdkAppId},
                      {"TLS.expire", f.expire}, {"TLS.time", f.time},             {"TLS.sig", f.sig}};
  // Identifiers are validated as bytes; replace invalid UTF-8 instead of letting dump() throw.
  std::string text = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  auto packed = signing::zlibCompress(text);
  if (!packed) return {{}, UserSigError::MalformedCompression};
  return {signing::toTlsUrlBase64(signing::base64Encode(*packed)), UserSigError::Ok};
}

UserSigResult<UserSigFields> decodeUserSig(std::string_view userSig) {
  if (userSig.empty() || userSig.size() > kMaxUserSigChars) return {{}, UserSigError::MalformedEncoding};
  auto packed = signing::base64Decode(signing::fromTlsUrlBase64(std::string(userSig)));
  if (!packed) return {{}, UserSigError::MalformedEncoding};
  auto text = signing::zlibDecompress(*packed, kMaxJsonBytes);
  if (!text) return {{}, UserSigError::MalformedCompression};
  auto j = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return {{}, UserSigError::MalformedJson};

  UserSigFields f;
  if (!readString(j, "TLS.ver", &f.version)) return {{}, UserSigError::MissingField};
  if (f.version != kVersion) return {{}, UserSigError::UnsupportedVersion};
  if (!readString(j, "TLS.identifier", &f.identifier) || !readInt(j, "TLS.sdkappid", &f.sdkAppId) ||
      !readInt(j, "TLS.time", &f.time) || !readInt(j, "TLS.expire", &f.expire) ||
      !readString(j, "TLS.sig", &f.sig)) {
    return {{}, UserSigError::MissingField};
  }
  if (auto it = j.find("TLS.userbuf"); it != j.end()) {
    if (!it->is_string()) return {{}, UserSigError::MissingField};
    f.userbuf = it->get<std::string>();
  }
  return {std::move(f), UserSigError::Ok};
}

UserSigResult<UserSigFields> verifyUserSig(std::string_view userSig, std::string_view secretKey,
                                           std::chrono::sys_seconds now, std::optional<uint64_t> expectedSdkAppId,
                                           std::optional<std::string_view> expectedIdentifier) {
  if (secretKey.empty()) return {{}, UserSigError::EmptyKey};
  auto decoded = decodeUserSig(userSig);
  if (!decoded) return decoded;
  UserSigResult<UserSigFields> r{std::move(decoded.value), UserSigError::Ok};
  const UserSigFields& f = r.value;
  if (!signing::constantTimeEquals(f.sig, signatureOf(f, secretKey))) {
    r.error = UserSigError::BadSignature;
  } else if (f.time < 0 || f.expire < 0 || f.time > INT64_MAX - f.expire ||
             now.time_since_epoch().count() > f.time + f.expire) {
    r.error = UserSigError::Expired;
  } else if (expectedSdkAppId && *expectedSdkAppId != f.sdkAppId) {
    r.error = UserSigError::SdkAppIdMismatch;
  } else if (expectedIdentifier && *expectedIdentifier != f.identifier) {
    r.error = UserSigError::IdentifierMismatch;
  }
  return r;
}

}  // namespace openlive
