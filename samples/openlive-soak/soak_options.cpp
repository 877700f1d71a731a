#include "soak_options.h"

#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>
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

const char* toString(RoomStep step) {
  switch (step) {
    case RoomStep::Kill: return "kill";
    case RoomStep::CoKill: return "cokill";
    case RoomStep::Roomd: return "roomd";
    case RoomStep::Cut: return "cut";
    case RoomStep::Stall: return "stall";
    case RoomStep::Throttle: return "throttle";
    case RoomStep::Join: return "join";
    case RoomStep::Leave: return "leave";
  }
  return "?";
}

// The room scenario's "kill,cokill,...,join" or "none"; false (after a message) for an unknown name.
static bool parseRoomSteps(const std::string& text, std::vector<RoomStep>* out) {
  out->clear();
  if (text == "none" || text.empty()) return true;
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ',')) {
    bool known = false;
    for (RoomStep s : {RoomStep::Kill, RoomStep::CoKill, RoomStep::Roomd, RoomStep::Cut, RoomStep::Stall,
                       RoomStep::Throttle, RoomStep::Join, RoomStep::Leave}) {
      if (item != toString(s)) continue;
      out->push_back(s);
      known = true;
    }
    if (!known) {
      std::fprintf(stderr, "openlive-soak: error: unknown room step '%s' (kill, cokill, roomd, cut, stall, throttle, "
                   "join, leave, none)\n", item.c_str());
      return false;
    }
  }
  return true;
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

// The room scenario's own options (README.md, "Room scenario").
static void addRoomOptions(CLI::App& app, Options* o) {
  app.add_option("--scenario", o->scenario, "streams (pushers + players) | room (anchor, co-anchors, mixer, audience)")
      ->check(CLI::IsMember({"streams", "room"}))->capture_default_str();
  app.add_option("--stall-limit", o->stallLimitS, "room: longest audience stall outside a media fault, s")
      ->check(CLI::Range(0.5, 600.0))->capture_default_str();
  app.add_option("--converge-bound", o->convergeBoundS, "room: s after a change by which every member list agrees")
      ->check(CLI::Range(1.0, 600.0))->capture_default_str();
  app.add_option("--roomd-silence-ms", o->roomdSilenceMs, "room: roomd --silence-timeout-ms")
      ->check(CLI::Range(1000, 600000))->capture_default_str();
  app.add_option("--roomd-sweep-ms", o->roomdSweepMs, "room: roomd --sweep-interval-ms")
      ->check(CLI::Range(100, 600000))->capture_default_str();
}

// The room scenario's defaults where they differ from the streams scenario's, unless given on the command line:
// fresh mix output within 5 s of a fault's end, reconnects 1 s apart (as openlive-mixer's), 10 of them. False
// (after a message) for a server the scenario cannot run on.
static bool applyRoomDefaults(const CLI::App& app, Options* o) {
  if (o->scenario != "room") return true;
  if (o->server != "nginx") {
    std::fprintf(stderr, "openlive-soak: error: the room scenario runs on nginx-rtmp (roomd's callbacks)\n");
    return false;
  }
  if (app.count("--recovery-bound") == 0) o->recoveryBoundS = 5;
  if (app.count("--retry-interval") == 0) o->retryIntervalS = 1;
  if (app.count("--retries") == 0) o->retries = 10;
  return true;
}

int parseOptions(int argc, char** argv, Options* o) {
  CLI::App app{"openlive-soak: pushers and players against a local RTMP server with injected faults"};
  std::string faults = "kill,cut,stall,throttle";
  addRoomOptions(app, o);
  app.add_option("--server", o->server, "nginx (nginx-rtmp) | nms (node-media-server)")
      ->check(CLI::IsMember({"nginx", "nms"}))->capture_default_str();
  app.add_option("--pushers", o->pushers, "pushers (one stream each)")->check(CLI::Range(1, 64))->capture_default_str();
  app.add_option("--players", o->players, "players (round-robin over the streams)")
      ->check(CLI::Range(0, 256))->capture_default_str();
  app.add_option("--duration", o->durationS, "run length, s (3600 = one hour)")
      ->check(CLI::Range(10.0, 7 * 86400.0))->capture_default_str();
  app.add_option("--faults", faults, "comma list cycled through: kill,cut,stall,throttle; or none (room: kill,cokill,"
                 "cut,roomd,join,stall,throttle,leave,join)")->capture_default_str();
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
    return app.exit(e) == 0 ? 0 : 2;  // --help: 0; any parse error: 2 (README), not CLI11's own codes
  }

  if (!applyRoomDefaults(app, o)) return 2;
  if (o->scenario == "room" && app.count("--faults") && !parseRoomSteps(faults, &o->roomSteps)) return 2;
  if (o->scenario != "room" && !parseFaultList(faults, &o->faults)) return 2;
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
