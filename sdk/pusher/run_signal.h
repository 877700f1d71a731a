// How a publishing session tells its threads to wind down, and the one place they wait.
//
// Two requests: drain (stopPush() on a published stream: capture ends, the encoders hand over their delayed
// frames, the sender empties the queue) and stop (everything ends now). Every wait of the session's threads
// (a pacing deadline, the media clock's start, the drain's end) is a wait on this signal's condition
// variable with a predicate, so a stop request wakes all of them at once; nothing sleep-polls.
// A predicate's state may be changed anywhere (atomics) as long as the changer calls notify() afterwards.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>

namespace openlive::detail {

class RunSignal {
 public:
  using Clock = std::chrono::steady_clock;

  void requestDrain() { set(draining_); }
  void requestStop() { set(stopping_); }
  bool stopping() const { return stopping_.load(); }
  bool draining() const { return draining_.load(); }
  bool running() const { return !stopping_.load() && !draining_.load(); }
  // For readers that take a cancel flag (file and device sources, the encoders' interrupt callbacks).
  const std::atomic<bool>& stopFlag() const { return stopping_; }

  // Wakes every wait so it re-checks its predicate.
  void notify() {
    std::lock_guard lk(mu_);
    cv_.notify_all();
  }
  // Waits until `t` unless asked to drain or stop first; true when `t` came with the session still running.
  bool sleepUntil(Clock::time_point t) {
    std::unique_lock lk(mu_);
    cv_.wait_until(lk, t, [&] { return !running(); });
    return running();
  }
  // Waits until `pred` holds or the deadline passes (whatever was asked for); returns pred().
  template <class Pred>
  bool waitUntil(Clock::time_point deadline, Pred pred) {
    std::unique_lock lk(mu_);
    return cv_.wait_until(lk, deadline, pred);
  }
  // Waits until `pred` holds or a stop is asked for; returns pred().
  template <class Pred>
  bool wait(Pred pred) {
    std::unique_lock lk(mu_);
    cv_.wait(lk, [&] { return stopping() || pred(); });
    return pred();
  }

 private:
  void set(std::atomic<bool>& flag) {
    flag = true;
    notify();
  }
  std::mutex mu_;
  std::condition_variable cv_;
  std::atomic<bool> stopping_{false}, draining_{false};
};

}  // namespace openlive::detail
