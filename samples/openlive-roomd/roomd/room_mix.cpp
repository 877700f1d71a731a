#include "room_mix.h"

#include "log.h"
#include "mixer/mix_layout.h"

namespace openlive::roomd {

std::string mixStreamFor(const std::string& anchorStream) { return anchorStream + "_mix"; }

std::string mixKey(RoomKind kind, const std::string& roomID) {
  return std::string(traits(kind).base) + "/" + roomID;
}

std::set<std::string> mixableStreams(RoomStore& store, RoomKind kind, const RoomState& room) {
  std::set<std::string> ids;
  for (const auto& p : room.pushers) ids.insert(p.streamName);
  if (kind != RoomKind::Live) return ids;
  for (const RoomState& other : store.listRooms(RoomKind::Live))
    if (const Pusher* main = other.active ? other.findPusher(other.roomCreator) : nullptr) ids.insert(main->streamName);
  return ids;
}

MixJob mixJobFor(const UrlIssuer& urls, const RoomState& room, const nlohmann::json& mergeParams,
                 const std::vector<std::string>& streamIds) {
  MixJob job;
  job.outputUrl = urls.pushUrlFor(room.mixStream);
  job.mergeParams = mergeParams;
  for (const auto& id : streamIds) job.inputs[id] = urls.accelerateUrlFor(id);
  return job;
}

void resumeMixes(Services& s) {
  if (!s.mixers) return;
  try {
    for (const RoomState& room : s.store.listRooms(RoomKind::Live)) {
      if (room.mixStream.empty() || room.mix.is_null() || room.pushers.empty()) continue;
      // An anchor of the layout who left meanwhile shows as the placeholder until the next layout.
      const auto parsed = mixer::parseMergeParams(room.mix, {});
      if (!parsed.layout) continue;
      logLine(LogLevel::Info, "live_room " + printable(room.roomID) + ": resuming its mix");
      s.mixers->apply(mixKey(RoomKind::Live, room.roomID),
                      mixJobFor(s.urls, room, room.mix, parsed.layout->streamIds()));
    }
  } catch (const StoreUnavailable& e) {
    logLine(LogLevel::Error, std::string("resuming mixes: store unavailable: ") + e.what());
  }
}

}  // namespace openlive::roomd
