// One room's openlive-mixer child process, supervised: started with the room's layout, sent each new layout as a
// line on its stdin (the mixer's --layout-updates -), restarted with the latest layout when it exits on its own
// (1 s, doubling to 8 s; back to 1 s after a run of 30 s), stopped with SIGTERM (SIGKILL after kStopGrace).
//
// One thread per run ("roomd-mixer") owns the child: it forks, reads the child's stdout + stderr (one JSON object
// per line; logged, secrets redacted), reaps it and restarts it. The child gets PR_SET_PDEATHSIG (SIGTERM) from
// that thread, so a roomd that dies takes its mixers with it. requestStop() returns at once; the destructor joins.
#pragma once

#include <nlohmann/json.hpp>

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace openlive::roomd {

// What a mixer is started with.
struct MixJob {
  std::string outputUrl;                       // signed push URL of the room's audience stream (argv only)
  nlohmann::json mergeParams;                  // rooms.md section 5, already checked
  std::map<std::string, std::string> inputs;   // input_stream_id -> signed low-latency play URL
};

class MixerRun {
 public:
  static constexpr std::chrono::seconds kStopGrace{3};

  // `name`: for log lines ("live_room r1"). `program`: path of openlive-mixer. `extraArgs`: appended to its
  // command line (e.g. --fps).
  MixerRun(std::string name, std::string program, std::vector<std::string> extraArgs, MixJob job);
  ~MixerRun();  // requestStop() and join (bounded by kStopGrace + the child's reaping)
  MixerRun(const MixerRun&) = delete;
  MixerRun& operator=(const MixerRun&) = delete;

  // A new layout: sent to the running child at once; kept for restarts.
  void update(MixJob job);
  void requestStop();
  bool finished() const;  // the thread is done (the child is reaped)

  struct Counts {
    uint64_t starts = 0;   // children started (the first start and every restart)
    uint64_t updates = 0;  // layouts written to a running child
    uint64_t ready = 0;    // children that reported {"type":"ready"} (their output publishes)
  };
  Counts counts() const;

 private:
  struct Child {
    pid_t pid = -1;
    int stdinFd = -1;   // ours: the child's stdin (layout lines)
    int outputFd = -1;  // ours: the child's stdout + stderr
  };
  void run();
  bool spawn(const MixJob& job, Child& child);
  // Reads the child's output until it closes; escalates to SIGTERM / SIGKILL once stopping.
  void pump(Child& child);
  void onLine(const std::string& line);
  void writeLayout(int fd, const MixJob& job);  // under mu_
  int reap(pid_t pid);

  const std::string name_, program_;
  const std::vector<std::string> extraArgs_;
  const int wakeFd_;  // eventfd: requestStop() wakes pump()

  mutable std::mutex mu_;
  std::condition_variable cv_;
  MixJob job_;            // guarded by mu_
  uint64_t jobGen_ = 0;   // guarded by mu_: bumped by update()
  int stdinFd_ = -1;      // guarded by mu_: the running child's stdin, -1 between children
  bool stopping_ = false; // guarded by mu_
  bool finished_ = false; // guarded by mu_
  Counts counts_;         // guarded by mu_
  std::thread thread_;
};

}  // namespace openlive::roomd
