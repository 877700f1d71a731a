// One co-anchor of the room scenario: the built openlive-room program in its "co-anchor" role as a child process
// (it logs in, enters the room, asks the anchor to join, links, views the other anchors), so that it can be killed
// abruptly (SIGKILL: no leave call, no goodbye) as a crashed app would be, or leave cleanly (SIGTERM: exitRoom).
// Its JSON lines (room events, status lines with the pictures per second of each stream it plays) go to a log file
// in the output directory, which poll() reads on.
//
// Threads: the constructor, kill(), leave() and the destructor run on the stack's ProcThread (they own the child
// process); poll() and view() on the soak's main thread. The two sides share only the immutable user and pid.
#pragma once

#include "fixtures/process.h"

#include <map>
#include <optional>
#include <set>
#include <string>

namespace soak {

class CoAnchor {
 public:
  // Starts `program` (openlive-room) for `user` in `roomID` on the service at `roomdUrl`. Throws
  // std::runtime_error when it cannot be started.
  CoAnchor(const std::string& program, const std::string& user, const std::string& roomdUrl, const std::string& roomID,
           std::string logPath);
  ~CoAnchor();  // SIGTERM (it leaves the room), SIGKILL after 10 s
  CoAnchor(const CoAnchor&) = delete;
  CoAnchor& operator=(const CoAnchor&) = delete;

  const std::string& user() const { return user_; }
  int pid() const { return pid_; }

  // ProcThread.
  void kill();                 // SIGKILL, reaped
  void askToLeave();           // SIGTERM, not waited for (several leave at once; leave() then waits)
  std::optional<int> leave();  // SIGTERM, waits (10 s) for it to leave the room and exit; its exit code

  // Main thread.
  struct View {
    bool linked = false;  // printed "linked": it is a co-anchor of the room
    bool ended = false;   // the process is gone, or said it left / failed
    std::string failure;  // what went wrong, as it printed it ("" when nothing did)
    std::set<std::string> others;                  // the anchors it knows (anchorEnter minus anchorExit)
    std::map<std::string, double> fps;             // pictures per second of each stream it plays (last status)
    std::map<std::string, int> warnings;           // room warnings by name
  };
  void poll();  // reads the lines written since the last call (bounded), and whether the process still runs
  const View& view() const { return view_; }

 private:
  void onLine(const std::string& line);

  const std::string user_, logPath_;
  openlive::test::Process proc_;  // ProcThread only
  int pid_ = -1;
  // Main thread only.
  View view_;
  uint64_t offset_ = 0;  // bytes of the log read so far
  std::string pending_;  // a line not complete yet
};

// Whether `pid` is a process that has not exited (a zombie has exited). Read-only: reaps nothing.
bool processRunning(int pid);

}  // namespace soak
