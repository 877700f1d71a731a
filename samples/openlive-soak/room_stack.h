// The room scenario's servers: redis-server (roomd's state, so that a restarted roomd finds its rooms, members and
// tokens again), nginx-rtmp whose on_publish / on_play / on_publish_done callbacks go to openlive-roomd, the fault
// proxy in front of nginx, and openlive-roomd --mixer handing out URLs that point at the proxy: every media
// connection of the room (the anchors' pushes, their low-latency plays of each other, the mixer's inputs and
// output, the audience) goes through the proxy, so cut / stall / throttle reach all of them. The same set-up as
// tests/fixtures/room_stack.h (which needs GoogleTest), plus the proxy and redis.
//
// Threads: every child process is started, killed and stopped on the stack's ProcThread (procs()); the other
// calls may come from any thread.
#pragma once

#include "proc_thread.h"
#include "soak_options.h"

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace openlive::test {
class MediaServer;
class RedisServer;
class RoomdProcess;
class FaultProxy;
}  // namespace openlive::test

namespace soak {

inline constexpr uint64_t kRoomAppId = 1400000001;
inline constexpr const char* kRoomKey = "openlive-soak-room-key-7d3e91";

// Processes of this stack alive anywhere on the machine (reparented orphans included), told apart from any other
// run's by what only ours have on their command lines: roomd's port, the proxy's port.
struct StackProcesses {
  int roomd = 0, mixers = 0, coAnchors = 0;
  std::vector<std::string> list;  // "openlive-mixer (pid 123)"
  std::vector<int> pids, mixerPids;
  int total() const { return roomd + mixers + coAnchors; }
};
StackProcesses findStackProcesses(int roomdPort, int proxyPort);
// Waits (at most `timeout` in all) for each process to exit (pidfd: processes that are not our children).
void waitForExit(const std::vector<int>& pids, std::chrono::milliseconds timeout);

class RoomStack {
 public:
  // The running stack, or nullptr with *exitStatus: 77 when nginx-rtmp or redis-server is not installed (1 under
  // OPENLIVE_REQUIRE_FIXTURES=1), 1 when openlive-roomd / openlive-mixer / openlive-room are not built or a server
  // does not start. roomd's log goes to <dir>/roomd.log (every instance, appended when it stops).
  static std::unique_ptr<RoomStack> start(const Options& o, const std::string& dir, int* exitStatus);
  ~RoomStack();  // roomd (its mixers stop with it), nginx, redis: each stopped on the ProcThread
  RoomStack(const RoomStack&) = delete;
  RoomStack& operator=(const RoomStack&) = delete;

  ProcThread& procs() { return procs_; }
  openlive::test::FaultProxy& proxy() { return *proxy_; }
  std::string roomdUrl() const;           // http://127.0.0.1:<port>, the same across restarts
  int roomdPort() const { return roomdPort_; }
  int proxyPort() const;
  const std::string& roomProgram() const { return roomProgram_; }  // the built openlive-room
  std::string describe() const;

  // Faults (each blocks until done; run on the ProcThread).
  void killNginx();
  bool restartNginx(std::string* detail);  // on the same ports
  bool nginxRunning();
  // SIGKILL to roomd alone (its mixer gets SIGTERM from its PR_SET_PDEATHSIG, as after a crash), then roomd started
  // again on the same port with the same redis; true once it is ready.
  bool restartRoomd(std::string* detail);

 private:
  RoomStack() = default;
  bool launch(const Options& o, std::string* why);  // ProcThread
  void saveRoomdLog();                              // ProcThread

  ProcThread procs_;  // first: destroyed last, after every process started on it
  std::string dir_, roomProgram_;
  std::vector<std::string> roomdArgs_;
  int roomdPort_ = 0;
  int roomdStarts_ = 0;
  std::unique_ptr<openlive::test::RedisServer> redis_;
  std::unique_ptr<openlive::test::MediaServer> nginx_;
  std::unique_ptr<openlive::test::FaultProxy> proxy_;
  std::unique_ptr<openlive::test::RoomdProcess> roomd_;
};

}  // namespace soak
