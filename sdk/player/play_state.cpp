#include "player/play_state.h"

#include "common/logging.h"

namespace openlive::player {

const char* toString(PlayState s) {
  switch (s) {
    case PlayState::Idle: return "Idle";
    case PlayState::Connecting: return "Connecting";
    case PlayState::Playing: return "Playing";
    case PlayState::Reconnecting: return "Reconnecting";
    case PlayState::Paused: return "Paused";
    case PlayState::Draining: return "Draining";
    case PlayState::Ended: return "Ended";
    case PlayState::Failed: return "Failed";
    case PlayState::Stopped: return "Stopped";
  }
  return "?";
}

bool isTerminal(PlayState s) { return s == PlayState::Ended || s == PlayState::Failed || s == PlayState::Stopped; }

bool isLegalTransition(PlayState from, PlayState to) {
  using S = PlayState;
  if (isTerminal(from) || from == to) return false;
  if (to == S::Stopped) return true;
  switch (from) {
    case S::Idle: return to == S::Connecting;
    case S::Connecting:
      return to == S::Playing || to == S::Reconnecting || to == S::Paused || to == S::Failed;
    case S::Playing:
      return to == S::Reconnecting || to == S::Paused || to == S::Draining || to == S::Failed;
    case S::Reconnecting: return to == S::Connecting || to == S::Paused || to == S::Failed;
    case S::Paused: return to == S::Connecting;
    case S::Draining: return to == S::Ended;
    default: return false;
  }
}

bool PlayStateMachine::transition(PlayState from, PlayState to) {
  if (!isLegalTransition(from, to)) {
    OL_LOGW("play", "state: illegal transition %s -> %s refused", toString(from), toString(to));
    return false;
  }
  PlayState expected = from;
  if (!state_.compare_exchange_strong(expected, to)) return false;
  changed(from, to);
  return true;
}

std::optional<PlayState> PlayStateMachine::moveTo(PlayState to) {
  PlayState cur = state_.load();
  for (;;) {
    if (!isLegalTransition(cur, to)) {
      if (cur != to && !isTerminal(cur))
        OL_LOGW("play", "state: illegal transition %s -> %s refused", toString(cur), toString(to));
      return std::nullopt;
    }
    if (state_.compare_exchange_weak(cur, to)) break;
  }
  changed(cur, to);
  return cur;
}

void PlayStateMachine::changed(PlayState from, PlayState to) {
  OL_LOGD("play", "state: %s -> %s", toString(from), toString(to));
  if (observer_) observer_(from, to);
}

}  // namespace openlive::player
