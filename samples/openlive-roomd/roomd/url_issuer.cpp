#include "url_issuer.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cctype>

#include "clock.h"

namespace openlive::roomd {
namespace {

// host[:port] as url_signing wants it (IPv6 in brackets).
std::string domainOf(const SignedUrlParts& p) {
  std::string host = p.host.find(':') != std::string::npos ? "[" + p.host + "]" : p.host;
  return p.port ? host + ":" + std::to_string(p.port) : host;
}

// base + "/probe" parsed, so the app path of base comes out as `app`.
std::optional<SignedUrlParts> parseBase(const std::string& base, const char* ext) {
  if (base.empty() || base.find('?') != std::string::npos) return std::nullopt;
  std::string b = base;
  while (!b.empty() && b.back() == '/') b.pop_back();
  return parseSignedUrl(b + "/probe" + ext);
}

bool alnum(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isalnum(c); });
}

}  // namespace

std::optional<UrlIssuer> UrlIssuer::create(const RoomdConfig& config, std::string* why) {
  UrlIssuer u(config);
  auto rtmp = parseBase(config.rtmpBase, "");
  if (!rtmp || (rtmp->scheme != "rtmp" && rtmp->scheme != "rtmps")) {
    if (why) *why = "--rtmp must look like rtmp://HOST:PORT/APP";
    return std::nullopt;
  }
  u.rtmpDomain_ = domainOf(*rtmp);
  u.rtmpHost_ = rtmp->host;
  u.rtmpApp_ = rtmp->app;
  if (!config.playFlvBase.empty()) {
    auto flv = parseBase(config.playFlvBase, ".flv");
    if (!flv || (flv->scheme != "http" && flv->scheme != "https")) {
      if (why) *why = "--play-flv must look like http://HOST:PORT/APP";
      return std::nullopt;
    }
    u.flvDomain_ = domainOf(*flv);
    u.flvApp_ = flv->app;
    u.flvTls_ = flv->scheme == "https";
  }
  return u;
}

std::string UrlIssuer::streamNameFor(const std::string& userID) const {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(userID.data(), userID.size(), md, &len, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string name = std::to_string(config_->sdkAppId) + "_";
  for (unsigned i = 0; i < 8 && i < len; ++i) {
    name.push_back(kHex[md[i] >> 4]);
    name.push_back(kHex[md[i] & 15]);
  }
  return name;
}

LiveUrlSpec UrlIssuer::spec(const std::string& streamName) const {
  LiveUrlSpec s;
  s.domain = rtmpDomain_;
  s.app = rtmpApp_;
  s.streamName = streamName;
  s.signing = UrlSigning{config_->key, unixNow() + config_->urlValidity};
  return s;
}

UrlIssuer::PushUrls UrlIssuer::urlsFor(const std::string& userID) const {
  PushUrls u;
  u.streamName = streamNameFor(userID);
  u.pushURL = buildPushUrl(spec(u.streamName)).value;
  u.accelerateURL = accelerateUrlFor(u.streamName);
  return u;
}

std::string UrlIssuer::accelerateUrlFor(const std::string& streamName) const {
  return buildLowLatencyPlayUrl(spec(streamName), std::to_string(config_->sdkAppId)).value;
}

std::string UrlIssuer::pushUrlFor(const std::string& streamName) const {
  return buildPushUrl(spec(streamName)).value;
}

std::string UrlIssuer::mixedPlayUrlFor(const std::string& streamName) const {
  LiveUrlSpec s = spec(streamName);
  if (flvDomain_.empty()) return buildPlayUrl(s, PlayProtocol::Rtmp).value;
  s.domain = flvDomain_;
  s.app = flvApp_;
  return buildPlayUrl(s, flvTls_ ? PlayProtocol::HttpsFlv : PlayProtocol::HttpFlv).value;
}

std::optional<std::string> UrlIssuer::streamOfPushUrl(const std::string& pushURL) const {
  auto p = parseSignedUrl(pushURL);
  if (!p || (p->scheme != "rtmp" && p->scheme != "rtmps") || !p->extension.empty()) return std::nullopt;
  if (p->host != rtmpHost_ || domainOf(*p) != rtmpDomain_ || p->app != rtmpApp_) return std::nullopt;
  return p->streamName;
}

VerifyError UrlIssuer::verifyStream(const std::string& name, const std::string& txSecret,
                                    const std::string& txTime) const {
  // Only hex digits are meaningful in either value; anything else would change the URL we rebuild.
  if (!alnum(txSecret)) return VerifyError::BadSecret;
  if (!alnum(txTime)) return VerifyError::MalformedTxTime;
  const bool nameOk = !name.empty() && std::all_of(name.begin(), name.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '_' || c == '.' || c == '~' || c == '-';
  });
  if (!nameOk) return VerifyError::MalformedUrl;
  std::string url = "rtmp://" + rtmpDomain_ + "/" + rtmpApp_ + "/" + name;
  std::string query;
  if (!txSecret.empty()) query += "txSecret=" + txSecret;
  if (!txTime.empty()) query += (query.empty() ? "" : "&") + std::string("txTime=") + txTime;
  if (!query.empty()) url += "?" + query;
  return verifySignedUrl(url, config_->key, unixNow()).error;
}

}  // namespace openlive::roomd
