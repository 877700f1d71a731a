#include "faults.h"

#include "faults/fault_proxy.h"
#include "fixtures/servers.h"

#include <algorithm>

namespace soak {

namespace {
double expectedLength(const Options& o, FaultKind k) {
  switch (k) {
    case FaultKind::Kill: return o.serverDownMs / 1000.0 + 1.0;  // + restart time
    case FaultKind::Cut: return 0;
    case FaultKind::Stall: return o.stallMs / 1000.0;
    case FaultKind::Throttle: return o.throttleMs / 1000.0;
  }
  return 0;
}
}  // namespace

std::vector<FaultRecord> planFaults(const Options& o) {
  std::vector<FaultRecord> plan;
  if (o.faults.empty()) return plan;
  const double tail = std::max(o.recoveryBoundS, o.latencyWindowS) + 2.0;
  for (size_t i = 0;; ++i) {
    FaultRecord r;
    r.kind = o.faults[i % o.faults.size()];
    r.plannedT = o.firstFaultS + static_cast<double>(i) * o.faultIntervalS;
    if (r.plannedT + expectedLength(o, r.kind) + tail > o.durationS) break;
    plan.push_back(r);
  }
  return plan;
}

FaultInjector::FaultInjector(const Options& o, Clock::time_point t0, openlive::test::MediaServer& server,
                             openlive::test::FaultProxy& proxy)
    : o_(o), t0_(t0), server_(server), proxy_(proxy), timeline_(t0, planFaults(o)) {}

FaultInjector::~FaultInjector() {
  timeline_.stop();
  proxy_.clear();
  if (!server_.running()) {
    try {
      server_.restart();
    } catch (const std::exception&) {
    }
  }
}

void FaultInjector::start() {
  timeline_.start("soak-faults", [this](FaultRecord& r) { apply(r); });
}

std::vector<FaultRecord> FaultInjector::records() const { return timeline_.records(); }

std::string FaultInjector::activeFault() const { return timeline_.active(); }

void FaultInjector::apply(FaultRecord& r) {
  auto now = [this] { return secondsSince(t0_); };
  std::fprintf(stderr, "[soak %7.1f s] fault: %s\n", now(), toString(r.kind));
  r.startT = now();
  switch (r.kind) {
    case FaultKind::Kill: {
      server_.kill();
      if (!timeline_.sleepUntil(r.startT + o_.serverDownMs / 1000.0)) { /* stopping: restart anyway */ }
      try {
        server_.restart();
        r.detail = server_.name() + " SIGKILL, down " + std::to_string(o_.serverDownMs) + " ms, restart took " +
                   std::to_string(server_.lastStartTime().count()) + " ms";
      } catch (const std::exception& e) {
        r.ok = false;
        r.detail = std::string("restart failed: ") + e.what();
      }
      break;
    }
    case FaultKind::Cut:
      proxy_.cutAll();
      r.detail = "every proxied connection closed";
      break;
    case FaultKind::Stall:
      proxy_.stall(std::chrono::milliseconds(o_.stallMs), openlive::test::Direction::Both);
      timeline_.sleepUntil(r.startT + o_.stallMs / 1000.0);
      r.detail = "no byte forwarded either way for " + std::to_string(o_.stallMs) + " ms";
      break;
    case FaultKind::Throttle:
      proxy_.setThroughput(int64_t(o_.throttleKbps) * 1000 / 8, openlive::test::Direction::Both);
      timeline_.sleepUntil(r.startT + o_.throttleMs / 1000.0);
      proxy_.setThroughput(0, openlive::test::Direction::Both);
      r.detail = std::to_string(o_.throttleKbps) + " kbps per connection and direction for " +
                 std::to_string(o_.throttleMs) + " ms";
      break;
  }
  r.endT = now();
  std::fprintf(stderr, "[soak %7.1f s] fault over: %s (%s)\n", r.endT, toString(r.kind), r.detail.c_str());
}

}  // namespace soak
