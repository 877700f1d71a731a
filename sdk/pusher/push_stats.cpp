#include "pusher/push_stats.h"

#include <time.h>

#include <algorithm>
#include <cstdio>
#include <vector>

namespace openlive::detail {
namespace {

using std::chrono::milliseconds;

double processCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + ts.tv_nsec / 1e9;
}

std::string num(double x) {
  char b[32];
  std::snprintf(b, sizeof b, "%.1f", x);
  return b;
}

std::string kbps(uint64_t bytes, double secs) { return std::to_string(static_cast<int64_t>(bytes * 8 / secs / 1000)); }

}  // namespace

PushStats::PushStats() : lastCpu_(processCpuSeconds()) {}

void PushStats::addVideo(size_t bytes) {
  videoBytes_ += bytes;
  ++videoFrames_;
}
void PushStats::addAudio(size_t bytes) { audioBytes_ += bytes; }
void PushStats::addSent(bool video, size_t bytes) {
  sentBytes_ += bytes;
  if (!video) sentAudioBytes_ += bytes;
}

void PushStats::addCaptureToWire(int64_t captureUs, Clock::time_point now) {
  const int64_t nowUs = std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count();
  std::lock_guard lk(c2wMu_);
  c2w_.emplace_back(now, static_cast<double>(nowUs - captureUs) / 1000.0);
  while (!c2w_.empty() && now - c2w_.front().first > milliseconds(1000)) c2w_.pop_front();
}

PushStats::Totals PushStats::totals() const {
  return Totals{videoBytes_.load(), audioBytes_.load(), videoFrames_.load(), sentBytes_.load(), sentAudioBytes_.load()};
}

std::optional<double> PushStats::captureToWireMs(Clock::time_point now) {
  std::vector<double> v;
  {
    std::lock_guard lk(c2wMu_);
    while (!c2w_.empty() && now - c2w_.front().first > milliseconds(1000)) c2w_.pop_front();
    for (const auto& s : c2w_) v.push_back(s.second);
  }
  if (v.empty()) return std::nullopt;
  std::nth_element(v.begin(), v.begin() + static_cast<ptrdiff_t>(v.size() / 2), v.end());
  return v[v.size() / 2];
}

NetStatus PushStats::report(Clock::time_point now, const Snapshot& s) {
  const double secs = std::max(1e-3, std::chrono::duration<double>(now - lastAt_).count());
  const double cpu = processCpuSeconds();
  const Totals t = totals();
  NetStatus st;
  auto put = [&](std::string_view k, std::string val) { st.values[std::string(k)] = std::move(val); };
  put(net::kCpuUsage, num(100.0 * (cpu - lastCpu_) / secs));
  put(net::kVideoWidth, std::to_string(s.width));
  put(net::kVideoHeight, std::to_string(s.height));
  put(net::kVideoFps, num(static_cast<double>(t.videoFrames - last_.videoFrames) / secs));
  put(net::kVideoGop, num(s.gopSeconds));
  put(net::kVideoBitrate, kbps(t.videoBytes - last_.videoBytes, secs));
  put(net::kAudioBitrate, kbps(t.audioBytes - last_.audioBytes, secs));
  put(net::kNetSpeed, kbps(t.sentBytes - last_.sentBytes, secs));
  put(net::kSetVideoBitrate, std::to_string(s.targetKbps));
  put(net::kCacheSize, std::to_string(s.queueMs));
  put(net::kDropSize, std::to_string(s.dropped));
  put(net::kAudioInfo, s.audioInfo);
  put(net::kServerIp, s.serverIp);
  if (auto c2w = captureToWireMs(now)) put(net::kCaptureToWire, num(*c2w));
  put("STATE", s.state);
  lastAt_ = now;
  lastCpu_ = cpu;
  last_ = t;
  return st;
}

}  // namespace openlive::detail
