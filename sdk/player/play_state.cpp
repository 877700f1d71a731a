#include "player/play_state.h"

#include "common/logging.h"

namespace openlive::player {

const char* toString(PlaySessionState s) {
  switch (s) {
    case PlaySessionState::Idle: return "Idle";
    case PlaySessionState::Connecting: return "Connecting";
    case PlaySessionState::Playing: return "Playing";
    case PlaySessionState::Reconnecting: return "Reconnecting";
    case PlaySessionState::Paused: return "Paused";
    case PlaySessionState::Draining: return "Draining";
    case PlaySessionState::Ended: return "Ended";
    case PlaySessionState::Failed: return "Failed";
    case PlaySessionState::Stopped: return "Stopped";
  }
  return "?";
}

PlayState publicState(PlaySessionState s) {
  using S = PlaySessionState;
  switch (s) {
    case S::Idle:
    case S::Stopped: return PlayState::Idle;
    case S::Connecting: return PlayState::Connecting;
    case S::Playing:
    case S::Draining: return PlayState::Playing;
    case S::Reconnecting: return PlayState::Reconnecting;
    case S::Paused: return PlayState::Paused;
    case S::Ended: return PlayState::Ended;
    case S::Failed: return PlayState::Failed;
  }
  return PlayState::Idle;
}

bool isTerminal(PlaySessionState s) { return s == PlaySessionState::Ended || s == PlaySessionState::Failed || s == PlaySessionState::Stopped; }

bool isLegalTransition(PlaySessionState from, PlaySessionState to) {
  using S = PlaySessionState;
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

bool PlayStateMachine::transition(PlaySessionState from, PlaySessionState to) {
  if (!isLegalTransition(from, to)) {
    OL_LOGW("play", "state: illegal transition %s -> %s refused", toString(from), toString(to));
    return false;
  }
  PlaySessionState expected = from;
  if (!state_.compare_exchange_strong(expected, to)) return false;
  changed(from, to);
  return true;
}

std::optional<PlaySessionState> PlayStateMachine::moveTo(PlaySessionState to) {
  PlaySessionState cur = state_.load();
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

void PlayStateMachine::changed(PlaySessionState from, PlaySessionState to) {
  OL_LOGD("play", "state: %s -> %s", toString(from), toString(to));
  if (observer_) observer_(from, to);
}

}  // namespace openlive::player
