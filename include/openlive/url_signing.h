// OpenLive SDK - signed live URLs (TX-style hotlink protection) and GME RTMP stream addresses.
//
// Hotlink signing, as the CDN checks it:
//   txTime   = expiry as hex Unix seconds ("5c2acacc"; we produce lower case, accept either case)
//   txSecret = lower-case hex MD5(key + streamName + txTime), plain concatenation of the three strings,
//              where txTime is exactly the text that appears in the URL.
// Push:        rtmp://<domain>/<app>/<stream>?txSecret=<md5>&txTime=<hex>
// Play:        rtmp://<domain>/<app>/<stream>, http(s)://<domain>/<app>/<stream>.flv (same query when signed)
// Low latency: rtmp://<domain>/<app>/<stream>?bizid=<bizid>&txTime=<hex>&txSecret=<md5>
// See docs in samples/openlive-url/README.md and /work/shared/docs/reference.md section 6.
//
// Nothing here throws for bad input: every function reports a typed error instead. Times are passed in
// (`expiry`, `now`) so that callers and tests control the clock.
#pragma once

#include <openlive/export.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace openlive {

// A value or an error code. `E{}` (the enumerator `Ok`, value 0) means success.
template <class T, class E>
struct BasicResult {
  T value{};
  E error{};
  bool ok() const noexcept { return error == E{}; }
  explicit operator bool() const noexcept { return ok(); }
};

// Why a signed URL, a signature or a GME stream address could not be built.
enum class SignError {
  Ok = 0,
  EmptyKey,           // the signing key (or GME StreamKey) is empty
  InvalidStreamName,  // empty, or a character outside [A-Za-z0-9_.~-]
  InvalidDomain,      // empty, or not host[:port] / [v6]:port with a port 1..65535
  InvalidApp,         // empty, or segments outside [A-Za-z0-9_.~-] (app may contain '/')
  InvalidTime,        // expiry before the epoch, or a txTime that is not 1..16 hex digits
  InvalidBizId,       // empty or not decimal digits
  InvalidGmeField,    // GME AppID not decimal, UserID / RoomID empty or outside [A-Za-z0-9_.~-]
  InvalidGmeMode,     // GME mode other than 1 or 2
};
OPENLIVE_API std::string_view toString(SignError error) noexcept;

template <class T>
using SignResult = BasicResult<T, SignError>;

// The two query values that authorise a stream until `txTime`.
struct TxSignature {
  std::string txTime;    // hex Unix seconds, as placed in the URL
  std::string txSecret;  // 32 lower-case hex digits
};

// Expiry -> lower-case hex Unix seconds ("5c2acacc"). Negative times give InvalidTime.
OPENLIVE_API SignResult<std::string> txTimeHex(std::chrono::sys_seconds expiry);

// Signs `streamName` until `expiry`: txTime = txTimeHex(expiry), txSecret = MD5(key + streamName + txTime).
OPENLIVE_API SignResult<TxSignature> signStream(std::string_view key, std::string_view streamName,
                                                std::chrono::sys_seconds expiry);

// txSecret for an existing txTime text, signed exactly as given (case preserved). txTime must be 1..16 hex digits.
OPENLIVE_API SignResult<std::string> txSecretFor(std::string_view key, std::string_view streamName,
                                                 std::string_view txTime);

// Signing material for a URL. When absent from a LiveUrlSpec, the URL is built unsigned.
struct UrlSigning {
  std::string key;                    // the domain's hotlink key; must not be empty
  std::chrono::sys_seconds expiry{};  // txTime; allow 12-24 h so that reconnects still pass
};

// What a push or play URL is made of.
struct LiveUrlSpec {
  std::string domain;      // host, host:port or [v6]:port; no scheme, no path
  std::string app = "live";
  std::string streamName;  // [A-Za-z0-9_.~-]+
  std::optional<UrlSigning> signing;
};

enum class PlayProtocol { Rtmp, HttpFlv, HttpsFlv };
OPENLIVE_API std::string_view toString(PlayProtocol protocol) noexcept;

// rtmp://domain/app/stream[?txSecret=..&txTime=..]
OPENLIVE_API SignResult<std::string> buildPushUrl(const LiveUrlSpec& spec);
// rtmp://domain/app/stream, http(s)://domain/app/stream.flv, each with ?txSecret=..&txTime=.. when signed.
OPENLIVE_API SignResult<std::string> buildPlayUrl(const LiveUrlSpec& spec, PlayProtocol protocol);
// rtmp://domain/app/stream?bizid=..&txTime=..&txSecret=.. ; `spec.signing` is required (EmptyKey without it).
OPENLIVE_API SignResult<std::string> buildLowLatencyPlayUrl(const LiveUrlSpec& spec, std::string_view bizId);

// A live URL taken apart. Values are exactly as they appear in the URL (no percent-decoding).
struct SignedUrlParts {
  std::string scheme;      // lower case: "rtmp", "rtmps", "http" or "https"
  std::string host;        // without brackets for IPv6
  int port = 0;            // 0 when the URL names none
  std::string app;         // path between host and stream; may contain '/' ("app/instance")
  std::string streamName;  // last path segment without ".flv" / ".m3u8": the string that is signed
  std::string extension;   // "", "flv" or "m3u8"
  std::vector<std::pair<std::string, std::string>> query;  // in URL order
  std::optional<std::string> txTime;
  std::optional<std::string> txSecret;
  std::optional<std::string> bizid;
};

// Parses rtmp(s)://host[:port]/app/stream[?query] and http(s)://host[:port]/app/stream.(flv|m3u8)[?query].
// Returns std::nullopt for anything else: empty parts, bad ports, credentials, fragments, control characters,
// a repeated txTime / txSecret / bizid, or an http(s) URL without .flv / .m3u8.
OPENLIVE_API std::optional<SignedUrlParts> parseSignedUrl(std::string_view url);

enum class VerifyError {
  Ok = 0,
  MalformedUrl,     // parseSignedUrl rejected the URL
  MissingTxTime,    // no txTime parameter
  MissingTxSecret,  // no txSecret parameter
  MalformedTxTime,  // txTime is not 1..16 hex digits
  BadSecret,        // txSecret does not match MD5(key + streamName + txTime)
  Expired,          // genuine signature, but now > txTime
  EmptyKey,         // verification key is empty
};
OPENLIVE_API std::string_view toString(VerifyError error) noexcept;

struct VerifiedUrl {
  SignedUrlParts parts;                // filled whenever the URL parsed
  std::chrono::sys_seconds expiry{};   // filled from txTime when it parsed
};
using VerifyResult = BasicResult<VerifiedUrl, VerifyError>;

// Checks a signed URL against `key` at time `now`. Order of checks: URL, key, txTime present, txSecret present,
// txTime well-formed, secret (compared case-insensitively, constant time), then expiry. So Expired is only
// reported for an authentic signature. Valid through the expiry second itself.
OPENLIVE_API VerifyResult verifySignedUrl(std::string_view url, std::string_view key, std::chrono::sys_seconds now);

// ---- GME (Game Multimedia Engine) RTMP stream addresses ----

enum class GmeMode {
  Member = 1,   // one member's stream: StreamID {AppID}_{UserID}_{RoomID}_main
  RoomMix = 2,  // the room's mixed stream: StreamID mixer_{AppID}_{RoomID}
};

struct GmeStreamSpec {
  GmeMode mode = GmeMode::Member;
  std::string appId;      // GME AppID, decimal
  std::string userId;     // mode 1 only
  std::string roomId;
  std::string bizId;      // live BizID, decimal
  std::string streamKey;  // the live StreamKey used for txSecret
  std::chrono::sys_seconds expiry{};
};

struct GmeStream {
  std::string streamId;    // as above, per mode
  std::string streamName;  // {BizID}_{md5(StreamID)}
  TxSignature signature;
  std::string url;  // rtmp://{BizID}.liveplay.myqcloud.com/live/{streamName}?txSecret=..&txTime=..
};

// StreamName for a GME StreamID: {bizId}_{lower-case hex md5(streamId)}.
OPENLIVE_API SignResult<std::string> gmeStreamName(std::string_view bizId, std::string_view streamId);
OPENLIVE_API SignResult<GmeStream> buildGmeStream(const GmeStreamSpec& spec);

}  // namespace openlive
