#include "soak_options.h"

#include <CLI/CLI.hpp>

#include <chrono>
#include <ctime>
#include <map>
#include <sstream>

namespace soak {

const char* toString(FaultKind kind) {
  switch (kind) {
    case FaultKind::Kill: return "kill";
    case FaultKind::Cut: return "cut";
    case FaultKind::Stall: return "stall";
    case FaultKind::Throttle: return "throttle";
  }
  return "?";
}

// "kill,cut,..." or "none" into the fault cycle; false (after a message) for an unknown name.
static bool parseFaultList(const std::string& text, std::vector<FaultKind>* out) {
  out->clear();
  if (text == "none" || text.empty()) return true;
  static const std::map<std::string, FaultKind> names{
      {"kill", FaultKind::Kill}, {"cut", FaultKind::Cut}, {"stall", FaultKind::Stall}, {"throttle", FaultKind::Throttle}};
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ',')) {
    auto it = names.find(item);
    if (it == names.end()) {
      std::fprintf(stderr, "openlive-soak: error: unknown fault '%s' (kill, cut, stall, throttle, none)\n", item.c_str());
      return false;
    }
    out->push_back(it->second);
  }
  return true;
}

int parseOptions(int argc, char** argv, Options* o) {
  CLI::App app{"openlive-soak: pushers and players against a local RTMP server with injected faults"};
  std::string faults = "kill,cut,stall,throttle";
  app.add_option("--server", o->server, "nginx (nginx-rtmp) | nms (node-media-server)")
      ->check(CLI::IsMember({"nginx", "nms"}))->capture_default_str();
  app.add_option("--pushers", o->pushers, "pushers (one stream each)")->check(CLI::Range(1, 64))->capture_default_str();
  app.add_option("--players", o->players, "players (round-robin over the streams)")
      ->check(CLI::Range(0, 256))->capture_default_str();
  app.add_option("--duration", o->durationS, "run length, s (3600 = one hour)")
      ->check(CLI::Range(10.0, 7 * 86400.0))->capture_default_str();
  app.add_option("--faults", faults, "comma list cycled through: kill,cut,stall,throttle; or none")->capture_default_str();
  app.add_option("--fault-interval", o->faultIntervalS, "s between faults")->check(CLI::Range(5.0, 86400.0))
      ->capture_default_str();
  app.add_option("--first-fault", o->firstFaultS, "s to the first fault")->check(CLI::Range(1.0, 86400.0))
      ->capture_default_str();
  app.add_option("--server-down-ms", o->serverDownMs, "kill: time the server stays down")
      ->check(CLI::Range(0, 60000))->capture_default_str();
  app.add_option("--stall-ms", o->stallMs, "stall length")->check(CLI::Range(100, 60000))->capture_default_str();
  app.add_option("--throttle-kbps", o->throttleKbps, "throttle: cap per connection and direction")
      ->check(CLI::Range(8, 100000))->capture_default_str();
  app.add_option("--throttle-ms", o->throttleMs, "throttle length")->check(CLI::Range(100, 600000))->capture_default_str();
  app.add_option("--recovery-bound", o->recoveryBoundS, "s after a fault ends by which fresh media must play")
      ->check(CLI::Range(1.0, 600.0))->capture_default_str();
  app.add_option("--latency-window", o->latencyWindowS, "s after a fault ends by which latency must be <= max cache + slack")
      ->check(CLI::Range(1.0, 600.0))->capture_default_str();
  app.add_option("--latency-slack-ms", o->latencySlackMs, "allowed latency on top of the max cache")
      ->check(CLI::Range(0, 10000))->capture_default_str();
  app.add_option("--warmup", o->warmupS, "s before the RSS trend is measured")->check(CLI::Range(0.0, 3600.0))
      ->capture_default_str();
  app.add_option("--rss-limit", o->rssLimitMbPerHour, "RSS growth limit, MB/hour (extrapolated)")
      ->check(CLI::NonNegativeNumber)->capture_default_str();
  app.add_option("--rss-noise-mb", o->rssNoiseMb, "allowed RSS growth over the window on top of the limit")
      ->check(CLI::NonNegativeNumber)->capture_default_str();
  app.add_option("--push-mode", o->pushMode, "sd | hd | fhd | rtc")->check(CLI::IsMember({"sd", "hd", "fhd", "rtc"}))
      ->capture_default_str();
  app.add_option("--cache-mode", o->cacheMode, "player cache: fast | smooth | auto (default: SDK default)")
      ->check(CLI::IsMember({"fast", "smooth", "auto"}));
  app.add_option("--min-cache", o->minCacheS, "player min cache, s")->check(CLI::PositiveNumber);
  app.add_option("--max-cache", o->maxCacheS, "player max cache, s")->check(CLI::PositiveNumber);
  app.add_option("--retries", o->retries, "push and play reconnect attempts")->check(CLI::Range(0, 10))
      ->capture_default_str();
  app.add_option("--retry-interval", o->retryIntervalS, "s between reconnect attempts")
      ->check(CLI::Range(0.1, 30.0))->capture_default_str();
  app.add_option("--out", o->outDir, "output directory (default ./soak-YYYYmmdd-HHMMSS)");
  app.add_option("--plot-script", o->plotScript, "gnuplot script (default: tests/soak/soak_plots.gp)");
  app.add_flag("!--no-plots", o->plots, "skip the PNG plots");
  app.add_flag("!--no-fork", o->fork, "run in this process (a crash then ends without a report)");
  app.add_option("--log-level", o->logLevel, "SDK log level written to sdk.log")
      ->check(CLI::IsMember({"trace", "debug", "info", "warning", "error", "off"}))->capture_default_str();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }

  if (!parseFaultList(faults, &o->faults)) return 2;
  if (o->maxCacheS > 0 && o->minCacheS > o->maxCacheS) {
    std::fprintf(stderr, "openlive-soak: error: --min-cache above --max-cache\n");
    return 2;
  }
  if (o->outDir.empty()) {
    std::time_t t = std::time(nullptr);
    char buf[64];
    std::strftime(buf, sizeof buf, "soak-%Y%m%d-%H%M%S", std::localtime(&t));
    o->outDir = buf;
  }
  if (o->plotScript.empty()) o->plotScript = OPENLIVE_SOAK_PLOT_SCRIPT;
  return -1;
}

}  // namespace soak
