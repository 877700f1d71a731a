#include "player/play_stats.h"

#include <sys/resource.h>

#include <cstdio>

namespace openlive::player {

namespace {
std::string fmt(double v, int prec = 0) {
  char b[64];
  std::snprintf(b, sizeof b, "%.*f", prec, v);
  return b;
}
}  // namespace

double PlayStats::cpuSeconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return double(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) + double(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

int64_t PlayStats::msSinceStart(Clock::time_point t) const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t - started_).count();
}

void PlayStats::onPictureShown(std::optional<int64_t> latencyMs) {
  ++shownInWindow_;
  if (latencyMs) latencyMs_ = latencyMs;
}

void PlayStats::onStallBegan(Clock::time_point t) {
  ++stalls_;
  stallStart_ = t;
}

void PlayStats::onStallEnded(Clock::time_point t) {
  if (!stallStart_) return;
  stallMs_ += uint64_t(std::chrono::duration_cast<std::chrono::milliseconds>(t - *stallStart_).count());
  stallStart_.reset();
}

ParamMap PlayStats::report(const PlayStatsInput& in, Clock::time_point now) {
  const double secs = std::max(1e-3, std::chrono::duration<double>(now - windowStart_).count());
  const double cpu = cpuSeconds();
  ParamMap m;
  auto put = [&m](std::string_view k, std::string v) { m[std::string(k)] = std::move(v); };
  put(net::kVideoWidth, std::to_string(in.width));
  put(net::kVideoHeight, std::to_string(in.height));
  put(net::kVideoFps, fmt(double(shownInWindow_) / secs, 1));
  put(net::kVideoBitrate, fmt(double(in.videoBytes - lastVideoBytes_) * 8 / 1000 / secs));
  put(net::kAudioBitrate, fmt(double(in.audioBytes - lastAudioBytes_) * 8 / 1000 / secs));
  put(net::kNetSpeed, fmt(double(in.videoBytes + in.audioBytes - lastVideoBytes_ - lastAudioBytes_) * 8 / 1000 / secs));
  put(net::kVideoCache, std::to_string(in.videoCacheMs));
  put(net::kAudioCache, std::to_string(in.audioCacheMs));
  put(net::kNetJitter, std::to_string(in.jitterMs));
  put(net::kAvPlayInterval, std::to_string(in.avIntervalMs.value_or(0)));
  put(net::kAudioPlaySpeed, fmt(in.speed, 2));
  put(net::kAudioCacheThreshold, fmt(double(in.targetMs) / 1000.0, 2));
  put(net::kStallCount, std::to_string(stalls_));
  put(net::kStallMs, std::to_string(stallMs_ + (stallStart_ ? uint64_t(std::chrono::duration_cast<std::chrono::milliseconds>(now - *stallStart_).count()) : 0)));
  put(net::kVideoDrop, std::to_string(in.drops));
  put(net::kFrameCallbackDrop, std::to_string(in.frameCallbackDrops));
  put(net::kCpuUsage, fmt((cpu - lastCpu_) * 100 / secs, 1));
  put(net::kServerIp, in.serverAddress);
  put(net::kPlayState, in.state);
  if (latencyMs_) put(net::kLatency, std::to_string(*latencyMs_));
  if (firstPicture_) put(net::kFirstPictureMs, std::to_string(*firstPicture_));
  if (firstSound_) put(net::kFirstSoundMs, std::to_string(*firstSound_));
  if (in.audioRate) put(net::kAudioInfo, std::to_string(in.audioRate) + "," + std::to_string(in.audioChannels));
  lastVideoBytes_ = in.videoBytes;
  lastAudioBytes_ = in.audioBytes;
  lastCpu_ = cpu;
  shownInWindow_ = 0;
  windowStart_ = now;
  return m;
}

}  // namespace openlive::player
