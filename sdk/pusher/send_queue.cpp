#include "pusher/send_queue.h"

#include <algorithm>
#include <cstdint>

namespace openlive::detail {

SendQueue::SendQueue(std::chrono::milliseconds dropThreshold, std::chrono::milliseconds maxCache,
                     std::chrono::milliseconds nonRefThreshold)
    : dropThresholdMs_(dropThreshold.count()),
      maxCacheMs_(std::max(maxCache.count(), dropThreshold.count())),
      nonRefThresholdMs_(std::min(nonRefThreshold.count(), dropThreshold.count())) {}

// Per track (newest - oldest dts), the larger of the two: the encoders' different delays (B-frames,
// lookahead) offset audio from video and must not count as backlog.
int64_t SendQueue::spanLocked() const {
  if (q_.size() < 2) return 0;
  int64_t lo[2] = {INT64_MAX, INT64_MAX}, hi[2] = {INT64_MIN, INT64_MIN};
  for (const auto& p : q_) {
    if (p.isHeader()) continue;
    const int t = p.isVideo() ? 1 : 0;
    lo[t] = std::min(lo[t], p.dtsMs);
    hi[t] = std::max(hi[t], p.dtsMs);
  }
  int64_t span = 0;
  for (int t = 0; t < 2; ++t)
    if (lo[t] != INT64_MAX) span = std::max(span, hi[t] - lo[t]);
  return span;
}

// Video backlog that dropping P-frames can relieve (OBS): newest video dts - dts of the oldest queued non-key
// video frame. IDRs and audio (never dropped) do not count, so after a drop-to-IDR the P-frames that follow the
// new IDR are judged on their own wait, not dropped again at once because older audio or IDRs still queue
// (which turned every second frame into a forced IDR: an IDR storm that fed the congestion).
int64_t SendQueue::droppableSpanLocked() const {
  int64_t lo = INT64_MAX, hi = INT64_MIN;
  for (const auto& p : q_) {
    if (!p.isVideo() || p.isHeader()) continue;
    hi = std::max(hi, p.dtsMs);
    if (!p.keyframe) lo = std::min(lo, p.dtsMs);
  }
  return lo == INT64_MAX ? 0 : hi - lo;
}

void SendQueue::enforceLocked() {
  if (spanLocked() > nonRefThresholdMs_) {
    size_t before = q_.size();
    q_.erase(std::remove_if(q_.begin(), q_.end(), [](const EncodedPacket& p) { return p.isVideo() && p.disposable; }),
             q_.end());
    dropped_ += before - q_.size();
  }
  if (droppableSpanLocked() > dropThresholdMs_) {
    size_t before = q_.size();
    q_.erase(std::remove_if(q_.begin(), q_.end(), [](const EncodedPacket& p) { return p.isVideo() && !p.keyframe; }),
             q_.end());
    dropped_ += before - q_.size();
    if (before != q_.size()) {
      waitKey_ = true;
      keyRequest_ = true;
    }
  }
  while (q_.size() > 1 && spanLocked() > maxCacheMs_) {
    if (q_.front().isHeader()) {  // never dropped: sent ahead of what remains
      rescued_.push_back(std::move(q_.front()));
      q_.pop_front();
      continue;
    }
    bool wasKey = q_.front().isVideo() && q_.front().keyframe;
    q_.pop_front();
    ++dropped_;
    if (wasKey) {  // the frames that referenced it go too
      while (!q_.empty() && q_.front().isVideo() && !q_.front().keyframe) {
        q_.pop_front();
        ++dropped_;
      }
      bool anyKey = std::any_of(q_.begin(), q_.end(), [](const EncodedPacket& p) { return p.isVideo() && p.keyframe; });
      if (!anyKey) {
        waitKey_ = true;
        keyRequest_ = true;
      }
    }
  }
}

bool SendQueue::push(EncodedPacket p, bool flushing) {
  std::lock_guard lk(mu_);
  if (closed_) return false;
  if (p.isVideo()) {
    if (p.isHeader()) {
      // headers: no effect on the IDR wait
    } else if (p.keyframe) {
      waitKey_ = false;
    } else if (waitKey_) {
      ++dropped_;
      return false;
    }
  }
  q_.push_back(std::move(p));
  if (!flushing) enforceLocked();
  cv_.notify_one();
  return true;
}

std::optional<EncodedPacket> SendQueue::pop(std::chrono::milliseconds timeout) {
  std::unique_lock lk(mu_);
  if (!cv_.wait_for(lk, timeout, [&] { return closed_ || !q_.empty() || !rescued_.empty(); })) return std::nullopt;
  if (!rescued_.empty()) {
    EncodedPacket p = std::move(rescued_.front());
    rescued_.pop_front();
    return p;
  }
  if (q_.empty()) return std::nullopt;
  EncodedPacket p = std::move(q_.front());
  q_.pop_front();
  return p;
}

void SendQueue::resetToNextIdr() {
  std::lock_guard lk(mu_);
  // Keep from the newest queued IDR (or stream-header packet: an IDR of the new encoder follows it) on, if any;
  // else wait for the next one.
  rescued_.clear();  // the caller re-sends the current headers
  auto it = std::find_if(q_.rbegin(), q_.rend(), [](const EncodedPacket& p) { return p.isVideo() && p.keyframe; });
  if (it != q_.rend()) {
    q_.erase(q_.begin(), std::next(it).base());
  } else {
    q_.clear();
    waitKey_ = true;
    keyRequest_ = true;
  }
}

void SendQueue::close() {
  std::lock_guard lk(mu_);
  closed_ = true;
  cv_.notify_all();
}

bool SendQueue::empty() const {
  std::lock_guard lk(mu_);
  return q_.empty() && rescued_.empty();
}
size_t SendQueue::size() const {
  std::lock_guard lk(mu_);
  return q_.size() + rescued_.size();
}
int64_t SendQueue::durationMs() const {
  std::lock_guard lk(mu_);
  return spanLocked();
}
uint64_t SendQueue::dropped() const {
  std::lock_guard lk(mu_);
  return dropped_;
}
bool SendQueue::takeKeyframeRequest() {
  std::lock_guard lk(mu_);
  bool r = keyRequest_;
  keyRequest_ = false;
  return r;
}

}  // namespace openlive::detail
