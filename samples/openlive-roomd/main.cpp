// openlive-roomd: the RoomService backend for live rooms (anchor + co-anchors + audience) and rtc rooms (1v1,
// 1v3): rooms, members, signed URLs, heartbeats, signalling, media server auth callbacks. See README.md.
//
//   openlive-roomd --listen 127.0.0.1:0 --sdkappid 1400000001 --key SECRET --rtmp rtmp://127.0.0.1:1935/live
//
// Prints one line when ready: "openlive-roomd listening on http://HOST:PORT (store memory|redis)". Runs until
// SIGINT / SIGTERM. Exit status: 0 after a clean stop, 1 when it cannot start, 2 for bad arguments.
#include <CLI/CLI.hpp>
#include <signal.h>

#include <charconv>
#include <cstdio>
#include <iostream>
#include <string>

#include "roomd/log.h"
#include "roomd/roomd_server.h"

namespace {

using namespace openlive::roomd;

bool splitListen(const std::string& listen, RoomdConfig& c) {
  const size_t colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0) return false;
  std::string host = listen.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  const std::string port = listen.substr(colon + 1);
  int p = -1;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), p);
  if (ec != std::errc() || end != port.data() + port.size() || p < 0 || p > 65535) return false;
  c.listenHost = host;
  c.listenPort = p;
  return true;
}

struct Durations {
  int64_t sweepMs = 5000, silenceMs = 20000, retentionMs = 30000, maxAgeMs = 10000, pingMs = 10000;
  int64_t urlSec = 24 * 3600, tokenSec = 24 * 3600;
  int64_t mixerLeaseMs = 15000;
};

void addOptions(CLI::App& app, RoomdConfig& c, std::string& listen, Durations& d, std::string& level) {
  app.add_option("--listen", listen, "HOST:PORT to listen on (port 0: an ephemeral port)")->default_val(listen);
  app.add_option("--sdkappid", c.sdkAppId, "the app's SDKAppID")->required();
  app.add_option("--key", c.key, "the app's secret key (or env OPENLIVE_ROOMD_KEY)")
      ->envname("OPENLIVE_ROOMD_KEY")
      ->required();
  app.add_option("--rtmp", c.rtmpBase, "rtmp://HOST:PORT/APP where anchors publish")->required();
  app.add_option("--play-flv", c.playFlvBase, "http://HOST:PORT/APP: the audience plays HTTP-FLV from here");
  app.add_option("--mixer", c.mixerPath,
                 "path of openlive-mixer: live rooms get an audience stream that a supervised mixer publishes");
  app.add_option("--mixer-arg", c.mixerArgs, "an extra argument for every mixer (repeat), e.g. --mixer-arg=--fps=20")
      ->allow_extra_args(false);
  app.add_option("--mixer-host", c.mixerHost,
                 "http://HOST:PORT of a mixer host (openlive-mixhost): the mixes run there instead (not with --mixer)");
  app.add_option("--mixer-host-token", c.mixerHostToken, "the mixer host's bearer token (or env OPENLIVE_MIXHOST_TOKEN)")
      ->envname("OPENLIVE_MIXHOST_TOKEN");
  app.add_option("--mixer-lease-ms", d.mixerLeaseMs, "a mix on the mixer host ends this long after roomd last renewed it")
      ->default_val(d.mixerLeaseMs);
  app.add_option("--redis", c.redisUrl, "redis://HOST:PORT: shared state and signalling for several instances");
  app.add_option("--sweep-interval-ms", d.sweepMs, "liveness sweep period")->default_val(d.sweepMs);
  app.add_option("--silence-timeout-ms", d.silenceMs, "heartbeat silence before a member's stream is checked")
      ->default_val(d.silenceMs);
  app.add_option("--mailbox-retention-ms", d.retentionMs, "how long messages wait for a reconnecting client")
      ->default_val(d.retentionMs);
  app.add_option("--message-max-age-ms", d.maxAgeMs, "messages stamped further from the server clock are dropped")
      ->default_val(d.maxAgeMs);
  app.add_option("--sse-ping-ms", d.pingMs, "keep-alive comment period on idle signalling streams")
      ->default_val(d.pingMs);
  app.add_option("--url-validity-s", d.urlSec, "txTime of the URLs handed out")->default_val(d.urlSec);
  app.add_option("--token-validity-s", d.tokenSec, "login token lifetime")->default_val(d.tokenSec);
  app.add_option("--max-body", c.maxBodyBytes, "request body limit in bytes")->default_val(c.maxBodyBytes);
  app.add_option("--max-streams", c.maxStreams, "concurrent signalling streams")->default_val(c.maxStreams);
  app.add_option("--http-threads", c.httpThreads, "HTTP workers (0: max-streams + 16)")->default_val(0);
  app.add_option("--log-level", level, "debug, info, warning or error")
      ->check(CLI::IsMember({"debug", "info", "warning", "error"}))
      ->default_val(level);
}

void applyDurations(const Durations& d, RoomdConfig& c) {
  using namespace std::chrono;
  c.sweepInterval = milliseconds(d.sweepMs);
  c.mixerLease = milliseconds(d.mixerLeaseMs);
  c.silenceTimeout = milliseconds(d.silenceMs);
  c.mailboxRetention = milliseconds(d.retentionMs);
  c.messageMaxAge = milliseconds(d.maxAgeMs);
  c.ssePing = milliseconds(d.pingMs);
  c.urlValidity = seconds(d.urlSec);
  c.tokenValidity = seconds(d.tokenSec);
}

openlive::LogLevel parseLevel(const std::string& s) {
  if (s == "debug") return openlive::LogLevel::Debug;
  if (s == "warning") return openlive::LogLevel::Warning;
  if (s == "error") return openlive::LogLevel::Error;
  return openlive::LogLevel::Info;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"openlive-roomd: RoomService backend for live rooms and rtc rooms"};
  RoomdConfig config;
  std::string listen = "127.0.0.1:0", level = "info";
  Durations durations;
  addOptions(app, config, listen, durations, level);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  if (!splitListen(listen, config)) {
    std::cerr << "openlive-roomd: --listen must be HOST:PORT\n";
    return 2;
  }
  applyDurations(durations, config);
  if (auto why = validateConfig(config); !why.empty()) {
    std::cerr << "openlive-roomd: " << why << "\n";
    return 2;
  }
  openlive::roomd::setLogLevel(parseLevel(level));

  // SIGINT/SIGTERM are taken by sigwait below; blocked before any thread starts, so no thread gets them.
  sigset_t stopSignals;
  sigemptyset(&stopSignals);
  sigaddset(&stopSignals, SIGINT);
  sigaddset(&stopSignals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stopSignals, nullptr);
  signal(SIGPIPE, SIG_IGN);  // a client gone mid-reply is an error return, not a dead server

  RoomdServer server(config);
  std::string why;
  if (!server.start(&why)) {
    std::cerr << "openlive-roomd: cannot start: " << why << "\n";
    return 1;
  }
  std::printf("openlive-roomd listening on http://%s:%d (store %s)\n", config.listenHost.c_str(), server.port(),
              config.redisUrl.empty() ? "memory" : "redis");
  std::fflush(stdout);
  int sig = 0;
  sigwait(&stopSignals, &sig);
  logLine(openlive::LogLevel::Info, std::string("stopping on ") + (sig == SIGINT ? "SIGINT" : "SIGTERM"));
  server.stop();
  return 0;
}
