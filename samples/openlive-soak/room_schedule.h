// The room scenario's schedule: three co-anchors join at the start, then one step every --fault-interval from
// --first-fault, cycling through --faults (default kill, cokill, cut, roomd, join, stall, throttle, leave, join:
// every fault once and the membership back where it was). Executed on its own thread; the process work (restarts,
// co-anchor programs) on the stack's ProcThread.
#pragma once

#include "co_anchor.h"
#include "probes.h"  // Clock
#include "soak_options.h"
#include "step_timeline.h"

#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace soak {

class RoomStack;

struct RoomStepRecord {
  RoomStep kind{};
  double plannedT = 0;
  double startT = -1, endT = -1;  // -1: not run
  std::string who;                // the co-anchor a join, leave or cokill acted on
  std::string detail;
  bool ok = true;  // false when the step could not be applied (a restart failed, no co-anchor to act on)
  bool initial = false;  // one of the joins at the start

  // kill, cut, stall, throttle: the media path itself is impaired (no stall judgement until recovery).
  bool mediaFault() const;
  bool fault() const;     // everything but join and leave
  double changeT() const;  // a membership change counts from its start, a fault from its end
};

// Steps that fit in the run: each needs its expected length plus its observation window (membership changes and
// roomd restarts: --converge-bound + 2 s; media faults: --recovery-bound + 7 s) before the end.
std::vector<RoomStepRecord> planRoomSteps(const Options& o);

// The co-anchor programs and the membership the schedule expects: the schedule's thread changes them, the main
// thread polls the programs and compares views. Everything under mu.
struct CoAnchorSet {
  static constexpr int kSlots = 3;  // co1..co3: a live room holds the anchor and three co-anchors
  std::mutex mu;
  std::map<std::string, std::unique_ptr<CoAnchor>> live;  // by user: started and not yet left or killed
  std::set<std::string> expected;                         // who should be a member now (the anchor included)
  std::vector<std::string> joined;                        // members in joining order (the oldest acts first)
  std::vector<std::string> notes;                         // how each program ended
};

class RoomSchedule {
 public:
  // `faultEnded(t)`: called on the schedule's thread when a fault ended at run time t (the audience probes watch
  // for pictures captured after it).
  RoomSchedule(const Options& o, Clock::time_point t0, RoomStack& stack, CoAnchorSet& co, std::string roomID,
               std::string dir, std::function<void(double)> faultEnded);
  ~RoomSchedule();  // stop()
  RoomSchedule(const RoomSchedule&) = delete;
  RoomSchedule& operator=(const RoomSchedule&) = delete;

  void start();
  void stop();  // ends the schedule (a step under way finishes early), lifts impairments, restarts nginx if down
  std::vector<RoomStepRecord> records() const;
  std::string active() const;  // the step being applied, "" when none

 private:
  void runStep(RoomStepRecord& r);  // logs and times it around apply()
  void apply(RoomStepRecord& r);
  void join(RoomStepRecord& r);
  void removeMember(RoomStepRecord& r, bool kill);  // cokill / leave: the oldest member
  void mediaFault(RoomStepRecord& r);                // kill / cut / stall / throttle

  const Options& o_;
  const Clock::time_point t0_;
  RoomStack& stack_;
  CoAnchorSet& co_;
  const std::string roomID_, dir_;
  const std::function<void(double)> faultEnded_;
  int joins_ = 0;  // schedule thread only: numbers the co-anchor logs

  StepTimeline<RoomStepRecord> timeline_;  // last: its thread ends first
};

}  // namespace soak
