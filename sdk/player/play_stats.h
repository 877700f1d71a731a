// Play statistics (player stage): the counters the render thread keeps and the NET_STATUS map built from them
// once a second, from connect on (before the first picture too, so a player stuck before it shows why).
#pragma once

#include <openlive/types.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace openlive::player {

// What the render thread knows at the moment of a report.
struct PlayStatsInput {
  int width = 0, height = 0;
  uint64_t videoBytes = 0, audioBytes = 0;  // received so far
  int64_t videoCacheMs = 0, audioCacheMs = 0;
  int64_t jitterMs = 0;
  std::optional<int64_t> avIntervalMs;  // video pts shown - audio heard, when both run
  double speed = 1.0;
  int64_t targetMs = 0;
  uint64_t drops = 0;                   // pictures dropped (late, overflow, jumps)
  uint64_t frameCallbackDrops = 0;      // decoded frames the app's callbacks did not take in time
  std::string serverAddress;
  int audioRate = 0, audioChannels = 0;
  std::string state;                    // the session state's name
};

class PlayStats {
 public:
  using Clock = std::chrono::steady_clock;
  explicit PlayStats(Clock::time_point started) : started_(started), windowStart_(started), lastCpu_(cpuSeconds()) {}

  void onPictureShown(std::optional<int64_t> latencyMs);
  void onFirstPicture(Clock::time_point t) { if (!firstPicture_) firstPicture_ = msSinceStart(t); }
  void onFirstSound(Clock::time_point t) { if (!firstSound_) firstSound_ = msSinceStart(t); }
  void onStallBegan(Clock::time_point t);
  void onStallEnded(Clock::time_point t);
  int stallCount() const { return stalls_; }
  std::optional<int64_t> firstPictureMs() const { return firstPicture_; }
  std::optional<int64_t> firstSoundMs() const { return firstSound_; }
  int64_t msSinceStart(Clock::time_point t) const;

  bool due(Clock::time_point now) const { return now >= windowStart_ + std::chrono::seconds(1); }
  Clock::time_point nextReport() const { return windowStart_ + std::chrono::seconds(1); }
  // Builds this window's NET_STATUS and starts the next window.
  ParamMap report(const PlayStatsInput& in, Clock::time_point now);

 private:
  static double cpuSeconds();
  const Clock::time_point started_;
  Clock::time_point windowStart_;
  uint64_t shownInWindow_ = 0, lastVideoBytes_ = 0, lastAudioBytes_ = 0;
  double lastCpu_;
  int stalls_ = 0;
  uint64_t stallMs_ = 0;
  std::optional<Clock::time_point> stallStart_;
  std::optional<int64_t> latencyMs_, firstPicture_, firstSound_;
};

}  // namespace openlive::player
