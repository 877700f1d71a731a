// The engine the soak's schedules share (faults.cpp: the streams scenario's faults; room_schedule.cpp: the room
// scenario's steps): a planned list of records (each with `plannedT`, seconds since t0, and a `kind` that
// toString() names), run in order on one thread, each at its planned time, by the owner's `apply`; the record
// as `apply` left it is kept. stop() ends the wait (and any sleepUntil of a step under way) and joins.
#pragma once

#include "probes.h"  // Clock

#include <pthread.h>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace soak {

template <class Record>
class StepTimeline {
 public:
  StepTimeline(Clock::time_point t0, std::vector<Record> records) : t0_(t0), records_(std::move(records)) {}
  ~StepTimeline() { stop(); }
  StepTimeline(const StepTimeline&) = delete;
  StepTimeline& operator=(const StepTimeline&) = delete;

  void start(const char* threadName, std::function<void(Record&)> apply) {
    thread_ = std::thread([this, threadName, apply = std::move(apply)] {
      pthread_setname_np(pthread_self(), threadName);
      run(apply);
    });
  }
  void stop() {
    {
      std::lock_guard lk(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
  }
  // Waits until `t` seconds after t0; false when stopping (at once).
  bool sleepUntil(double t) {
    std::unique_lock lk(mu_);
    auto when = t0_ + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(t));
    return !cv_.wait_until(lk, when, [this] { return stop_; });
  }
  std::vector<Record> records() const {
    std::lock_guard lk(mu_);
    return records_;
  }
  std::string active() const {  // the step being applied, "" when none
    std::lock_guard lk(mu_);
    return active_;
  }

 private:
  void run(const std::function<void(Record&)>& apply) {
    size_t n;
    {
      std::lock_guard lk(mu_);
      n = records_.size();
    }
    for (size_t i = 0; i < n; ++i) {
      Record r;
      {
        std::lock_guard lk(mu_);
        r = records_[i];
      }
      if (!sleepUntil(r.plannedT)) return;
      {
        std::lock_guard lk(mu_);
        active_ = toString(r.kind);
      }
      apply(r);
      std::lock_guard lk(mu_);
      records_[i] = r;
      active_.clear();
    }
  }

  const Clock::time_point t0_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;             // guarded by mu_
  std::vector<Record> records_;   // guarded by mu_
  std::string active_;            // guarded by mu_
  std::thread thread_;
};

}  // namespace soak
