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
#include <string>

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

}  // namespace openlive::detail
