// A bounded, thread-safe FIFO with a named overflow policy and counted drops.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>

namespace openlive::detail {

enum class OverflowPolicy {
  DropNewest,  // a push into a full queue is refused and counted
  DropOldest,  // a push into a full queue evicts the head and counts it
  Block,       // a push waits for room (or close)
};

inline const char* toString(OverflowPolicy p) {
  switch (p) {
    case OverflowPolicy::DropNewest: return "drop-newest";
    case OverflowPolicy::DropOldest: return "drop-oldest";
    case OverflowPolicy::Block: return "block";
  }
  return "?";
}

template <typename T>
class BoundedQueue {
 public:
  BoundedQueue(size_t capacity, OverflowPolicy policy) : capacity_(capacity ? capacity : 1), policy_(policy) {}

  // True if the item is in the queue.
  bool push(T item) {
    std::unique_lock lk(mu_);
    if (closed_) return false;
    if (q_.size() >= capacity_) {
      switch (policy_) {
        case OverflowPolicy::DropNewest: ++dropped_; return false;
        case OverflowPolicy::DropOldest: q_.pop_front(); ++dropped_; break;
        case OverflowPolicy::Block:
          notFull_.wait(lk, [&] { return closed_ || q_.size() < capacity_; });
          if (closed_) return false;
          break;
      }
    }
    q_.push_back(std::move(item));
    notEmpty_.notify_one();
    return true;
  }

  // Waits up to `timeout` for an item; nullopt on timeout or when closed and empty.
  std::optional<T> pop(std::chrono::milliseconds timeout) {
    std::unique_lock lk(mu_);
    if (!notEmpty_.wait_for(lk, timeout, [&] { return closed_ || !q_.empty(); })) return std::nullopt;
    if (q_.empty()) return std::nullopt;
    T v = std::move(q_.front());
    q_.pop_front();
    notFull_.notify_one();
    return v;
  }

  std::optional<T> tryPop() { return pop(std::chrono::milliseconds(0)); }

  void close() {
    std::lock_guard lk(mu_);
    closed_ = true;
    notEmpty_.notify_all();
    notFull_.notify_all();
  }
  void reopen() {
    std::lock_guard lk(mu_);
    closed_ = false;
  }
  void clear() {
    std::lock_guard lk(mu_);
    q_.clear();
    notFull_.notify_all();
  }
  size_t size() const {
    std::lock_guard lk(mu_);
    return q_.size();
  }
  uint64_t dropped() const {
    std::lock_guard lk(mu_);
    return dropped_;
  }
  size_t capacity() const { return capacity_; }
  OverflowPolicy policy() const { return policy_; }

 private:
  mutable std::mutex mu_;
  std::condition_variable notEmpty_, notFull_;
  std::deque<T> q_;         // guarded by mu_
  bool closed_ = false;     // guarded by mu_
  uint64_t dropped_ = 0;    // guarded by mu_
  const size_t capacity_;
  const OverflowPolicy policy_;
};

}  // namespace openlive::detail
