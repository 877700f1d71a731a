// The room scenario's invariants and summary.md (README.md, "Room scenario"): audience stalls outside media
// faults, the mix back after every fault, membership convergence, co-anchor programs, leaked processes, plus the
// streams scenario's RSS, fd/thread and event-order checks (report.h).
#pragma once

#include "report.h"
#include "room_schedule.h"
#include "room_stack.h"

#include <map>
#include <string>
#include <vector>

namespace soak {

struct RoomRunData {
  RunData base;  // options, per-second samples, the audience's points, events, RSS / fds / threads
  std::string roomID, stack;
  std::vector<RoomStepRecord> steps;
  std::vector<std::pair<double, bool>> agree;  // per second: roomd's members and every view equal the expected set
  std::map<std::string, std::vector<PlayProbe::Gap>> gaps;          // per audience player: content gaps > 1 s
  std::map<std::string, std::vector<PlayProbe::FreshWatch>> fresh;  // per audience player, one per fault
  std::map<std::string, uint64_t> unreadable;                       // per audience player
  std::vector<std::string> coNotes;     // how each co-anchor program ended (leave / SIGKILL / at the end)
  std::vector<std::string> coFailures;  // programs that failed or ended on their own while members
  int maxMixers = 0;                    // openlive-mixer processes of this stack alive at once, most seen
  int anchorErrors = 0;                 // the anchor LiveRoom's onError calls
  StackProcesses leftover;              // processes of the stack still alive after it stopped
};

// Every invariant; `rows` gets one summary row per schedule step.
std::vector<Check> evaluateRoom(const RoomRunData& d, std::vector<std::string>* rows);

// summary.md, faults.gp and the plots (gnuplot, when enabled) into `dir`.
void writeRoomReport(const std::string& dir, const RoomRunData& d, const std::vector<Check>& checks,
                     const std::vector<std::string>& rows);

}  // namespace soak
