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

std::string applyProxyFault(ProxyFault fault, const Options& o, openlive::test::FaultProxy& proxy, double startT,
                            const std::function<bool(double)>& sleepUntil) {
  switch (fault) {
    case ProxyFault::Cut:
      proxy.cutAll();
      return "every proxied connection closed";
    case ProxyFault::Stall:
      proxy.stall(std::chrono::milliseconds(o.stallMs), openlive::test::Direction::Both);
      sleepUntil(startT + o.stallMs / 1000.0);
      return "no byte forwarded either way for " + std::to_string(o.stallMs) + " ms";
    case ProxyFault::Throttle:
      proxy.setThroughput(int64_t(o.throttleKbps) * 1000 / 8, openlive::test::Direction::Both);
      sleepUntil(startT + o.throttleMs / 1000.0);
      proxy.setThroughput(0, openlive::test::Direction::Both);
      return std::to_string(o.throttleKbps) + " kbps per connection and direction for " +
             std::to_string(o.throttleMs) + " ms";
  }
  return {};
}

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
    case FaultKind::Stall:
    case FaultKind::Throttle: {
      const ProxyFault f = r.kind == FaultKind::Cut     ? ProxyFault::Cut
                           : r.kind == FaultKind::Stall ? ProxyFault::Stall
                                                        : ProxyFault::Throttle;
      r.detail = applyProxyFault(f, o_, proxy_, r.startT, [this](double t) { return timeline_.sleepUntil(t); });
      break;
    }
  }
  r.endT = now();
  std::fprintf(stderr, "[soak %7.1f s] fault over: %s (%s)\n", r.endT, toString(r.kind), r.detail.c_str());
}

}  // namespace soak
