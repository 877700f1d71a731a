// Serial callback executor: one SDK-owned thread per session delivers the app's callbacks in order, one at a
// time, never while an SDK lock is held (tasks are popped under the queue lock, run after releasing it).
//
// Lifetime contract: after shutdown() returns, no task starts. Called from the dispatcher thread itself
// (the app stopping or destroying the session from inside a callback), shutdown() does not self-join: the
// thread finishes the running task and exits on its own, keeping its state alive through a shared_ptr.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

namespace openlive::detail {

class CallbackDispatcher {
 public:
  // Overflow policy: DropNewest. Posting to a full queue drops the task and counts it.
  explicit CallbackDispatcher(std::string threadName, size_t capacity = 4096);
  ~CallbackDispatcher();
  CallbackDispatcher(const CallbackDispatcher&) = delete;
  CallbackDispatcher& operator=(const CallbackDispatcher&) = delete;

  // False when shut down or full (then the task is dropped and counted).
  bool post(std::function<void()> task);
  // Blocks until every task posted before this call has run (or shutdown). Not from the dispatcher thread.
  void drain();
  void shutdown();
  bool onDispatcherThread() const;
  uint64_t dropped() const;

 private:
  struct State;
  std::shared_ptr<State> state_;
};

// Posts a call of the app callback `member` of `cbs` (a struct whose std::function members are guarded by its
// `mu`). The callback is read when the task runs, so one replaced or cleared in between is honoured; it is
// called outside `mu`. `invoke(fn)` makes the call (e.g. builds the frame view first).
template <class Callbacks, class Fn, class Invoke>
bool postCallback(CallbackDispatcher& d, std::shared_ptr<Callbacks> cbs, Fn Callbacks::*member, Invoke invoke) {
  return d.post([cbs = std::move(cbs), member, invoke = std::move(invoke)]() mutable {
    Fn fn;
    {
      std::lock_guard lk(cbs->mu);
      fn = (*cbs).*member;
    }
    if (fn) invoke(fn);
  });
}

// The same with the arguments given here (copied into the task).
template <class Callbacks, class Fn, class... Args>
bool postCallbackWith(CallbackDispatcher& d, std::shared_ptr<Callbacks> cbs, Fn Callbacks::*member, Args... args) {
  return postCallback(d, std::move(cbs), member, [... args = std::move(args)](Fn& fn) { fn(args...); });
}

}  // namespace openlive::detail
