// Playback policy over the jitter buffer (jitter stage): when to start, stall, resume, speed up or jump.
// Pure logic (no clock, no threads) so it can be unit-tested with synthetic buffer levels.
//
// Live mode: the first start needs only kStartPrebufferMs buffered (the first picture and the first sound come
// as soon as they arrive, no freeze after them); the buffer then grows towards the target by playing slightly
// slower (kFillSpeed, 4 % slow, pitch kept: the sound stays within 5 % of real time) up to kFillMarginMs below
// it, when the caller allows it (not before the first picture of a stream that has video). After a stall playback
// resumes once `startMs()` is buffered (min cache with auto adjust, else the fixed cache time). With auto
// adjust the target follows the measured arrival jitter between min and max
// (it shrinks again when the network is steady); above the target play faster (1.1x when a little over,
// 1.25x when over max or 1 s over the target) until back near the target; beyond 2x max jump to the newest
// IDR. Recovery is bounded: when even 1.25x would need more than kMaxCatchUpMs (8 s) to bring the buffer back
// to max (more than 2 s over it: a burst after a throughput drop), jump to the newest IDR that keeps the target
// buffered instead of playing the stale backlog fast for 10 s and more.
// RTC mode: start at once, target = the measured arrival lateness (95th percentile over a short window, so it
// decays soon after a stall; 0 on a clean link: a picture is shown when it is decoded), at most 500 ms; jump
// beyond 1 s.
#pragma once

#include <algorithm>
#include <cstdint>

namespace openlive::jitter {

struct CacheSettings {
  bool rtc = false;
  bool autoAdjust = true;
  int64_t fixedMs = 5000;  // cacheTime when autoAdjust is off
  int64_t minMs = 1000;
  int64_t maxMs = 5000;
};

// TX presets.
CacheSettings cacheFast();         // 1 / 1 s, auto
CacheSettings cacheSmooth();       // 5 / 5 s, fixed 5 s
CacheSettings cacheAuto();         // 1 - 5 s, auto
CacheSettings cacheMiniProgram();  // 1 / 3 s, auto
CacheSettings cacheRtc();

class CacheController {
 public:
  static constexpr double kMaxSpeed = 1.25;
  static constexpr double kGentleSpeed = 1.1;
  static constexpr double kFillSpeed = 0.96;
  static constexpr int64_t kFillMarginMs = 100;
  static constexpr int64_t kStartPrebufferMs = 100;
  static constexpr int64_t kMaxCatchUpMs = 8000;
  // The excess over max cache that kMaxSpeed plays off within kMaxCatchUpMs (2 s); beyond it, a bounded jump.
  static constexpr int64_t kMaxCatchUpExcessMs = static_cast<int64_t>(kMaxCatchUpMs * (kMaxSpeed - 1.0));

  explicit CacheController(CacheSettings s) : s_(s) {}

  struct Step {
    bool playing = false;     // the clock should run
    double speed = 1.0;
    bool jump = false;        // jump to the newest IDR now ...
    int64_t jumpKeepMs = 0;   // ... that leaves at least this much buffered (0: the newest IDR)
    bool stallBegan = false;  // -> 2007
    bool resumed = false;     // left buffering (after startup or a stall) -> 2004 after a stall
    int64_t targetMs = 0;
  };
  // bufferedMs: newest master timestamp minus the clock; dry: the master track ran out; eos: no more data comes;
  // fillAllowed: the buffer may be grown by slower playback now.
  Step update(int64_t bufferedMs, bool dry, bool eos, int64_t jitterMs, bool fillAllowed = true);

  int64_t targetMs(int64_t jitterMs) const;
  int64_t startMs(int64_t jitterMs) const;
  int64_t maxMs() const { return s_.rtc ? 500 : s_.autoAdjust ? s_.maxMs : std::max(s_.maxMs, s_.fixedMs); }
  bool playing() const { return playing_; }
  bool catchingUp() const { return catching_; }
  int stalls() const { return stalls_; }
  void restart() { playing_ = false; catching_ = false; started_ = false; }
  const CacheSettings& settings() const { return s_; }

 private:
  CacheSettings s_;
  bool playing_ = false, catching_ = false, started_ = false;
  int stalls_ = 0;
};

}  // namespace openlive::jitter
