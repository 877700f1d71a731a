#include "pusher/preview_feed.h"

#include <cstring>
#include <utility>

namespace openlive::detail {
namespace {

void copyPreviewPlane(const uint8_t* src, int srcStride, std::vector<uint8_t>& dst, int w, int h) {
  for (int y = 0; y < h; ++y) std::memcpy(dst.data() + size_t(y) * w, src + size_t(y) * srcStride, size_t(w));
}

}  // namespace

void PreviewFeed::offer(const PlaneView& p) {
  if (!enabled() || !p.valid()) return;
  I420Image buf;
  {
    std::lock_guard lk(mu_);
    buf = std::move(spare_);
  }
  if (buf.width != p.width || buf.height != p.height) buf.allocate(p.width, p.height);
  const int cw = (p.width + 1) / 2, ch = (p.height + 1) / 2;
  copyPreviewPlane(p.data[0], p.stride[0], buf.y, p.width, p.height);
  copyPreviewPlane(p.data[1], p.stride[1], buf.u, cw, ch);
  copyPreviewPlane(p.data[2], p.stride[2], buf.v, cw, ch);
  {
    std::lock_guard lk(mu_);
    if (full_) dropped_.fetch_add(1);
    std::swap(slot_, buf);
    spare_ = std::move(buf);  // the replaced picture's buffer, reused next time
    full_ = true;
  }
  cv_.notify_one();
}

bool PreviewFeed::take(I420Image& out, std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lk(mu_);
  cv_.wait_until(lk, deadline, [&] { return full_ || woken_; });
  woken_ = false;
  if (!full_) return false;
  std::swap(out, slot_);
  full_ = false;
  return true;
}

void PreviewFeed::wake() {
  {
    std::lock_guard lk(mu_);
    woken_ = true;
  }
  cv_.notify_all();
}

void PreviewFeed::setEnabled(bool enabled) {
  enabled_ = enabled;
  if (enabled) dropped_ = 0;
  std::lock_guard lk(mu_);
  full_ = false;
}

}  // namespace openlive::detail
