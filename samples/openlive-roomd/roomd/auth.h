// Login sessions: a UserSig (TLS-signature v2) verified with the app key -> a random token kept in the store.
#pragma once

#include <optional>
#include <string>

#include "api.h"
#include "config.h"
#include "store.h"

namespace openlive::roomd {

class Authenticator {
 public:
  Authenticator(const RoomdConfig& config, RoomStore& store) : config_(config), store_(store) {}

  // login?sdkAppID=&userID=&userSig= -> {userID, token, timestamp}; code 2 (missing) or 7 (bad userSig).
  ApiReply login(const std::string& sdkAppID, const std::string& userID, const std::string& userSig);
  // The session of userID when `token` is its current token (constant-time compare), else nullopt.
  std::optional<TokenRecord> session(const std::string& userID, const std::string& token);
  // Ends the session. False when userID/token is not a valid session.
  bool logout(const std::string& userID, const std::string& token);

 private:
  const RoomdConfig& config_;
  RoomStore& store_;
};

// 32 lower-case hex digits from the OpenSSL CSPRNG (RAND_bytes).
std::string randomHex(size_t bytes);

}  // namespace openlive::roomd
