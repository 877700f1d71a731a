// Checking a room's composed picture from the audience side: a RemoteView that keeps the last decoded picture's
// luma and the player's events, waitable for "a picture of this size whose windows show these levels"; and the
// flat-picture live sources (the ffmpeg CLI writing Y4M into a FIFO) the room tests and benchmarks push.
#pragma once

#include <openlive/live_room.h>
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <string>
#include <vector>

#include "fixtures/process.h"
#include "fixtures/temp_dir.h"

namespace openlive::test {

// A window of the composed picture and the luma level it must show (mean within kMixLumaTolerance).
struct MixRegion {
  int x, y, w, h, luma;
};
inline constexpr int kMixLumaTolerance = 18;
inline constexpr int kAnchorLuma = 181, kCoAnchorLuma = 57, kPlaceholderLuma = 96;  // 0xC0C0C0, 0x303030, the mixer's

// The audience's decoded pictures (the last one kept) and its player's events.
class PictureWatch {
 public:
  RemoteView view() {
    RemoteView v;
    v.onVideoFrame = [this](const VideoFrame& f) {
      std::lock_guard lk(mu_);
      width_ = f.width;
      height_ = f.height;
      luma_.resize(size_t(f.width) * f.height);
      for (int row = 0; row < f.height; ++row)
        std::copy_n(f.planes[0] + size_t(row) * f.strides[0], f.width, luma_.begin() + size_t(row) * f.width);
      ++frames_;
      cv_.notify_all();
    };
    v.onEvent = [this](const Event& e) {
      std::lock_guard lk(mu_);
      events_.push_back(toInt(e.code));
    };
    return v;
  }
  // True once a picture of w x h shows every region's level; else false with the last picture's description.
  // Only pictures after the first `afterFrames` count.
  bool waitFor(int w, int h, const std::vector<MixRegion>& regions, std::chrono::seconds timeout, std::string* last,
               int64_t afterFrames = 0) {
    std::unique_lock lk(mu_);
    return cv_.wait_for(lk, timeout, [&] { return frames_ > afterFrames && matches(w, h, regions, last); });
  }
  int64_t frames() {
    std::lock_guard lk(mu_);
    return frames_;
  }
  int count(int code) {
    std::lock_guard lk(mu_);
    return int(std::count(events_.begin(), events_.end(), code));
  }

 private:
  int mean(const MixRegion& r) const {
    int64_t sum = 0;
    for (int y = r.y; y < r.y + r.h; ++y)
      for (int x = r.x; x < r.x + r.w; ++x) sum += luma_[size_t(y) * width_ + x];
    return int(sum / (int64_t(r.w) * r.h));
  }
  bool matches(int w, int h, const std::vector<MixRegion>& regions, std::string* last) const {
    if (frames_ == 0) return false;
    *last = std::to_string(width_) + "x" + std::to_string(height_);
    if (width_ != w || height_ != h) return false;
    bool all = true;
    for (const auto& r : regions) {
      const int m = mean(r);
      *last += " (" + std::to_string(r.x) + "," + std::to_string(r.y) + "): " + std::to_string(m) + " want " +
               std::to_string(r.luma);
      all = all && std::abs(m - r.luma) <= kMixLumaTolerance;
    }
    return all;
  }
  std::mutex mu_;
  std::condition_variable cv_;
  int width_ = 0, height_ = 0;
  std::vector<uint8_t> luma_;
  int64_t frames_ = 0;
  std::vector<int> events_;
};

// The ffmpeg CLI writing a flat picture as Y4M into a FIFO at 15 fps (a live source for a LivePusher).
inline Process flatY4m(const std::filesystem::path& fifo, const std::string& rgb, const std::string& size) {
  return Process({"ffmpeg", "-nostdin", "-loglevel", "error", "-re", "-f", "lavfi", "-i",
                  "color=c=" + rgb + ":s=" + size + ":r=15", "-pix_fmt", "yuv420p", "-f", "yuv4mpegpipe", "-y",
                  fifo.string()},
                 ProcessOptions{Redirect::null(), Redirect::null()});
}

inline std::filesystem::path makeFifo(const TempDir& dir, const std::string& name) {
  const auto p = dir.path() / name;
  if (mkfifo(p.c_str(), 0600) != 0) return {};
  return p;
}

}  // namespace openlive::test
