// The liveness sweep (rooms.md section 3): every sweepInterval, each anchor/pusher silent for silenceTimeout is
// checked against the media server's view of its stream: still published -> refreshed and kept; not -> removed
// (its room notified, an emptied room deleted). Rooms that never got an anchor are deleted after silenceTimeout.
// Runs on its own thread ("roomd-sweep"); with redis every instance sweeps, and each removal happens once because
// it is one atomic store mutation (the loser of a race sees "not a member" and says nothing).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

#include "room_ops.h"
#include "services.h"

namespace openlive::roomd {

class LivenessSweeper {
 public:
  LivenessSweeper(Services& s, RoomOps& ops) : s_(s), ops_(ops) {}
  ~LivenessSweeper();

  void start();
  void stop();  // bounded: wakes the thread and joins it

  struct Counts {
    uint64_t removed = 0;       // silent members whose stream was not live
    uint64_t kept = 0;          // silent members kept because their stream is live
    uint64_t roomsRemoved = 0;  // rooms that never got an anchor
  };
  // One pass now (the thread calls this; tests may too). Store failures are logged and end the pass.
  void sweepOnce();
  Counts counts() const;

 private:
  void sweepKind(RoomKind kind, int64_t nowMs);
  void run();

  Services& s_;
  RoomOps& ops_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;  // guarded by mu_
  Counts counts_;          // guarded by mu_
  std::thread thread_;
};

}  // namespace openlive::roomd
