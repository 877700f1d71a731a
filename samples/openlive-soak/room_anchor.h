// The room's main anchor, in the soak's process: a LiveRoom (public API) that pushes the SDK's test pattern, whose
// capture-time band the audience probes read back from the room's mix, accepts every join request, and keeps the
// membership it sees.
//
// Threads: open/close/view/takeEvents from the soak's main thread; the room's callbacks run on its callback thread
// and touch only what mu_ guards.
#pragma once

#include "probes.h"  // Clock, EventRecord
#include "soak_options.h"

#include <openlive/live_room.h>

#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace soak {

class RoomAnchor {
 public:
  static constexpr const char* kUser = "anchor";

  RoomAnchor(const Options& o, Clock::time_point t0);
  ~RoomAnchor();
  RoomAnchor(const RoomAnchor&) = delete;
  RoomAnchor& operator=(const RoomAnchor&) = delete;

  // Logs in and creates the room (each waited for, bounded); the room ID, or "" with *why.
  std::string open(const std::string& roomdUrl, std::string* why);
  // exitRoom (the room is destroyed: roomd stops its mixer) and logout, waited for (bounded).
  void close();
  // The anchors it knows (LiveRoom::anchors(): the others, as last fetched) and itself.
  std::set<std::string> view() const;
  std::vector<EventRecord> takeEvents();  // room callbacks since the last call (enter, exit, errors, warnings)
  int errors() const;                     // onError calls so far

 private:
  void record(int code, std::string name);

  const Clock::time_point t0_;
  mutable std::mutex mu_;
  std::vector<EventRecord> pending_;  // guarded by mu_
  int errors_ = 0;                    // guarded by mu_
  openlive::LiveRoom room_;           // last: destroyed first, so its callbacks never outlive the rest
};

}  // namespace soak
