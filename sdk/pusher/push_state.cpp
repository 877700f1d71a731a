#include "pusher/push_state.h"

#include "common/logging.h"

namespace openlive::detail {
namespace {

using S = SessionState;
using E = SessionEvent;

S pausedOf(S s) {
  switch (s) {
    case S::Connecting: return S::PausedConnecting;
    case S::Publishing: return S::PausedPublishing;
    case S::Reconnecting: return S::PausedReconnecting;
    default: return s;
  }
}

S resumedOf(S s) {
  switch (s) {
    case S::PausedConnecting: return S::Connecting;
    case S::PausedPublishing: return S::Publishing;
    case S::PausedReconnecting: return S::Reconnecting;
    default: return s;
  }
}

// The link events, for a live (not terminal) state: where they lead without pause, then paused again if it was.
std::optional<S> linkEvent(S from, E e) {
  const bool paused = isPaused(from);
  const S link = resumedOf(from);
  S to;
  if (e == E::LinkUp) {
    if (link == S::Publishing) return std::nullopt;  // already up
    to = S::Publishing;
  } else {
    to = S::Reconnecting;
  }
  return paused ? pausedOf(to) : to;
}

}  // namespace

std::string_view toString(SessionState s) noexcept {
  switch (s) {
    case S::Idle: return "idle";
    case S::Connecting: return "connecting";
    case S::Publishing: return "publishing";
    case S::Reconnecting: return "reconnecting";
    case S::PausedConnecting: return "paused (connecting)";
    case S::PausedPublishing: return "paused (publishing)";
    case S::PausedReconnecting: return "paused (reconnecting)";
    case S::Failed: return "failed";
    case S::Stopped: return "stopped";
  }
  return "?";
}

std::string_view toString(SessionEvent e) noexcept {
  switch (e) {
    case E::Start: return "start";
    case E::LinkUp: return "link up";
    case E::LinkLost: return "link lost";
    case E::Pause: return "pause";
    case E::Resume: return "resume";
    case E::Fail: return "fail";
    case E::Stop: return "stop";
  }
  return "?";
}

bool isPaused(SessionState s) noexcept {
  return s == S::PausedConnecting || s == S::PausedPublishing || s == S::PausedReconnecting;
}
bool isPublished(SessionState s) noexcept { return s == S::Publishing || s == S::PausedPublishing; }
bool isTerminal(SessionState s) noexcept { return s == S::Failed || s == S::Stopped; }

std::optional<SessionState> nextState(SessionState from, SessionEvent e) noexcept {
  if (isTerminal(from)) {
    if (from == S::Failed && e == E::Stop) return S::Failed;
    return std::nullopt;
  }
  if (e == E::Fail) return S::Failed;
  if (e == E::Stop) return S::Stopped;
  if (from == S::Idle) return e == E::Start ? std::optional<S>(S::Connecting) : std::nullopt;
  switch (e) {
    case E::Start: return std::nullopt;
    case E::Pause: return pausedOf(from);
    case E::Resume: return isPaused(from) ? std::optional<S>(resumedOf(from)) : std::nullopt;
    default: return linkEvent(from, e);
  }
}

PushState publicState(SessionState s) noexcept {
  switch (s) {
    case S::Connecting: return PushState::Connecting;
    case S::Publishing: return PushState::Publishing;
    case S::Reconnecting: return PushState::Reconnecting;
    case S::PausedConnecting:
    case S::PausedPublishing:
    case S::PausedReconnecting: return PushState::Paused;
    case S::Failed: return PushState::Failed;
    case S::Idle:
    case S::Stopped: return PushState::Idle;
  }
  return PushState::Idle;
}

bool PushStateMachine::apply(SessionEvent event) {
  SessionState cur = state_.load();
  for (;;) {
    const std::optional<SessionState> next = nextState(cur, event);
    if (!next) {
      OL_LOGD("push", "state: %s refused in state %s", toString(event).data(), toString(cur).data());
      return false;
    }
    if (state_.compare_exchange_weak(cur, *next)) {
      if (*next != cur) {
        OL_LOGD("push", "state %s -> %s (%s)", toString(cur).data(), toString(*next).data(), toString(event).data());
        if (observer_) observer_();
      }
      return true;
    }
  }
}

}  // namespace openlive::detail
