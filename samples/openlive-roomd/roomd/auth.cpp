#include "auth.h"

#include <openlive/usersig.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <charconv>
#include <stdexcept>

#include "clock.h"
#include "log.h"

namespace openlive::roomd {

std::string randomHex(size_t bytes) {
  std::string raw(bytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()), static_cast<int>(bytes)) != 1)
    throw std::runtime_error("RAND_bytes failed");
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes * 2);
  for (unsigned char c : raw) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 15]);
  }
  return out;
}

ApiReply Authenticator::login(const std::string& sdkAppID, const std::string& userID, const std::string& userSig) {
  if (sdkAppID.empty() || userID.empty() || userSig.empty())
    return errorReply(ApiCode::MissingParam, "login needs sdkAppID, userID and userSig");
  uint64_t appId = 0;
  auto [end, ec] = std::from_chars(sdkAppID.data(), sdkAppID.data() + sdkAppID.size(), appId);
  if (ec != std::errc() || end != sdkAppID.data() + sdkAppID.size())
    return errorReply(ApiCode::MissingParam, "sdkAppID must be a decimal number");
  if (appId != config_.sdkAppId) return errorReply(ApiCode::BadToken, "login failed: sdkAppID does not match");
  auto v = verifyUserSig(userSig, config_.key, unixNow(), config_.sdkAppId, userID);
  if (!v) {
    logLine(LogLevel::Info, "login refused for user " + printable(userID) + ": " + std::string(toString(v.error)));
    return errorReply(ApiCode::BadToken, "login failed: userSig " + std::string(toString(v.error)));
  }
  TokenRecord record{randomHex(16), unixMs()};
  store_.putToken(userID, record, config_.tokenValidity);
  logLine(LogLevel::Info, "login user " + userID);
  return okReply({{"userID", userID}, {"token", record.token}, {"timestamp", record.issuedMs}});
}

std::optional<TokenRecord> Authenticator::session(const std::string& userID, const std::string& token) {
  if (userID.empty() || token.empty()) return std::nullopt;
  auto rec = store_.getToken(userID);
  if (!rec || rec->token.size() != token.size()) return std::nullopt;
  if (CRYPTO_memcmp(rec->token.data(), token.data(), token.size()) != 0) return std::nullopt;
  return rec;
}

bool Authenticator::logout(const std::string& userID, const std::string& token) {
  if (!session(userID, token)) return false;
  store_.dropToken(userID);
  logLine(LogLevel::Info, "logout user " + userID);
  return true;
}

}  // namespace openlive::roomd
