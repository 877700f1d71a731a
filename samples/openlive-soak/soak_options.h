// Command-line options of openlive-soak (defaults documented in README.md).
#pragma once

#include <string>
#include <vector>

namespace soak {

enum class FaultKind { Kill, Cut, Stall, Throttle };
const char* toString(FaultKind kind);

// The room scenario's schedule steps (README.md, "Room scenario"): the four faults of the streams scenario, a
// co-anchor SIGKILLed (CoKill), openlive-roomd SIGKILLed and started again (Roomd), and the membership changes
// (Join: a co-anchor program starts and links; Leave: one gets SIGTERM and leaves the room).
enum class RoomStep { Kill, CoKill, Roomd, Cut, Stall, Throttle, Join, Leave };
const char* toString(RoomStep step);

struct Options {
  std::string scenario = "streams";  // streams | room (room: nginx-rtmp + redis + openlive-roomd --mixer)
  std::string server = "nginx";  // nginx | nms
  int pushers = 2;
  int players = 4;               // spread round-robin over the pushers' streams
  double durationS = 120;        // media run, from the first start() to the stop of everything

  // Faults: `faults` cycles, one every `faultIntervalS`, the first at `firstFaultS`. A fault is scheduled only
  // if it and its observation window (recoveryBoundS and latencyWindowS after its end) fit in the run.
  std::vector<FaultKind> faults{FaultKind::Kill, FaultKind::Cut, FaultKind::Stall, FaultKind::Throttle};
  double faultIntervalS = 30;
  double firstFaultS = 15;
  int serverDownMs = 2000;    // kill: SIGKILL, this long down, then restart on the same ports
  int stallMs = 5000;         // stall: proxy forwards nothing in either direction
  int throttleKbps = 300;     // throttle: per-connection, per-direction cap ...
  int throttleMs = 10000;     // ... for this long

  // Invariants.
  double recoveryBoundS = 15;    // fresh media (captured after the fault ended) rendered by every player
  double latencyWindowS = 10;    // every player's latency <= max cache + slack within this after the fault
  int latencySlackMs = 500;      // glass-to-glass pipeline on top of the cache (encode, network, decode)
  double warmupS = 30;           // RSS trend measured after this
  double rssLimitMbPerHour = 2;  // extrapolated growth limit ...
  double rssNoiseMb = 1;         // ... plus this much over the measured window (allocator noise), see README

  // Room scenario (defaults of recoveryBoundS, faults and players differ there: README.md).
  std::vector<RoomStep> roomSteps{RoomStep::Kill, RoomStep::CoKill, RoomStep::Cut,      RoomStep::Roomd, RoomStep::Join,
                                  RoomStep::Stall, RoomStep::Throttle, RoomStep::Leave, RoomStep::Join};
  double stallLimitS = 3;        // longest audience stall allowed outside a media fault (kill, cut, stall, throttle)
  double convergeBoundS = 25;    // roomd's member list and every member's view agree within this after a change
  int roomdSilenceMs = 15000;    // roomd --silence-timeout-ms (its default 20000)
  int roomdSweepMs = 2000;       // roomd --sweep-interval-ms (its default 5000)

  // SDK configuration.
  std::string pushMode = "rtc";   // sd | hd | fhd | rtc
  std::string cacheMode;          // "" (SDK default: auto 1-5 s) | fast | smooth | auto
  double minCacheS = 0, maxCacheS = 0;  // 0 = the cache mode's value
  int retries = 3;                // push and play reconnect attempts (SDK default 3)
  double retryIntervalS = 3;      // SDK default 3 s

  std::string outDir;             // default ./soak-<date>-<time>
  std::string plotScript;         // default tests/soak/soak_plots.gp from the source tree
  bool plots = true;
  bool fork = true;               // run the soak in a child so a crash is reported, not just suffered
  std::string logLevel = "warning";
};

// Parses argv; returns -1 to continue, else the exit code (0 for --help, 2 for a usage error).
int parseOptions(int argc, char** argv, Options* out);

}  // namespace soak
