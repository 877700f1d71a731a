#include "pusher/push_events.h"

#include "common/clock_ms.h"
#include "common/logging.h"

#include <chrono>

namespace openlive::detail {
namespace {

LogLevel levelOf(EventCode code) {
  const EventInfo* info = findEvent(code);
  if (!info) return LogLevel::Info;
  if (info->category == EventCategory::Error) return LogLevel::Error;
  return info->category == EventCategory::Warning ? LogLevel::Warning : LogLevel::Info;
}

}  // namespace

PushEvents::PushEvents(std::shared_ptr<PusherCallbacks> callbacks, PushStateMachine& state, const RunSignal& signal,
                       std::function<void()> onFatal)
    : callbacks_(std::move(callbacks)), state_(state), signal_(signal), onFatal_(std::move(onFatal)) {}

void PushEvents::emit(EventCode code, const std::string& message, ParamMap extra) {
  if (signal_.stopping() && state_.current() != SessionState::Failed && code != EventCode::PUSH_ERR_NET_DISCONNECT) {
    const EventInfo* info = findEvent(code);
    if (info && info->category != EventCategory::Error) return;
  }
  Event e;
  e.code = code;
  e.params = std::move(extra);
  e.params[std::string(evt::kMsg)] = message.empty() ? std::string(eventMessage(code)) : message;
  const int64_t now = wallMs();
  e.params[std::string(evt::kTime)] = std::to_string(now);
  callbacks_->debug->onEvent(code, now);
  logf(levelOf(code), "push", "event %d %s: %s", toInt(code), eventName(code).data(),
       e.params[std::string(evt::kMsg)].c_str());
  queueEvent(*callbacks_, e);
  postCallbackWith(dispatcher_, callbacks_, &PusherCallbacks::onEvent, std::move(e));
}

void PushEvents::publishState() {
  std::lock_guard lk(stateMu_);  // posts in the order the changes were seen
  const SessionState s = state_.current();
  if (s == SessionState::Stopped) return;
  const PushState pub = publicState(s);
  if (pub == lastState_) return;
  lastState_ = pub;
  postCallback(dispatcher_, callbacks_, &PusherCallbacks::onState, [pub](auto& fn) { fn(pub); }, Delivery::Guaranteed);
}

void PushEvents::fatal(EventCode code, const std::string& message) {
  if (!state_.apply(SessionEvent::Fail)) return;
  emit(code, message);
  if (onFatal_) onFatal_();
}

void PushEvents::netStatus(NetStatus status) {
  callbacks_->debug->onNetStatus(status.values);
  postCallbackWith(dispatcher_, callbacks_, &PusherCallbacks::onNetStatus, std::move(status));
}

void PushEvents::sourceEnded() { postCallbackWith(dispatcher_, callbacks_, &PusherCallbacks::onSourceEnd); }

}  // namespace openlive::detail
