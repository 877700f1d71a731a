// Cancellation that wakes blocking waits at once (transport stage): an eventfd that fire() makes readable, polled
// together with the socket in every wait of the connect path (TCP connect, TLS handshake). No sleep slices: a
// wait ends when the socket is ready, the signal fires or the deadline passes, whichever comes first.
//
// Blocking reads and writes inside librtmp cannot poll an extra descriptor; for those the owner shuts the
// socket down from the cancelling thread (shutdown(), never close(): the number could be reused), which makes
// the blocked call return at once (docs: field-notes §4).
#pragma once

#include <atomic>
#include <chrono>

namespace openlive::transport {

class CancelSignal {
 public:
  CancelSignal();  // one eventfd; if none can be made, waits fall back to the deadline (logged)
  ~CancelSignal();
  CancelSignal(const CancelSignal&) = delete;
  CancelSignal& operator=(const CancelSignal&) = delete;

  // Any thread, idempotent: every current and later wait returns Cancelled.
  void fire();
  bool fired() const { return fired_.load(std::memory_order_acquire); }

  enum class Wait { Ready, Cancelled, TimedOut, Failed };
  // Waits until `fd` reports one of `events` (POLLIN/POLLOUT; errors and hang-ups count as ready), the signal
  // fires, or `deadline` passes. *revents gets what the socket reported.
  Wait wait(int fd, short events, std::chrono::steady_clock::time_point deadline, short* revents = nullptr) const;

 private:
  int fd_ = -1;
  std::atomic<bool> fired_{false};
};

}  // namespace openlive::transport
