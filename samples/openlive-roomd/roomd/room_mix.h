// A live room's mix as roomd runs it: the audience stream's name, which streams a layout may name (the room's
// anchors), the job a mixer is started with, and resuming the mixes of stored rooms when roomd starts.
#pragma once

#include <nlohmann/json.hpp>

#include <set>
#include <string>
#include <vector>

#include "mixer_run.h"
#include "room_state.h"
#include "services.h"

namespace openlive::roomd {

// "<anchor's stream>_mix": the room's audience stream (published by its mixer, signed like any stream).
std::string mixStreamFor(const std::string& anchorStream);
// The supervisor's key of a room: "<kind base>/<roomID>".
std::string mixKey(RoomKind kind, const std::string& roomID);
// The input_stream_ids a layout of `room` may name: its anchors' streams, and (for a cross-room PK) the main
// anchor's stream of every other active live room.
std::set<std::string> mixableStreams(RoomStore& store, RoomKind kind, const RoomState& room);
// The mixer job for `room` with the checked layout `mergeParams` naming `streamIds`: output = the room's signed
// mix stream push URL, inputs = fresh signed low-latency play URLs of those streams.
MixJob mixJobFor(const UrlIssuer& urls, const RoomState& room, const nlohmann::json& mergeParams,
                 const std::vector<std::string>& streamIds);
// At start: a mixer for every stored live room with a mix stream and an accepted layout (a restarted roomd, or a
// redis store shared with instances that went away). Store failures are logged.
void resumeMixes(Services& s);

}  // namespace openlive::roomd
