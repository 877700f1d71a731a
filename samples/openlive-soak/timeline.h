// The per-second timeline: one JSONL line per second (every session's figures, process resources, events)
// plus timeline.tsv (aggregates, for gnuplot). Both are flushed every line, so a crash leaves them readable.
#pragma once

#include "probes.h"
#include "proc_stats.h"

#include <cstdio>
#include <optional>
#include <string>
#include <vector>

namespace soak {

// Aggregates of one second, kept in memory for the report.
struct Sample {
  double t = 0;
  ProcStats proc;
  std::string fault;              // active fault, "" if none
  std::optional<double> latencyMaxMs, latencyAvgMs;  // over players with fresh frames
  double pushKbps = 0;            // sum of the pushers' VIDEO_BITRATE
  double pushCacheMaxMs = 0;      // largest CACHE_SIZE
  double playCacheMaxMs = 0;      // largest VIDEO_CACHE
  int stalls = 0;                 // totals so far, over all players
  double drops = 0;               // push DROP_SIZE + play VIDEO_DROP, totals so far
  int reconnects = 0;             // 1102 + 2103 so far
  int published = 0, playing = 0; // pushers published, players with fresh frames
  int64_t selfKb = 0;             // the runner's own records so far (these samples, the probes' points)
};

class Timeline {
 public:
  explicit Timeline(const std::string& dir);  // throws std::runtime_error when the files cannot be created
  ~Timeline();
  Timeline(const Timeline&) = delete;
  Timeline& operator=(const Timeline&) = delete;

  // Writes one line; returns the aggregates.
  // selfKb: the runner's own records so far (Sample::selfKb).
  Sample add(double t, const ProcStats& proc, int64_t selfKb, const std::string& fault, const std::vector<PushSnapshot>& push,
             const std::vector<std::string>& pushIds, const std::vector<PlaySnapshot>& play,
             const std::vector<std::string>& playIds, const std::vector<EventRecord>& events);

 private:
  std::FILE* jsonl_ = nullptr;
  std::FILE* tsv_ = nullptr;
};

}  // namespace soak
