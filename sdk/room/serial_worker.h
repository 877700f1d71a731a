// One serial thread for a room's state: tasks run in order, one at a time, on the worker thread; timers post a
// task at a deadline. Bounded: at most `capacity` tasks wait (overflow policy drop-newest: post() returns false,
// counted in refused()); timers do not count against it. stop() is bounded by the running task (room tasks bound
// their own blocking calls); after it returns no task starts. Called from the worker thread itself (a task
// destroying its owner), stop() does not self-join: the thread ends after the running task.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace openlive::room {

class SerialWorker {
 public:
  using Task = std::function<void()>;
  using Clock = std::chrono::steady_clock;

  SerialWorker(std::string threadName, size_t capacity = 256);
  ~SerialWorker();  // stop()
  SerialWorker(const SerialWorker&) = delete;
  SerialWorker& operator=(const SerialWorker&) = delete;

  // False when stopped or full (counted).
  bool post(Task task);
  // Runs `task` on the worker after `delay`; the id cancels it. 0 when stopped.
  uint64_t postAfter(std::chrono::milliseconds delay, Task task);
  void cancel(uint64_t timerId);  // no-op when it ran or was cancelled
  void stop();
  bool onWorkerThread() const;
  uint64_t refused() const;

  struct State;

 private:
  std::shared_ptr<State> state_;
};

}  // namespace openlive::room
