// The URLs roomd hands out and checks: signed push URLs, signed low-latency (accelerate) play URLs, the
// audience's mixedPlayURL, and the check behind the media server's publish/play callbacks. All signing and
// verifying is the SDK's (include/openlive/url_signing.h).
#pragma once

#include <openlive/url_signing.h>

#include <chrono>
#include <optional>
#include <string>

#include "config.h"

namespace openlive::roomd {

class UrlIssuer {
 public:
  // Parses config.rtmpBase (rtmp://HOST[:PORT]/APP) and config.playFlvBase; nullopt + *why when unusable.
  static std::optional<UrlIssuer> create(const RoomdConfig& config, std::string* why);

  // The stream a user publishes: "<sdkAppId>_<first 16 hex digits of SHA-256(userID)>" (any userID maps to a
  // valid, fixed-length stream name).
  std::string streamNameFor(const std::string& userID) const;

  struct PushUrls {
    std::string streamName;
    std::string pushURL;        // rtmp://host/app/stream?txSecret=..&txTime=..
    std::string accelerateURL;  // rtmp://host/app/stream?bizid=..&txTime=..&txSecret=..
  };
  PushUrls urlsFor(const std::string& userID) const;
  std::string accelerateUrlFor(const std::string& streamName) const;
  std::string pushUrlFor(const std::string& streamName) const;  // signed (a room mixer's output)
  // HTTP-FLV (playFlvBase) when configured, else RTMP; signed either way (the media server checks every play).
  std::string mixedPlayUrlFor(const std::string& streamName) const;
  // The stream name of a push URL on our media server (our host and app), else nullopt. Its signature is the
  // media server's business (checked through the publish callback).
  std::optional<std::string> streamOfPushUrl(const std::string& pushURL) const;

  // The check behind on_publish / on_play: stream `name` with the txSecret / txTime the client sent.
  VerifyError verifyStream(const std::string& name, const std::string& txSecret, const std::string& txTime) const;

 private:
  UrlIssuer(const RoomdConfig& config) : config_(&config) {}
  LiveUrlSpec spec(const std::string& streamName) const;

  const RoomdConfig* config_;
  std::string rtmpDomain_, rtmpApp_, rtmpHost_;
  std::string flvDomain_, flvApp_;
  bool flvTls_ = false;
};

}  // namespace openlive::roomd
