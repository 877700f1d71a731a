// PreviewFeed: the hand-over of captured pictures to the local preview (LivePusher::startPreview). One slot,
// latest wins: a capture thread (the push's "ol-push-video", the app's thread for custom frames, or the
// preview's own source reader before start()) copies its picture in and never waits for the preview; a picture
// the preview did not take before the next one arrived is dropped and counted. The preview thread takes the
// newest picture, waiting at most until a deadline. Disabled (no preview): offer() returns at once.
#pragma once

#include "common/picture.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>

namespace openlive::detail {

class PreviewFeed {
 public:
  // Overflow policy "latest-wins": the slot holds one picture; a newer one replaces it (counted in dropped()).
  void offer(const PlaneView& picture);
  // The newest picture not yet taken, swapped into `out`; false at the deadline or when woken (wake()).
  bool take(I420Image& out, std::chrono::steady_clock::time_point deadline);
  void wake();  // ends a waiting take() now (the preview is stopping)

  void setEnabled(bool enabled);  // off: offer() does nothing and the slot is emptied
  bool enabled() const { return enabled_.load(std::memory_order_relaxed); }
  uint64_t dropped() const { return dropped_.load(); }

 private:
  std::atomic<bool> enabled_{false};
  std::atomic<uint64_t> dropped_{0};
  std::mutex mu_;  // held only to swap buffers, never while copying or drawing
  std::condition_variable cv_;
  I420Image slot_;   // guarded by mu_
  I420Image spare_;  // guarded by mu_: a buffer offer() copies into (its allocation is reused)
  bool full_ = false, woken_ = false;  // guarded by mu_
};

}  // namespace openlive::detail
