// Helpers for the player integration tests: an event recorder around LivePlayer, y4m and wav readers, and a
// Goertzel tone detector.
#pragma once

#include <openlive/live_player.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

namespace openlive::test {

// Records every event code in arrival order; waits on conditions with deadlines.
class EventLog {
 public:
  void attach(LivePlayer& p) {
    p.setEventCallback([this](const Event& e) {
      std::lock_guard lk(mu_);
      codes_.push_back(toInt(e.code));
      events_.push_back(e);
      times_.push_back(std::chrono::steady_clock::now());
      cv_.notify_all();
    });
    p.setNetStatusCallback([this](const NetStatus& s) {
      std::lock_guard lk(mu_);
      status_.push_back(s);
      cv_.notify_all();
    });
  }
  bool waitFor(int code, std::chrono::milliseconds timeout, size_t occurrences = 1) {
    std::unique_lock lk(mu_);
    return cv_.wait_for(lk, timeout, [&] {
      return size_t(std::count(codes_.begin(), codes_.end(), code)) >= occurrences;
    });
  }
  bool waitForAny(std::initializer_list<int> codes, std::chrono::milliseconds timeout) {
    std::unique_lock lk(mu_);
    return cv_.wait_for(lk, timeout, [&] {
      for (int c : codes)
        if (std::find(codes_.begin(), codes_.end(), c) != codes_.end()) return true;
      return false;
    });
  }
  // Waits until the events so far satisfy `pred` (checked under the log's lock on every event).
  bool waitUntil(const std::function<bool(const std::vector<Event>&)>& pred, std::chrono::milliseconds timeout) {
    std::unique_lock lk(mu_);
    return cv_.wait_for(lk, timeout, [&] { return pred(events_); });
  }
  // Waits for a net status that satisfies `pred` (any received so far counts).
  bool waitForStatus(const std::function<bool(const NetStatus&)>& pred, std::chrono::milliseconds timeout) {
    std::unique_lock lk(mu_);
    return cv_.wait_for(lk, timeout, [&] { return std::any_of(status_.begin(), status_.end(), pred); });
  }
  // Waits until `n` net statuses have arrived in all.
  bool waitForStatusCount(size_t n, std::chrono::milliseconds timeout) {
    std::unique_lock lk(mu_);
    return cv_.wait_for(lk, timeout, [&] { return status_.size() >= n; });
  }
  std::vector<int> codes() const {
    std::lock_guard lk(mu_);
    return codes_;
  }
  std::vector<NetStatus> statuses() const {
    std::lock_guard lk(mu_);
    return status_;
  }
  std::vector<Event> events() const {
    std::lock_guard lk(mu_);
    return events_;
  }
  // The last net status as "KEY=value ...", for failure output.
  std::string lastStatus() const {
    std::lock_guard lk(mu_);
    if (status_.empty()) return "no net status";
    std::string s;
    for (const auto& [k, v] : status_.back().values) s += std::string(k) + "=" + v + " ";
    return s;
  }
  // Index of the first occurrence, -1 if none.
  int indexOf(int code) const {
    std::lock_guard lk(mu_);
    auto it = std::find(codes_.begin(), codes_.end(), code);
    return it == codes_.end() ? -1 : int(it - codes_.begin());
  }
  // "code@ms" per event, ms since the first event, then the message of each warning/error, for failure output.
  std::string dump() const {
    std::lock_guard lk(mu_);
    std::string s;
    for (size_t i = 0; i < codes_.size(); ++i) {
      auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(times_[i] - times_[0]).count();
      s += std::to_string(codes_[i]) + "@" + std::to_string(ms);
      if (codes_[i] < 0 || codes_[i] > 2100) s += "(" + events_[i].message() + ")";
      s += " ";
    }
    return s;
  }

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<int> codes_;
  std::vector<Event> events_;
  std::vector<std::chrono::steady_clock::time_point> times_;
  std::vector<NetStatus> status_;
};

// Counts the pictures the video callback delivers; waits for a count.
class FrameCounter {
 public:
  void attach(LivePlayer& p) {
    p.setVideoFrameCallback([this](const VideoFrame&) {
      std::lock_guard lk(mu_);
      ++frames_;
      cv_.notify_all();
    });
  }
  int count() const {
    std::lock_guard lk(mu_);
    return frames_;
  }
  bool waitFor(int n, std::chrono::milliseconds timeout) {
    std::unique_lock lk(mu_);
    return cv_.wait_for(lk, timeout, [&] { return frames_ >= n; });
  }

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  int frames_ = 0;
};

struct Y4mInfo {
  int width = 0, height = 0, frames = 0;
  double meanLuma = 0;  // of the last frame
  bool ok = false;
};

inline Y4mInfo readY4m(const std::string& path) {
  Y4mInfo info;
  std::ifstream f(path, std::ios::binary);
  std::string header;
  if (!std::getline(f, header) || header.rfind("YUV4MPEG2", 0) != 0) return info;
  std::sscanf(header.c_str(), "YUV4MPEG2 W%d H%d", &info.width, &info.height);
  if (info.width <= 0 || info.height <= 0) return info;
  size_t frameBytes = size_t(info.width) * info.height + 2 * size_t((info.width + 1) / 2) * ((info.height + 1) / 2);
  std::vector<char> buf(frameBytes);
  std::string line;
  while (std::getline(f, line) && line.rfind("FRAME", 0) == 0) {
    if (!f.read(buf.data(), std::streamsize(frameBytes))) break;
    ++info.frames;
    double sum = 0;
    for (int i = 0; i < info.width * info.height; ++i) sum += static_cast<unsigned char>(buf[size_t(i)]);
    info.meanLuma = sum / (info.width * info.height);
  }
  info.ok = true;
  return info;
}

struct WavData {
  int rate = 0, channels = 0;
  std::vector<int16_t> samples;  // interleaved
};

inline WavData readWav(const std::string& path) {
  WavData w;
  std::ifstream f(path, std::ios::binary);
  std::vector<char> all((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  if (all.size() < 44 || std::memcmp(all.data(), "RIFF", 4) != 0) return w;
  auto le16 = [&](size_t o) { return int(uint8_t(all[o])) | (int(uint8_t(all[o + 1])) << 8); };
  auto le32 = [&](size_t o) { return uint32_t(le16(o)) | (uint32_t(le16(o + 2)) << 16); };
  w.channels = le16(22);
  w.rate = int(le32(24));
  size_t n = (all.size() - 44) / 2;
  w.samples.resize(n);
  std::memcpy(w.samples.data(), all.data() + 44, n * 2);
  return w;
}

// Relative power of `freq` in the first channel (Goertzel), normalised by the signal energy: ~0.5 for a
// pure tone at that frequency, ~0 elsewhere.
// Share of the signal's energy at `freq` (Goertzel), as the median over 100 ms blocks of the first `maxFrames`
// frames (after skipping the start when there is enough). Per-block, so a catch-up splice or a dropped audio
// packet (a phase jump) spoils one block, not the whole measurement; blocks of silence are ignored. A pure tone
// gives ~1.0.
inline double tonePower(const WavData& w, double freq, size_t maxFrames = 48000) {
  if (w.rate <= 0 || w.channels <= 0) return 0;
  const size_t total = w.samples.size() / size_t(w.channels);
  size_t frames = std::min(total, maxFrames);
  size_t start = total > frames * 2 ? frames / 2 : 0;  // skip the start
  const size_t block = size_t(w.rate) / 10;
  std::vector<double> ratios;
  for (size_t b = 0; b + block <= frames && start + b + block <= total; b += block) {
    double k = 2 * std::cos(2 * M_PI * freq / w.rate), s1 = 0, s2 = 0, energy = 0;
    for (size_t i = 0; i < block; ++i) {
      double x = w.samples[(start + b + i) * size_t(w.channels)] / 32768.0;
      double s0 = x + k * s1 - s2;
      s2 = s1;
      s1 = s0;
      energy += x * x;
    }
    if (energy < 1e-6 * double(block)) continue;  // silence
    double power = s1 * s1 + s2 * s2 - k * s1 * s2;
    ratios.push_back(power / (energy * double(block) / 2));
  }
  if (ratios.empty()) return 0;
  std::nth_element(ratios.begin(), ratios.begin() + long(ratios.size() / 2), ratios.end());
  return ratios[ratios.size() / 2];
}

}  // namespace openlive::test
