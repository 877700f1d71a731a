// The one thread the room scenario starts, restarts and stops its child processes on (nginx, redis, roomd, the
// co-anchor programs). The fixtures start children with PR_SET_PDEATHSIG, which fires when the *thread* that
// forked exits: a server restarted from the fault schedule's thread would die when that thread ends. This thread
// lives until the stack is torn down, so a child dies with it only when the soak is over (or crashed).
//
// run(f) executes f on the thread and returns its result (exceptions are passed on); callers queue one task at a
// time each, so the queue is bounded by the number of calling threads (main and schedule).
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <thread>

namespace soak {

class ProcThread {
 public:
  ProcThread() : thread_([this] { loop(); }) {}
  ~ProcThread() {
    {
      std::lock_guard lk(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }
  ProcThread(const ProcThread&) = delete;
  ProcThread& operator=(const ProcThread&) = delete;

  template <class F>
  auto run(F f) -> decltype(f()) {
    using R = decltype(f());
    auto task = std::make_shared<std::packaged_task<R()>>(std::move(f));
    auto result = task->get_future();
    {
      std::lock_guard lk(mu_);
      tasks_.emplace_back([task] { (*task)(); });
    }
    cv_.notify_all();
    return result.get();
  }

 private:
  void loop() {
    pthread_setname_np(pthread_self(), "soak-procs");
    std::unique_lock lk(mu_);
    for (;;) {
      cv_.wait(lk, [&] { return stop_ || !tasks_.empty(); });
      if (tasks_.empty()) return;  // stopping, nothing left
      auto task = std::move(tasks_.front());
      tasks_.pop_front();
      lk.unlock();
      task();
      lk.lock();
    }
  }

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> tasks_;  // guarded by mu_
  bool stop_ = false;                        // guarded by mu_
  std::thread thread_;                       // last: started once the rest exists
};

}  // namespace soak
