// The playback clock (render stage): media time that advances with the wall clock at a given speed, can be
// paused (buffering) and re-anchored (jump, audio-master correction). Render thread only.
#pragma once

#include <chrono>
#include <cstdint>

namespace openlive::render {

class PlaybackClock {
 public:
  using SteadyClock = std::chrono::steady_clock;
  int64_t now() const { return nowAt(SteadyClock::now()); }
  int64_t nowAt(SteadyClock::time_point t) const {
    if (!running_) return anchorMedia_;
    double el = std::chrono::duration<double, std::milli>(t - anchorWall_).count();
    return anchorMedia_ + static_cast<int64_t>(el * speed_);
  }
  void set(int64_t mediaMs) {
    anchorMedia_ = mediaMs;
    anchorWall_ = SteadyClock::now();
    valid_ = true;
  }
  void setRunning(bool run) {
    if (run == running_) return;
    set(now());
    running_ = run;
  }
  void setSpeed(double s) {
    if (s == speed_) return;
    set(now());
    speed_ = s;
  }
  bool running() const { return running_; }
  bool valid() const { return valid_; }
  double speed() const { return speed_; }
  void invalidate() { valid_ = false; running_ = false; speed_ = 1.0; }

 private:
  int64_t anchorMedia_ = 0;
  SteadyClock::time_point anchorWall_ = SteadyClock::now();
  double speed_ = 1.0;
  bool running_ = false;
  bool valid_ = false;
};

}  // namespace openlive::render
