#include "clock.h"
#include "mixer/mix_layout.h"
#include "handlers.h"
#include "log.h"
#include "room_mix.h"

namespace openlive::roomd {
namespace {

using nlohmann::json;

constexpr size_t kMaxCustomFields = 32;

ApiReply noRoom() { return errorReply(ApiCode::NotCreator, "no such room"); }

}  // namespace

ApiReply ExtraHandlers::mergeStream(const ApiRequest& req, const Caller& caller) {
  if (auto e = requireSelf(req, caller)) return *e;
  const json& mp = req.object("mergeParams");
  const std::string roomID = req.str("roomID");
  auto current = s_.store.getRoom(req.kind, roomID);
  if (!current) return noRoom();
  if (!current->findPusher(caller.userID)) return errorReply(ApiCode::NotMember, "only the room's anchors may request a mix");
  // rooms.md section 5, checked as openlive-mixer will read it: 1..4 inputs, one per layer, a background on
  // layer 1, windows inside the canvas, streams of this room's anchors; the refusal names the mixer's code.
  const auto layout = mixer::parseMergeParams(mp, mixableStreams(s_.store, req.kind, *current));
  if (!layout.layout)
    return errorReply(ApiCode::MissingParam, "mergeParams refused (code " + std::to_string(int(layout.error)) +
                                                 "): " + layout.message());
  bool member = false;
  RoomState room;
  const bool found = s_.store.mutateRoom(req.kind, roomID, [&](RoomState& r) {
    member = r.findPusher(caller.userID) != nullptr;
    if (!member) return Mutation::None;
    r.mix = mp;
    room = r;
    return Mutation::Write;
  });
  if (!found) return noRoom();
  if (!member) return errorReply(ApiCode::NotMember, "only the room's anchors may request a mix");
  if (!s_.mixers || room.mixStream.empty()) {
    // No mixer behind this service (no --mixer, or an rtc room): the layout is kept with the room, the audience
    // plays the main anchor's stream (mixedPlayURL), and merge_code says no mix runs.
    return okReply({{"merge_code", 1},
                    {"merge_message", "recorded; no stream mixer is attached to this service"},
                    {"timestamp", unixMs() / 1000}});
  }
  s_.mixers->apply(mixKey(req.kind, roomID), mixJobFor(s_.urls, room, mp, layout.layout->streamIds()));
  const size_t n = layout.layout->inputs.size();
  logLine(LogLevel::Info, "live_room " + printable(roomID) + ": mix layout " +
                              std::to_string(layout.layout->canvasWidth) + "x" +
                              std::to_string(layout.layout->canvasHeight) + ", " + std::to_string(n) + " inputs");
  return okReply({{"merge_code", 0},
                  {"merge_message", layout.layout->mixing() ? "mixing " + std::to_string(n) + " inputs" : "anchor alone"},
                  {"timestamp", unixMs() / 1000}});
}

ApiReply ExtraHandlers::setCustomField(const ApiRequest& req, const Caller&) {
  const std::string field = req.str("fieldName"), op = req.str("operation");
  const auto vit = req.body.find("value");
  const json value = vit != req.body.end() ? *vit : json();
  if (op != "set" && op != "inc" && op != "dec")
    return errorReply(ApiCode::MissingParam, "operation must be set, inc or dec");
  if (op != "set" && !value.is_number_integer())
    return errorReply(ApiCode::MissingParam, "inc/dec need an integer value");
  std::string problem;
  json custom;
  const bool found = s_.store.mutateRoom(req.kind, req.str("roomID"), [&](RoomState& room) {
    problem.clear();
    auto it = room.custom.find(field);
    if (it == room.custom.end() && room.custom.size() >= kMaxCustomFields) {
      problem = "at most 32 custom fields";
      return Mutation::None;
    }
    if (op == "set") {
      room.custom[field] = value;
    } else {
      if (it != room.custom.end() && !it->is_number_integer()) {
        problem = "field " + field + " is not a counter";
        return Mutation::None;
      }
      const int64_t cur = it == room.custom.end() ? 0 : it->get<int64_t>();
      const int64_t delta = value.get<int64_t>();
      int64_t next = 0;
      if (op == "inc" ? __builtin_add_overflow(cur, delta, &next) : __builtin_sub_overflow(cur, delta, &next)) {
        problem = "field " + field + " would overflow";
        return Mutation::None;
      }
      room.custom[field] = next;
    }
    custom = room.custom;
    return Mutation::Write;
  });
  if (!found) return noRoom();
  if (!problem.empty()) return errorReply(ApiCode::MissingParam, problem);
  return okReply({{"custom", custom}});
}

ApiReply ExtraHandlers::getCustomInfo(const ApiRequest& req, const Caller&) {
  auto room = s_.store.getRoom(req.kind, req.str("roomID"));
  if (!room) return noRoom();
  return okReply({{"custom", room->custom}});
}

ApiReply ExtraHandlers::addAudience(const ApiRequest& req, const Caller& caller) {
  if (auto e = requireSelf(req, caller)) return *e;
  const Audience me{caller.userID, req.str("userInfo")};
  enum class Outcome { Added, Refreshed, Full } outcome = Outcome::Added;
  std::vector<std::string> pushers;
  const bool found = s_.store.mutateRoom(req.kind, req.str("roomID"), [&](RoomState& room) {
    pushers = room.pusherIDs(caller.userID);
    for (auto& a : room.audiences) {
      if (a.userID != me.userID) continue;
      outcome = Outcome::Refreshed;
      a.userInfo = me.userInfo;
      return Mutation::Write;
    }
    if (room.audiences.size() >= kMaxAudiences) {
      outcome = Outcome::Full;
      return Mutation::None;
    }
    outcome = Outcome::Added;
    room.audiences.push_back(me);
    return Mutation::Write;
  });
  if (!found) return noRoom();
  if (outcome == Outcome::Full) return errorReply(ApiCode::Full, "audience list full (30)");
  if (outcome == Outcome::Added) s_.notifier.audience(req.kind, req.str("roomID"), true, me, std::move(pushers));
  return okReply();
}

ApiReply ExtraHandlers::deleteAudience(const ApiRequest& req, const Caller& caller) {
  const std::string target = req.str("userID");
  bool member = false, allowed = true;
  Audience gone;
  std::vector<std::string> pushers;
  const bool found = s_.store.mutateRoom(req.kind, req.str("roomID"), [&](RoomState& room) {
    allowed = target == caller.userID || room.creator == caller.userID || room.roomCreator == caller.userID;
    member = room.hasAudience(target);
    if (!allowed || !member) return Mutation::None;
    for (const auto& a : room.audiences)
      if (a.userID == target) gone = a;
    std::erase_if(room.audiences, [&](const Audience& a) { return a.userID == target; });
    pushers = room.pusherIDs(target);
    return Mutation::Write;
  });
  if (!found) return noRoom();
  if (!allowed) return errorReply(ApiCode::NotCreator, "only the room's creator may remove another member");
  if (!member) return errorReply(ApiCode::NotMember, "not in the room's audience");
  s_.notifier.audience(req.kind, req.str("roomID"), false, gone, std::move(pushers));
  return okReply();
}

ApiReply ExtraHandlers::getAudiences(const ApiRequest& req, const Caller&) {
  auto room = s_.store.getRoom(req.kind, req.str("roomID"));
  if (!room) return noRoom();
  json list = json::array();
  for (const auto& a : room->audiences) {
    if (list.size() >= kMaxAudiences) break;
    list.push_back({{"userID", a.userID}, {"userInfo", a.userInfo}});
  }
  return okReply({{"audiences", std::move(list)}});
}

}  // namespace openlive::roomd
