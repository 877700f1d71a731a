#include "task_queue.h"

#include "log.h"

namespace openlive::roomd {

BoundedTaskQueue::BoundedTaskQueue(size_t threads, size_t capacity) : capacity_(capacity ? capacity : 1) {
  for (size_t i = 0; i < (threads ? threads : 1); ++i)
    threads_.emplace_back([this] {
      setThreadName("roomd-http");
      work();
    });
}

BoundedTaskQueue::~BoundedTaskQueue() { shutdown(); }

void BoundedTaskQueue::enqueue(std::function<void()> fn) {
  std::unique_lock lk(mu_);
  if (jobs_.size() >= capacity_) {
    ++blocked_;
    notFull_.wait(lk, [&] { return shutdown_ || jobs_.size() < capacity_; });
  }
  jobs_.push_back(std::move(fn));  // after shutdown too: a queued job closes its socket when it runs
  notEmpty_.notify_one();
}

void BoundedTaskQueue::shutdown() {
  {
    std::lock_guard lk(mu_);
    if (shutdown_) return;
    shutdown_ = true;
    notEmpty_.notify_all();
    notFull_.notify_all();
  }
  for (auto& t : threads_) t.join();
  threads_.clear();
}

uint64_t BoundedTaskQueue::blockedEnqueues() const {
  std::lock_guard lk(mu_);
  return blocked_;
}

void BoundedTaskQueue::work() {
  for (;;) {
    std::function<void()> job;
    {
      std::unique_lock lk(mu_);
      notEmpty_.wait(lk, [&] { return shutdown_ || !jobs_.empty(); });
      if (jobs_.empty()) return;  // shut down and drained
      job = std::move(jobs_.front());
      jobs_.pop_front();
      notFull_.notify_one();
    }
    job();
  }
}

}  // namespace openlive::roomd
