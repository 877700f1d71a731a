#include "room_schedule.h"

#include "faults.h"
#include "room_stack.h"

#include "faults/fault_proxy.h"

#include <algorithm>
#include <cstdio>

namespace soak {

namespace {

constexpr double kFirstJoinS = 2, kJoinSpacingS = 2;  // the three co-anchors at the start

double expectedLength(const Options& o, RoomStep k) {
  switch (k) {
    case RoomStep::Kill: return o.serverDownMs / 1000.0 + 1.0;  // + restart time
    case RoomStep::Roomd: return 1.0;
    case RoomStep::Stall: return o.stallMs / 1000.0;
    case RoomStep::Throttle: return o.throttleMs / 1000.0;
    case RoomStep::Leave: return 1.0;  // the program leaves the room, then exits
    case RoomStep::CoKill:
    case RoomStep::Cut:
    case RoomStep::Join: return 0;
  }
  return 0;
}

bool changesMembers(RoomStep k) {
  return k == RoomStep::Join || k == RoomStep::Leave || k == RoomStep::CoKill || k == RoomStep::Roomd;
}

bool fits(const Options& o, RoomStep k, double at) {
  const double tail = changesMembers(k) ? o.convergeBoundS + 2 : o.recoveryBoundS + 7;
  return at + expectedLength(o, k) + tail <= o.durationS;
}

}  // namespace

bool RoomStepRecord::mediaFault() const {
  return kind == RoomStep::Kill || kind == RoomStep::Cut || kind == RoomStep::Stall || kind == RoomStep::Throttle;
}

bool RoomStepRecord::fault() const { return kind != RoomStep::Join && kind != RoomStep::Leave; }

double RoomStepRecord::changeT() const { return fault() ? endT : startT; }

std::vector<RoomStepRecord> planRoomSteps(const Options& o) {
  std::vector<RoomStepRecord> plan;
  for (int i = 0; i < CoAnchorSet::kSlots; ++i) {
    RoomStepRecord r;
    r.kind = RoomStep::Join;
    r.plannedT = kFirstJoinS + i * kJoinSpacingS;
    r.initial = true;
    if (fits(o, r.kind, r.plannedT)) plan.push_back(r);
  }
  if (o.roomSteps.empty()) return plan;
  for (size_t i = 0;; ++i) {
    RoomStepRecord r;
    r.kind = o.roomSteps[i % o.roomSteps.size()];
    r.plannedT = o.firstFaultS + static_cast<double>(i) * o.faultIntervalS;
    if (r.plannedT > o.durationS) break;
    if (fits(o, r.kind, r.plannedT)) plan.push_back(r);  // a later, shorter step may still fit
  }
  return plan;
}

RoomSchedule::RoomSchedule(const Options& o, Clock::time_point t0, RoomStack& stack, CoAnchorSet& co,
                           std::string roomID, std::string dir, std::function<void(double)> faultEnded)
    : o_(o), t0_(t0), stack_(stack), co_(co), roomID_(std::move(roomID)), dir_(std::move(dir)),
      faultEnded_(std::move(faultEnded)), timeline_(t0, planRoomSteps(o)) {}

RoomSchedule::~RoomSchedule() { stop(); }

void RoomSchedule::stop() {
  timeline_.stop();
  stack_.proxy().clear();
  if (!stack_.nginxRunning()) {
    std::string detail;
    stack_.restartNginx(&detail);
  }
}

void RoomSchedule::start() {
  timeline_.start("soak-schedule", [this](RoomStepRecord& r) { runStep(r); });
}

std::vector<RoomStepRecord> RoomSchedule::records() const { return timeline_.records(); }

std::string RoomSchedule::active() const { return timeline_.active(); }

void RoomSchedule::runStep(RoomStepRecord& r) {
  std::fprintf(stderr, "[room %7.1f s] step: %s\n", secondsSince(t0_), toString(r.kind));
  r.startT = secondsSince(t0_);
  apply(r);
  if (r.endT < 0) r.endT = secondsSince(t0_);
  if (r.fault() && faultEnded_) faultEnded_(r.endT);
  std::fprintf(stderr, "[room %7.1f s] step over: %s %s(%s)%s\n", r.endT, toString(r.kind),
               r.who.empty() ? "" : (r.who + " ").c_str(), r.detail.c_str(), r.ok ? "" : " FAILED");
}

void RoomSchedule::apply(RoomStepRecord& r) {
  switch (r.kind) {
    case RoomStep::Join: return join(r);
    case RoomStep::Leave: return removeMember(r, false);
    case RoomStep::CoKill: return removeMember(r, true);
    case RoomStep::Roomd:
      r.ok = stack_.restartRoomd(&r.detail);
      return;
    case RoomStep::Kill:
    case RoomStep::Cut:
    case RoomStep::Stall:
    case RoomStep::Throttle: return mediaFault(r);
  }
}

void RoomSchedule::join(RoomStepRecord& r) {
  {
    std::lock_guard lk(co_.mu);
    for (int i = 1; i <= CoAnchorSet::kSlots && r.who.empty(); ++i)
      if (!co_.live.count("co" + std::to_string(i))) r.who = "co" + std::to_string(i);
  }
  if (r.who.empty()) {
    r.ok = false;
    r.detail = "no free co-anchor slot (three are in the room)";
    return;
  }
  const std::string log = dir_ + "/" + r.who + "-" + std::to_string(++joins_) + ".log";
  std::unique_ptr<CoAnchor> c;
  try {
    c = stack_.procs().run([&] {
      return std::make_unique<CoAnchor>(stack_.roomProgram(), r.who, stack_.roomdUrl(), roomID_, log);
    });
  } catch (const std::exception& e) {
    r.ok = false;
    r.detail = std::string("cannot start openlive-room: ") + e.what();
    return;
  }
  r.detail = "openlive-room co-anchor pid " + std::to_string(c->pid()) + ", log " + log.substr(log.rfind('/') + 1);
  std::lock_guard lk(co_.mu);
  co_.live[r.who] = std::move(c);
  co_.expected.insert(r.who);
  co_.joined.push_back(r.who);
}

void RoomSchedule::removeMember(RoomStepRecord& r, bool kill) {
  std::unique_ptr<CoAnchor> c;
  {
    std::lock_guard lk(co_.mu);
    if (!co_.joined.empty()) {
      r.who = co_.joined.front();
      co_.joined.erase(co_.joined.begin());
      co_.expected.erase(r.who);
      c = std::move(co_.live[r.who]);
      co_.live.erase(r.who);
    }
  }
  if (!c) {
    r.ok = false;
    r.detail = "no co-anchor in the room";
    return;
  }
  const int pid = c->pid();
  const auto code = stack_.procs().run([&]() -> std::optional<int> {
    std::optional<int> exit;
    if (kill) c->kill();
    else exit = c->leave();
    c.reset();
    return exit;
  });
  r.ok = kill || code == 0;
  r.detail = kill ? "pid " + std::to_string(pid) + " SIGKILL (no leave call)"
                  : "pid " + std::to_string(pid) + " SIGTERM, left the room, exit " +
                        (code ? std::to_string(*code) : std::string("none"));
  std::lock_guard lk(co_.mu);
  co_.notes.push_back(r.who + " (pid " + std::to_string(pid) + "): " + r.detail);
}

void RoomSchedule::mediaFault(RoomStepRecord& r) {
  auto& proxy = stack_.proxy();
  switch (r.kind) {
    case RoomStep::Kill:
      stack_.killNginx();
      timeline_.sleepUntil(r.startT + o_.serverDownMs / 1000.0);  // stopping: restart anyway
      r.ok = stack_.restartNginx(&r.detail);
      r.detail = "nginx-rtmp SIGKILL, down " + std::to_string(o_.serverDownMs) + " ms, " + r.detail;
      break;
    case RoomStep::Cut:
    case RoomStep::Stall:
    case RoomStep::Throttle: {
      const ProxyFault f = r.kind == RoomStep::Cut     ? ProxyFault::Cut
                           : r.kind == RoomStep::Stall ? ProxyFault::Stall
                                                       : ProxyFault::Throttle;
      r.detail = applyProxyFault(f, o_, proxy, r.startT, [this](double t) { return timeline_.sleepUntil(t); });
      break;
    }
    default: break;
  }
}

}  // namespace soak
