// Events, net status and the source-end notice from a publishing session to the app, on the session's
// callback thread ("ol-push-cb"), in order, never under an SDK lock. The session's units report through it:
// emit() for events, fatal() for the error that ends the session (the first one wins; it marks the session
// Failed and asks it to stop).
#pragma once

#include <openlive/live_pusher.h>

#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "common/callback_dispatcher.h"
#include "common/debug_info.h"
#include "common/event_queue.h"
#include "pusher/push_state.h"
#include "pusher/run_signal.h"

namespace openlive::detail {

// Handlers shared by a LivePusher and its sessions; copied under `mu`, called outside it.
struct PusherCallbacks {
  std::mutex mu;
  EventCallback onEvent;
  NetStatusCallback onNetStatus;
  std::function<void()> onSourceEnd;
  std::function<void(PushState)> onState;
  std::shared_ptr<EventQueue> queue;  // pull-style events (LivePusher::enableEventQueue)
  // The preview's debug overlay (showDebugView): fed with every event and net status the app gets.
  const std::shared_ptr<DebugInfo> debug = std::make_shared<DebugInfo>(DebugInfo::Side::Push);
};

class PushEvents {
 public:
  // `onFatal` runs (on the failing thread) after the fatal event was posted: the session's stop request.
  PushEvents(std::shared_ptr<PusherCallbacks> callbacks, PushStateMachine& state, const RunSignal& signal,
             std::function<void()> onFatal);

  // Logs and posts an event. Once a stop was asked for, only errors (the one that caused it) still go out.
  void emit(EventCode code, const std::string& message = {}, ParamMap extra = {});
  // The error that ends the session: the first call marks it Failed, emits `code` and asks for a stop; later
  // calls (the same failure seen by other threads) do nothing.
  void fatal(EventCode code, const std::string& message);
  void netStatus(NetStatus status);
  void sourceEnded();
  // No callback starts after this returns (see CallbackDispatcher::shutdown).
  void shutdown() { dispatcher_.shutdown(); }
  // The session state changed: the app's state callback gets the public state when that changed (never after a
  // stop was asked for: no callback follows stop()).
  void publishState();

 private:
  const std::shared_ptr<PusherCallbacks> callbacks_;
  PushStateMachine& state_;
  const RunSignal& signal_;
  const std::function<void()> onFatal_;
  CallbackDispatcher dispatcher_{"ol-push-cb"};
  std::mutex stateMu_;
  PushState lastState_ = PushState::Idle;  // guarded by stateMu_
};

}  // namespace openlive::detail
