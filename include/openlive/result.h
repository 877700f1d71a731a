// OpenLive SDK - the one result type of every fallible call (pusher, player, rooms).
//
// A call that can fail returns a [[nodiscard]] Result: `code` says what happened, `message` why (for logs and
// people), `event` the TX event code the failure corresponds to when there is one (e.g. -1313 for a bad push
// URL), so apps ported from the TX SDK keep their mapping. Asynchronous outcomes (a refused publish, a lost
// link) come later as events, never as a Result.
#pragma once

#include <openlive/events.h>
#include <openlive/export.h>

#include <string>
#include <string_view>

namespace openlive {

enum class ResultCode : int {
  Ok = 0,
  InvalidArgument,        // a parameter out of range, an empty or malformed frame or message
  InvalidUrl,             // not an URL this call takes (push: event -1313)
  UnsupportedResolution,  // size or frame rate the encoder cannot take (event -1305)
  UnsupportedSampleRate,  // sample rate or channel count (event -1306)
  NoMedia,                // neither video nor audio configured
  AlreadyStarted,         // start() while a session runs: stop() first
  NotStarted,             // the call needs a running session
  NotReady,               // the session runs but cannot take this yet (custom frames before 1002)
  WrongSource,            // custom frames for a session whose source is not Custom
  BadPath,                // empty, unsupported extension, or its folder does not exist
  FileExists,             // files are never overwritten
  Busy,                   // one at a time (a recording, a pending snapshot)
  NothingToCapture,       // no video track
  NotLoggedIn,            // rooms: login() first
  WrongState,             // rooms: not in a room, or a role that cannot do this (an audience member kicking out)
  Refused,                // rooms: the room service or the other member said no (`message` and `event` say why)
  TimedOut,               // rooms: no answer in time (a join request nobody answered, a service call)
  Canceled,               // rooms: ended by exitRoom() / logout() / destruction before it completed
  Failed,                 // anything else; see `message`
};

OPENLIVE_API std::string_view toString(ResultCode code) noexcept;

struct [[nodiscard]] Result {
  ResultCode code = ResultCode::Ok;
  std::string message;  // empty when ok
  EventCode event{};    // the corresponding TX event code, or 0 (EventCode{}) when none applies

  bool ok() const noexcept { return code == ResultCode::Ok; }
  explicit operator bool() const noexcept { return ok(); }
  static Result success() { return {}; }
  static Result failure(ResultCode c, std::string why, EventCode e = EventCode{}) {
    return {c, std::move(why), e};
  }
};

}  // namespace openlive
