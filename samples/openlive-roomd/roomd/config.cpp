#include "config.h"

#include <unistd.h>

namespace openlive::roomd {

std::string validateConfig(const RoomdConfig& c) {
  if (c.sdkAppId == 0) return "--sdkappid must be a non-zero number";
  if (c.key.empty()) return "--key must not be empty";
  if (c.rtmpBase.empty()) return "--rtmp is required";
  if (c.listenPort < 0 || c.listenPort > 65535) return "--listen port must be 0..65535";
  if (c.sweepInterval.count() <= 0 || c.silenceTimeout.count() <= 0) return "liveness intervals must be positive";
  if (c.mailboxRetention.count() <= 0 || c.messageMaxAge.count() <= 0 || c.ssePing.count() <= 0)
    return "signalling intervals must be positive";
  if (c.urlValidity.count() <= 0 || c.tokenValidity.count() <= 0) return "validity periods must be positive";
  if (c.maxBodyBytes < 256) return "--max-body must be at least 256 bytes";
  if (c.maxStreams == 0) return "--max-streams must be at least 1";
  if (c.workerThreads() <= c.maxStreams) return "--http-threads must exceed --max-streams";
  if (!c.mixerPath.empty() && access(c.mixerPath.c_str(), X_OK) != 0) return "--mixer: not an executable file";
  if (!c.mixerPath.empty() && !c.mixerHost.empty()) return "--mixer and --mixer-host: one place for the mixes";
  if (!c.mixerHost.empty() && c.mixerHost.rfind("http://", 0) != 0 && c.mixerHost.rfind("https://", 0) != 0)
    return "--mixer-host: an http:// or https:// URL";
  if (c.mixerLease < std::chrono::seconds(3) || c.mixerLease > std::chrono::minutes(10))
    return "--mixer-lease-ms: 3000 .. 600000";
  return {};
}

}  // namespace openlive::roomd
