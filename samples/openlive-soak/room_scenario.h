// openlive-soak --scenario room: a live room under faults (README.md, "Room scenario"). One anchor (a LiveRoom in
// this process, pushing the test pattern), three co-anchors (openlive-room programs, child processes) joining and
// leaving on a schedule, the room's mixer (openlive-mixer supervised by openlive-roomd --mixer), and N audience
// players (LivePlayer, headless) of the room's mixedPlayURL; faults: nginx-rtmp SIGKILL + restart, a co-anchor
// SIGKILLed, roomd SIGKILLed + started again, and cut / stall / throttle through the fault proxy every media
// connection of the room goes through.
#pragma once

#include "soak_options.h"

#include <atomic>
#include <string>

namespace soak {

// The exit status: 0 every invariant held, 1 one failed (or the run could not be set up, or was interrupted),
// 77 nginx-rtmp or redis-server is not installed (1 under OPENLIVE_REQUIRE_FIXTURES=1).
int runRoomSoak(const Options& o, const std::string& dir, const std::atomic<bool>& interrupted);

}  // namespace soak
