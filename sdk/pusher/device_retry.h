// A capture device that failed while pushing (a microphone or camera unplugged, its sound server's source
// removed): the capture thread keeps the stream going (silence, the pause picture) and asks the same device
// again once per interval until it opens, the app switches to another device, or the session stops. Used by
// one capture thread only (no lock).
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <string>

namespace openlive::detail {

template <class Source>
class DeviceRetry {
 public:
  using Clock = std::chrono::steady_clock;
  explicit DeviceRetry(std::chrono::milliseconds interval = std::chrono::milliseconds(1000)) : interval_(interval) {}

  // The device failed: `failed` is closed (Source::release) and kept to open its device again (Source::reopen);
  // the first try is one interval
  // later (a device that just vanished is not back at once).
  void lost(std::unique_ptr<Source> failed, Clock::time_point now) {
    failed_ = std::move(failed);
    failed_->release();  // the device itself is closed now; only how to open it again is kept
    next_ = now + interval_;
  }
  bool active() const { return failed_ != nullptr; }
  // The app switched to another device meanwhile: no more tries.
  void reset() { failed_.reset(); }
  Clock::time_point nextTry() const { return next_; }
  int attempts() const { return attempts_; }

  // When a try is due, opens the device again: the fresh source once it is back (the retries end), else null
  // (`why` says why the last try failed).
  std::unique_ptr<Source> poll(Clock::time_point now, const std::atomic<bool>& cancel, std::string* why) {
    if (!failed_ || now < next_) return nullptr;
    ++attempts_;
    std::unique_ptr<Source> back = failed_->reopen(cancel, why);
    if (back) {
      failed_.reset();
    } else {
      next_ = Clock::now() + interval_;  // an open that took long does not make the next try early
    }
    return back;
  }

 private:
  std::chrono::milliseconds interval_;
  std::unique_ptr<Source> failed_;
  Clock::time_point next_{};
  int attempts_ = 0;
};

}  // namespace openlive::detail
