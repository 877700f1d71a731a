// Serial callback executor: one SDK-owned thread per session delivers the app's callbacks, one at a time, never
// while an SDK lock is held (tasks are popped under the queue lock, run after releasing it).
//
// Two lanes, each in order:
// - events (and every other non-frame callback): bounded at `Limits::events` droppable tasks; overflow policy
//   drop-newest, counted and logged. Guaranteed tasks (the catalog's Error events, and the ends and results
//   listed in deliveryOf()) are never dropped and do not count against the bound. A droppable event may run
//   before frames posted earlier; a guaranteed one runs after them, so a final event is the last callback of
//   its session.
// - frames (decoded video pictures and audio PCM): bounded by count AND bytes; overflow policy drop-oldest,
//   counted (counters().framesDropped, for the sessions' net status). A slow frame callback therefore holds at
//   most `frames` frames and never delays or drops an event.
//
// Lifetime contract: after shutdown() returns, no task starts. Called from the dispatcher thread itself
// (the app stopping or destroying the session from inside a callback), shutdown() does not self-join: the
// thread finishes the running task and exits on its own, keeping its state alive through a shared_ptr.
#pragma once

#include <openlive/events.h>
#include <openlive/types.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <type_traits>
#include <utility>

namespace openlive::detail {

enum class Delivery {
  Droppable,   // may be dropped (counted, logged) when the event lane is full
  Guaranteed,  // never dropped
};

// Guaranteed for the catalog's Error category, for the end of playback (2006) and for the one-per-request
// results (1029 local record result, 1022 snapshot result); Droppable otherwise. (The catalog has no
// "final" column; these three are the non-error events an app waits for.)
Delivery deliveryOf(EventCode code);

class CallbackDispatcher {
 public:
  struct Limits {
    size_t events = 4096;            // droppable tasks waiting in the event lane
    size_t frames = 64;              // frames waiting (decoded video + audio, encoded packets)
    size_t frameBytes = 64u << 20;   // bytes of the frames waiting (those posted with a size)
  };
  struct Counters {
    uint64_t eventsDropped = 0;  // droppable events refused because the lane was full
    uint64_t framesDropped = 0;  // frames evicted (oldest first)
    size_t framesQueued = 0;
    size_t frameBytesQueued = 0;
  };

  explicit CallbackDispatcher(std::string threadName, size_t eventCapacity = 4096);
  CallbackDispatcher(std::string threadName, Limits limits);
  ~CallbackDispatcher();
  CallbackDispatcher(const CallbackDispatcher&) = delete;
  CallbackDispatcher& operator=(const CallbackDispatcher&) = delete;

  // Event lane. False when shut down, or when a droppable task was dropped (counted).
  bool post(std::function<void()> task, Delivery delivery = Delivery::Droppable);
  // Frame lane: `bytes` is what the task holds (0 when unknown: then only the count bounds it). False when shut
  // down. Posting to a full lane evicts the oldest frames (counted) and keeps this one.
  bool postFrame(size_t bytes, std::function<void()> task);
  // Blocks until every task posted before this call has run or been dropped (or shutdown). Not from the
  // dispatcher thread.
  void drain();
  void shutdown();
  bool onDispatcherThread() const;
  uint64_t dropped() const;  // events + frames
  Counters counters() const;

  struct State;

 private:
  std::shared_ptr<State> state_;
};

namespace callback_detail {
template <class Fn>
inline constexpr bool kIsFrameCallback = std::is_same_v<Fn, std::function<void(const VideoFrame&)>> ||
                                         std::is_same_v<Fn, std::function<void(const AudioFrame&)>>;

template <class Arg>
Delivery deliveryOfArg(const Arg& a) {
  if constexpr (std::is_same_v<Arg, Event>)
    return deliveryOf(a.code);
  else
    return Delivery::Droppable;
}

// The task for postCallback: reads the member when it runs (a callback replaced or cleared in between is
// honoured) and calls it outside `mu`.
template <class Callbacks, class Fn, class Invoke>
std::function<void()> callTask(std::shared_ptr<Callbacks> cbs, Fn Callbacks::*member, Invoke invoke) {
  return [cbs = std::move(cbs), member, invoke = std::move(invoke)]() mutable {
    Fn fn;
    {
      std::lock_guard lk(cbs->mu);
      fn = (*cbs).*member;
    }
    if (fn) invoke(fn);
  };
}
}  // namespace callback_detail

// Posts a call of the app callback `member` of `cbs` (a struct whose std::function members are guarded by its
// `mu`). `invoke(fn)` makes the call (e.g. builds the frame view first). A member taking a VideoFrame or an
// AudioFrame goes to the frame lane (size unknown: prefer postFrameCallback, which bounds the bytes too).
template <class Callbacks, class Fn, class Invoke>
bool postCallback(CallbackDispatcher& d, std::shared_ptr<Callbacks> cbs, Fn Callbacks::*member, Invoke invoke,
                  Delivery delivery = Delivery::Droppable) {
  auto task = callback_detail::callTask(std::move(cbs), member, std::move(invoke));
  if constexpr (callback_detail::kIsFrameCallback<Fn>)
    return d.postFrame(0, std::move(task));
  else
    return d.post(std::move(task), delivery);
}

// A frame callback (onVideo / onAudio) on the frame lane; `bytes` is what the task keeps alive (the picture or
// PCM block it copied or referenced).
template <class Callbacks, class Fn, class Invoke>
bool postFrameCallback(CallbackDispatcher& d, size_t bytes, std::shared_ptr<Callbacks> cbs, Fn Callbacks::*member,
                       Invoke invoke) {
  return d.postFrame(bytes, callback_detail::callTask(std::move(cbs), member, std::move(invoke)));
}

// The same as postCallback with the arguments given here (copied into the task). An openlive::Event argument
// is delivered as deliveryOf(event.code) says (errors and ends are never dropped).
template <class Callbacks, class Fn, class... Args>
bool postCallbackWith(CallbackDispatcher& d, std::shared_ptr<Callbacks> cbs, Fn Callbacks::*member, Args... args) {
  Delivery delivery = Delivery::Droppable;
  ((delivery = callback_detail::deliveryOfArg(args) == Delivery::Guaranteed ? Delivery::Guaranteed : delivery), ...);
  return postCallback(
      d, std::move(cbs), member, [... args = std::move(args)](Fn& fn) { fn(args...); }, delivery);
}

}  // namespace openlive::detail
