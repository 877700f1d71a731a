// cpp-httplib's worker pool, bounded: `threads` workers and at most `capacity` accepted connections waiting for
// one. Overflow policy "block": the accept thread waits for room (new connections then wait in the kernel's
// listen backlog), counted in blockedEnqueues().
#pragma once

#include <httplib.h>

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace openlive::roomd {

class BoundedTaskQueue final : public httplib::TaskQueue {
 public:
  BoundedTaskQueue(size_t threads, size_t capacity);
  ~BoundedTaskQueue() override;

  void enqueue(std::function<void()> fn) override;
  // Runs what is queued, then joins the workers (cpp-httplib calls this when the server stops).
  void shutdown() override;

  uint64_t blockedEnqueues() const;

 private:
  void work();

  const size_t capacity_;
  mutable std::mutex mu_;
  std::condition_variable notEmpty_, notFull_;
  std::deque<std::function<void()>> jobs_;  // guarded by mu_
  bool shutdown_ = false;                   // guarded by mu_
  uint64_t blocked_ = 0;                    // guarded by mu_
  std::vector<std::thread> threads_;
};

}  // namespace openlive::roomd
