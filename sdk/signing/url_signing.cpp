// Hotlink signing, signed push / play URLs and GME stream addresses.
#include <openlive/url_signing.h>

#include "signing/authority.h"
#include "signing/crypto.h"

#include <algorithm>
#include <charconv>

namespace openlive {

using signing::isHexDigits;
using signing::isUnreservedToken;

std::string_view toString(SignError error) noexcept {
  switch (error) {
    case SignError::Ok: return "ok";
    case SignError::EmptyKey: return "empty key";
    case SignError::InvalidStreamName: return "invalid stream name";
    case SignError::InvalidDomain: return "invalid domain";
    case SignError::InvalidApp: return "invalid app";
    case SignError::InvalidTime: return "invalid time";
    case SignError::InvalidBizId: return "invalid bizid";
    case SignError::InvalidGmeField: return "invalid GME field";
    case SignError::InvalidGmeMode: return "invalid GME mode";
  }
  return "unknown sign error";
}

std::string_view toString(PlayProtocol protocol) noexcept {
  switch (protocol) {
    case PlayProtocol::Rtmp: return "rtmp";
    case PlayProtocol::HttpFlv: return "http-flv";
    case PlayProtocol::HttpsFlv: return "https-flv";
  }
  return "unknown";
}

namespace {

bool isDecimal(std::string_view s) noexcept {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// app: one or more unreserved segments separated by single '/'.
bool isValidApp(std::string_view app) noexcept {
  if (app.empty()) return false;
  size_t start = 0;
  while (true) {
    size_t slash = app.find('/', start);
    std::string_view seg = app.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    if (!isUnreservedToken(seg)) return false;
    if (slash == std::string_view::npos) return true;
    start = slash + 1;
  }
}

SignError checkSpec(const LiveUrlSpec& spec) {
  if (!signing::parseAuthority(spec.domain)) return SignError::InvalidDomain;
  if (!isValidApp(spec.app)) return SignError::InvalidApp;
  if (!isUnreservedToken(spec.streamName)) return SignError::InvalidStreamName;
  if (spec.signing && spec.signing->key.empty()) return SignError::EmptyKey;
  return SignError::Ok;
}

// "?txSecret=..&txTime=.." for a signed spec, "" otherwise.
SignResult<std::string> signedQuery(const LiveUrlSpec& spec) {
  if (!spec.signing) return {};
  auto sig = signStream(spec.signing->key, spec.streamName, spec.signing->expiry);
  if (!sig) return {{}, sig.error};
  return {"?txSecret=" + sig.value.txSecret + "&txTime=" + sig.value.txTime, SignError::Ok};
}

std::string basePath(const LiveUrlSpec& spec) { return spec.domain + "/" + spec.app + "/" + spec.streamName; }

}  // namespace

SignResult<std::string> txTimeHex(std::chrono::sys_seconds expiry) {
  auto secs = expiry.time_since_epoch().count();
  if (secs < 0) return {{}, SignError::InvalidTime};
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, static_cast<unsigned long long>(secs), 16);
  if (ec != std::errc()) return {{}, SignError::InvalidTime};
  return {std::string(buf, end), SignError::Ok};  // to_chars writes lower-case digits
}

SignResult<std::string> txSecretFor(std::string_view key, std::string_view streamName, std::string_view txTime) {
  if (key.empty()) return {{}, SignError::EmptyKey};
  if (!isUnreservedToken(streamName)) return {{}, SignError::InvalidStreamName};
  if (!isHexDigits(txTime) || txTime.size() > 16) return {{}, SignError::InvalidTime};
  std::string material;
  material.reserve(key.size() + streamName.size() + txTime.size());
  material.append(key).append(streamName).append(txTime);
  return {signing::md5Hex(material), SignError::Ok};
}

SignResult<TxSignature> signStream(std::string_view key, std::string_view streamName,
                                   std::chrono::sys_seconds expiry) {
  auto t = txTimeHex(expiry);
  if (!t) return {{}, t.error};
  auto s = txSecretFor(key, streamName, t.value);
  if (!s) return {{}, s.error};
  return {{std::move(t.value), std::move(s.value)}, SignError::Ok};
}

SignResult<std::string> buildPushUrl(const LiveUrlSpec& spec) {
  if (auto e = checkSpec(spec); e != SignError::Ok) return {{}, e};
  auto q = signedQuery(spec);
  if (!q) return q;
  return {"rtmp://" + basePath(spec) + q.value, SignError::Ok};
}

SignResult<std::string> buildPlayUrl(const LiveUrlSpec& spec, PlayProtocol protocol) {
  if (auto e = checkSpec(spec); e != SignError::Ok) return {{}, e};
  auto q = signedQuery(spec);
  if (!q) return q;
  switch (protocol) {
    case PlayProtocol::Rtmp: return {"rtmp://" + basePath(spec) + q.value, SignError::Ok};
    case PlayProtocol::HttpFlv: return {"http://" + basePath(spec) + ".flv" + q.value, SignError::Ok};
    case PlayProtocol::HttpsFlv: return {"https://" + basePath(spec) + ".flv" + q.value, SignError::Ok};
  }
  return {{}, SignError::InvalidStreamName};
}

SignResult<std::string> buildLowLatencyPlayUrl(const LiveUrlSpec& spec, std::string_view bizId) {
  if (auto e = checkSpec(spec); e != SignError::Ok) return {{}, e};
  if (!spec.signing) return {{}, SignError::EmptyKey};
  if (!isDecimal(bizId)) return {{}, SignError::InvalidBizId};
  auto sig = signStream(spec.signing->key, spec.streamName, spec.signing->expiry);
  if (!sig) return {{}, sig.error};
  return {"rtmp://" + basePath(spec) + "?bizid=" + std::string(bizId) + "&txTime=" + sig.value.txTime +
              "&txSecret=" + sig.value.txSecret,
          SignError::Ok};
}

SignResult<std::string> gmeStreamName(std::string_view bizId, std::string_view streamId) {
  if (!isDecimal(bizId)) return {{}, SignError::InvalidBizId};
  if (!isUnreservedToken(streamId)) return {{}, SignError::InvalidGmeField};
  return {std::string(bizId) + "_" + signing::md5Hex(streamId), SignError::Ok};
}

SignResult<GmeStream> buildGmeStream(const GmeStreamSpec& spec) {
  if (spec.mode != GmeMode::Member && spec.mode != GmeMode::RoomMix) return {{}, SignError::InvalidGmeMode};
  if (!isDecimal(spec.appId) || !isUnreservedToken(spec.roomId)) return {{}, SignError::InvalidGmeField};
  if (spec.mode == GmeMode::Member && !isUnreservedToken(spec.userId)) return {{}, SignError::InvalidGmeField};
  if (!isDecimal(spec.bizId)) return {{}, SignError::InvalidBizId};
  if (spec.streamKey.empty()) return {{}, SignError::EmptyKey};

  GmeStream out;
  out.streamId = spec.mode == GmeMode::Member ? spec.appId + "_" + spec.userId + "_" + spec.roomId + "_main"
                                              : "mixer_" + spec.appId + "_" + spec.roomId;
  auto name = gmeStreamName(spec.bizId, out.streamId);
  if (!name) return {{}, name.error};
  out.streamName = std::move(name.value);
  auto sig = signStream(spec.streamKey, out.streamName, spec.expiry);
  if (!sig) return {{}, sig.error};
  out.signature = std::move(sig.value);
  out.url = "rtmp://" + spec.bizId + ".liveplay.myqcloud.com/live/" + out.streamName +
            "?txSecret=" + out.signature.txSecret + "&txTime=" + out.signature.txTime;
  return {std::move(out), SignError::Ok};
}

}  // namespace openlive
