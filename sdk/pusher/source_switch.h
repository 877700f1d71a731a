// A source the app switched to while pushing (LivePusher::switchMicrophone): opened on the app's thread, handed
// to the capture thread, which takes it before its next chunk. One slot, overflow policy replace: a newer switch
// replaces one not taken yet (the older source is closed).
#pragma once

#include <memory>
#include <mutex>

namespace openlive::detail {

template <class Source>
class SourceSwitch {
 public:
  void offer(std::unique_ptr<Source> next) {
    std::unique_ptr<Source> old;
    std::lock_guard lk(mu_);
    old = std::move(pending_);  // closed outside the capture thread's way, after the lock
    pending_ = std::move(next);
  }
  std::unique_ptr<Source> take() {
    std::lock_guard lk(mu_);
    return std::move(pending_);
  }

 private:
  std::mutex mu_;
  std::unique_ptr<Source> pending_;
};

}  // namespace openlive::detail
