// Invariants, the Markdown summary and the plots of a soak run.
#pragma once

#include "faults.h"
#include "probes.h"
#include "proc_stats.h"
#include "soak_options.h"
#include "timeline.h"

#include <map>
#include <string>
#include <vector>

namespace soak {

struct Check {
  std::string name;
  bool pass = true;
  std::string detail;  // the measured numbers
};

struct RunData {
  const Options* options = nullptr;
  std::string serverName;
  double latencyBoundMs = 0;  // max cache + slack
  double endT = 0;            // when everything was asked to stop
  std::vector<Sample> samples;
  std::vector<FaultRecord> faults;
  std::map<std::string, std::vector<PlayPoint>> play;  // by player id
  std::map<std::string, std::vector<PushPoint>> push;  // by pusher id
  std::vector<std::string> eventViolations;
  std::map<std::string, int> eventCounts;  // "2103 PLAY_WARNING_RECONNECT" -> n
  int restarts = 0;
  double maxStopMs = 0;
  ProcStats baseline, end;
  std::string extraThreads, extraFds;  // what was still open at the end beyond the baseline
};

// Building blocks the room scenario's report shares (room_report.cpp).
std::string fmt(double v, int prec = 1);
double percentile(std::vector<double> v, double p);
Check checkStartup(const RunData& d);   // every player rendered a frame
Check checkRss(const RunData& d);       // anonymous RSS trend after the warm-up (README.md)
Check checkBaseline(const RunData& d);  // fds and threads back to the baseline
// Threads and descriptors: waits (bounded, 5 s) for them to be back at the baseline taken before the first SDK
// object; fills d.end and what is still open beyond the baseline.
void settleToBaseline(RunData& d, const std::map<std::string, int>& baseThreads,
                      const std::map<std::string, int>& baseFds);
Check checkEvents(const RunData& d);    // event-order violations
void runGnuplot(const std::string& dir, const Options& o);

// Evaluates every invariant (fault rows are filled into `faultRows` for the summary).
std::vector<Check> evaluate(const RunData& d, std::vector<std::string>* faultRows);

// Writes summary.md and faults.gp into `dir`, runs gnuplot (when enabled); returns the Markdown.
std::string writeReport(const std::string& dir, const RunData& d, const std::vector<Check>& checks,
                        const std::vector<std::string>& faultRows);

}  // namespace soak
