// openlive-roomd configuration: every knob in one plain struct, defaults as documented in docs/ROOMS.md.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace openlive::roomd {

using namespace std::chrono_literals;

struct RoomdConfig {
  // HTTP listener. Port 0 = an ephemeral port (RoomdServer::port() tells which).
  std::string listenHost = "127.0.0.1";
  int listenPort = 0;

  uint64_t sdkAppId = 0;
  // The app's secret key: verifies UserSigs and signs/verifies txSecret URLs. A secret: never logged.
  std::string key;
  std::string rtmpBase;     // rtmp://HOST:PORT/APP, where anchors publish (and anchors play each other)
  std::string playFlvBase;  // optional http://HOST:PORT/APP: the audience's mixedPlayURL is HTTP-FLV when set
  std::string redisUrl;     // optional redis://HOST:PORT: shared state + pub/sub fan-out (else in memory)
  // Optional path of openlive-mixer (or a mixer host, below). Set: every live room gets an audience stream of its own ("<anchor's
  // stream>_mix", its mixedPlayURL from the start) that a supervised mixer publishes once the anchor asks for a
  // layout (merge_stream); unset: the audience plays the main anchor's stream and merge_stream is only recorded.
  std::string mixerPath;
  std::vector<std::string> mixerArgs;  // appended to each mixer's command line (--mixer-arg)
  // Or: the mixes run on a mixer host (openlive-mixhost, http://HOST:PORT) instead of as children of this roomd
  // (mix_host.h, remote_mixers.h). Its bearer token is a secret (never logged); each mix is leased for
  // `mixerLease` and renewed every third of it.
  std::string mixerHost;
  std::string mixerHostToken;
  std::chrono::milliseconds mixerLease = std::chrono::seconds(15);

  // Liveness (rooms.md section 3).
  std::chrono::milliseconds sweepInterval = 5s;    // how often silent members are looked for
  std::chrono::milliseconds silenceTimeout = 20s;  // heartbeat silence after which the stream is checked

  std::chrono::seconds urlValidity = 24h;    // txTime of the URLs we hand out
  std::chrono::seconds tokenValidity = 24h;  // login token lifetime (logout ends it sooner)

  // Signalling (rooms.md section 4).
  std::chrono::milliseconds mailboxRetention = 30s;  // a client reconnecting within this loses nothing
  std::chrono::milliseconds messageMaxAge = 10s;     // a message stamped further from the server clock is dropped
  std::chrono::milliseconds ssePing = 10s;           // keep-alive comment on an idle stream
  size_t mailboxCapacity = 512;                      // per user; overflow policy drop-oldest (counted)

  size_t maxBodyBytes = 16 * 1024;  // request body limit (413 above)
  size_t maxStreams = 64;           // concurrent signalling streams per instance (each holds an HTTP worker)
  size_t httpThreads = 0;           // 0: maxStreams + 16
  size_t httpQueue = 256;           // accepted connections waiting for a worker; overflow policy: block

  size_t workerThreads() const { return httpThreads ? httpThreads : maxStreams + 16; }
};

// "" when the config is usable, else what is wrong (never echoes the key).
std::string validateConfig(const RoomdConfig& config);

}  // namespace openlive::roomd
