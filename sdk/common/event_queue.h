// The pull-style event queue behind LivePusher::pollEvent / LivePlayer::pollEvent (common). For apps that run
// their own UI loop: the session pushes every event here as well as to the event callback; the app takes them
// with pollEvent(timeout) (mpv's mpv_wait_event) and may set a wakeup notifier that only says "something is
// waiting" (called on an SDK thread; it must return fast and must not call into the SDK).
//
// Bounded: `capacity` events; when full, the oldest droppable event goes (policy "drop-oldest", counted in
// dropped()); events whose delivery is Guaranteed (errors, 2006, 1029, 1022: callback_dispatcher.h) are never
// dropped and may exceed the bound (a session emits at most a few).
#pragma once

#include <openlive/types.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>

namespace openlive::detail {

class EventQueue {
 public:
  explicit EventQueue(size_t capacity) : capacity_(capacity == 0 ? 1 : capacity) {}

  void push(const Event& e);
  // Waits up to `timeout` (0: does not wait) for the oldest event.
  std::optional<Event> pop(std::chrono::milliseconds timeout);
  void setWakeup(std::function<void()> fn);
  uint64_t dropped() const;
  size_t size() const;

 private:
  const size_t capacity_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Event> events_;        // guarded by mu_
  uint64_t dropped_ = 0;            // guarded by mu_
  std::function<void()> wakeup_;    // guarded by mu_ (copied, called outside it)
};

// The queue slot of a session's callback set (`Callbacks` has `std::mutex mu` and
// `std::shared_ptr<EventQueue> queue`, guarded by mu): the same for the pusher and the player facades and for
// the sessions that feed it.
// The capacity setEventWakeup() gives a queue the app did not enable (the facades' enableEventQueue default).
inline constexpr size_t kDefaultEventQueueCapacity = 256;

template <class Callbacks>
void enableQueue(Callbacks& c, size_t capacity) {
  std::lock_guard lk(c.mu);
  if (!c.queue) c.queue = std::make_shared<EventQueue>(capacity);
}
template <class Callbacks>
std::shared_ptr<EventQueue> queueOf(Callbacks& c) {
  std::lock_guard lk(c.mu);
  return c.queue;
}
template <class Callbacks>
void setQueueWakeup(Callbacks& c, std::function<void()> wakeup) {
  enableQueue(c, kDefaultEventQueueCapacity);
  queueOf(c)->setWakeup(std::move(wakeup));
}
// Queues `e` when the app enabled the queue.
template <class Callbacks>
void queueEvent(Callbacks& c, const Event& e) {
  if (auto q = queueOf(c)) q->push(e);
}

}  // namespace openlive::detail
