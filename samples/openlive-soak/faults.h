// The fault schedule: one fault every interval, cycling through the configured kinds, executed on its own
// thread (a server restart blocks for seconds) against the media server and the fault proxy in front of it.
#pragma once

#include "probes.h"
#include "soak_options.h"
#include "step_timeline.h"

#include <functional>
#include <string>
#include <vector>

namespace openlive::test {
class MediaServer;
class FaultProxy;
}  // namespace openlive::test

namespace soak {

struct FaultRecord {
  FaultKind kind{};
  double plannedT = 0;
  double startT = -1;  // when the impairment began
  double endT = -1;    // when it was lifted (server accepting again, stall over, cap removed)
  std::string detail;
  bool ok = true;      // false when the fault itself could not be applied (e.g. restart failed)
};

// The faults made at the fault proxy, shared by both scenarios: cut closes every connection; stall and throttle
// last their configured time (waited for with `sleepUntil`, seconds since t0, from `startT`). Returns what was
// done, for the record.
enum class ProxyFault { Cut, Stall, Throttle };
std::string applyProxyFault(ProxyFault fault, const Options& o, openlive::test::FaultProxy& proxy, double startT,
                            const std::function<bool(double)>& sleepUntil);

// Faults that fit in the run: each needs max(recoveryBound, latencyWindow) + 2 s after its expected end.
std::vector<FaultRecord> planFaults(const Options& o);

class FaultInjector {
 public:
  FaultInjector(const Options& o, Clock::time_point t0, openlive::test::MediaServer& server,
                openlive::test::FaultProxy& proxy);
  ~FaultInjector();  // stops the schedule, lifts any active impairment
  void start();
  std::vector<FaultRecord> records() const;
  std::string activeFault() const;  // "" when none

 private:
  void apply(FaultRecord& r);

  const Options& o_;
  Clock::time_point t0_;
  openlive::test::MediaServer& server_;
  openlive::test::FaultProxy& proxy_;
  StepTimeline<FaultRecord> timeline_;  // last: its thread ends first
};

}  // namespace soak
