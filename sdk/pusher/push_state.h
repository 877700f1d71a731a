// The publishing session's one state machine.
//
// States: the link (connecting, publishing, reconnecting) times paused / not paused, and two terminal states.
// Events move it; every transition goes through apply(), which looks the event up in one table, rejects (and
// logs) what the table does not allow, and commits with a compare-and-swap, so threads racing on it (the io
// thread's link changes, the app's pause/resume, a fatal error on any thread, stop) never lose or invent a
// transition. The public PushState is a view of it (state()).
//
//   state \ event    Start       LinkUp          LinkLost             Pause             Resume        Fail    Stop
//   Idle             Connecting  -               -                    -                 -             Failed  Stopped
//   Connecting       -           Publishing      Reconnecting         PausedConnecting  -             Failed  Stopped
//   Publishing       -           -               Reconnecting         PausedPublishing  -             Failed  Stopped
//   Reconnecting     -           Publishing      Reconnecting         PausedReconnect.  -             Failed  Stopped
//   PausedConnecting -           PausedPublish.  PausedReconnecting   PausedConnecting  Connecting    Failed  Stopped
//   PausedPublishing -           -               PausedReconnecting   PausedPublishing  Publishing    Failed  Stopped
//   PausedReconnect. -           PausedPublish.  PausedReconnecting   PausedReconnect.  Reconnecting  Failed  Stopped
//   Failed, Stopped  (terminal: every event rejected; Stop on Failed keeps Failed)
#pragma once

#include <openlive/live_pusher.h>

#include <atomic>
#include <functional>
#include <optional>
#include <string_view>

namespace openlive::detail {

enum class SessionState : uint8_t {
  Idle,
  Connecting,
  Publishing,
  Reconnecting,
  PausedConnecting,
  PausedPublishing,
  PausedReconnecting,
  Failed,
  Stopped,
};
enum class SessionEvent : uint8_t { Start, LinkUp, LinkLost, Pause, Resume, Fail, Stop };

std::string_view toString(SessionState s) noexcept;
std::string_view toString(SessionEvent e) noexcept;
// The table above: the state `event` leads to from `from`, or nullopt when it is not allowed.
std::optional<SessionState> nextState(SessionState from, SessionEvent event) noexcept;
// What LivePusher::state() shows.
PushState publicState(SessionState s) noexcept;
bool isPaused(SessionState s) noexcept;
bool isPublished(SessionState s) noexcept;  // Publishing or PausedPublishing
bool isTerminal(SessionState s) noexcept;

class PushStateMachine {
 public:
  // Applies `event`; false (and a log line) when the current state does not allow it. Any thread.
  bool apply(SessionEvent event);
  SessionState current() const { return state_.load(); }
  // Called after every change, on the thread that made it (set before any thread applies events).
  void setObserver(std::function<void()> fn) { observer_ = std::move(fn); }

 private:
  std::atomic<SessionState> state_{SessionState::Idle};
  std::function<void()> observer_;
};

}  // namespace openlive::detail
