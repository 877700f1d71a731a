#include "common/event_queue.h"

#include "common/callback_dispatcher.h"
#include "common/logging.h"

#include <algorithm>

namespace openlive::detail {

void EventQueue::push(const Event& e) {
  std::function<void()> wake;
  {
    std::lock_guard lk(mu_);
    if (events_.size() >= capacity_) {
      auto victim = std::find_if(events_.begin(), events_.end(),
                                 [](const Event& x) { return deliveryOf(x.code) == Delivery::Droppable; });
      if (victim != events_.end()) {
        events_.erase(victim);
        if (++dropped_ == 1 || dropped_ % 100 == 0)
          OL_LOGW("events", "event queue full: %llu events dropped (poll faster)",
                  static_cast<unsigned long long>(dropped_));
      } else if (deliveryOf(e.code) == Delivery::Droppable) {
        ++dropped_;  // full of guaranteed events: this droppable one goes
        return;
      }
    }
    events_.push_back(e);
    wake = wakeup_;
  }
  cv_.notify_all();
  if (wake) wake();
}

std::optional<Event> EventQueue::pop(std::chrono::milliseconds timeout) {
  std::unique_lock lk(mu_);
  if (!cv_.wait_for(lk, timeout, [&] { return !events_.empty(); })) return std::nullopt;
  Event e = std::move(events_.front());
  events_.pop_front();
  return e;
}

void EventQueue::setWakeup(std::function<void()> fn) {
  std::lock_guard lk(mu_);
  wakeup_ = std::move(fn);
}

uint64_t EventQueue::dropped() const {
  std::lock_guard lk(mu_);
  return dropped_;
}

size_t EventQueue::size() const {
  std::lock_guard lk(mu_);
  return events_.size();
}

}  // namespace openlive::detail
