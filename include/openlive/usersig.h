// OpenLive SDK - test UserSig (TLS signature v2): generate and verify.
//
// *** A real product computes UserSig on its own server and hands it to the client. Never ship the app's
// *** secret key inside a client: anyone can extract it and sign in as any user. The generator here is for
// *** tests, samples and server-side tools only.
//
// Format (public TLSSigAPIv2 description):
//   content = "TLS.identifier:" id "\n" "TLS.sdkappid:" appid "\n" "TLS.time:" time "\n" "TLS.expire:" expire "\n"
//             (+ "TLS.userbuf:" base64(userbuf) "\n" only when a userbuf is carried)
//   TLS.sig = base64(HMAC-SHA256(secretKey, content))
//   JSON    = {"TLS.ver":"2.0","TLS.identifier":id,"TLS.sdkappid":appid,"TLS.time":time,"TLS.expire":expire,
//              "TLS.sig":sig}  (numbers as JSON numbers)
//   UserSig = base64(zlib(JSON)) with '+' -> '*', '/' -> '-', '=' -> '_'
// Validity: from `time` through `time + expire` seconds.
#pragma once

#include <openlive/export.h>
#include <openlive/url_signing.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace openlive {

enum class UserSigError {
  Ok = 0,
  EmptyKey,            // the secret key is empty
  InvalidIdentifier,   // empty, longer than 32 bytes, or holding control characters
  InvalidSdkAppId,     // 0
  InvalidExpire,       // expire <= 0, or time < 0
  MalformedEncoding,   // not URL-safe base64 (characters, length or padding)
  MalformedCompression,// not a complete zlib stream, or inflates past 64 KiB
  MalformedJson,       // not a JSON object
  MissingField,        // a required TLS.* field is absent or of the wrong type
  UnsupportedVersion,  // TLS.ver is not "2.0"
  BadSignature,        // TLS.sig does not match HMAC-SHA256 over the fields with this key
  Expired,             // authentic, but now > time + expire
  IdentifierMismatch,  // authentic, but for another user than the one expected
  SdkAppIdMismatch,    // authentic, but for another SDKAppID than the one expected
};
OPENLIVE_API std::string_view toString(UserSigError error) noexcept;

template <class T>
using UserSigResult = BasicResult<T, UserSigError>;

// The decoded fields of a UserSig.
struct UserSigFields {
  std::string version;     // "2.0"
  std::string identifier;  // UserID
  uint64_t sdkAppId = 0;
  int64_t time = 0;        // issue time, Unix seconds
  int64_t expire = 0;      // lifetime, seconds
  std::string sig;         // base64 HMAC-SHA256, as carried
  std::optional<std::string> userbuf;  // base64 text, as carried (PrivateMapKey); absent for plain UserSigs
};

struct UserSigRequest {
  uint64_t sdkAppId = 0;
  std::string identifier;                          // UserID, up to 32 bytes
  std::chrono::seconds expire{7 * 24 * 3600};      // lifetime, default 7 days
  std::chrono::sys_seconds now{};                  // issue time (TLS.time)
};

// Builds a UserSig. FOR TESTS ONLY: see the warning at the top of this header.
OPENLIVE_API UserSigResult<std::string> generateTestUserSig(const UserSigRequest& request, std::string_view secretKey);

// Decodes without checking the signature (e.g. to show what a token claims).
OPENLIVE_API UserSigResult<UserSigFields> decodeUserSig(std::string_view userSig);

// Decodes, recomputes the HMAC with `secretKey` (constant-time compare), then checks expiry against `now`
// and, when given, the expected identifier and SDKAppID. `value` holds the fields whenever decoding worked.
OPENLIVE_API UserSigResult<UserSigFields> verifyUserSig(std::string_view userSig, std::string_view secretKey,
                                                        std::chrono::sys_seconds now,
                                                        std::optional<uint64_t> expectedSdkAppId = std::nullopt,
                                                        std::optional<std::string_view> expectedIdentifier =
                                                            std::nullopt);

}  // namespace openlive
