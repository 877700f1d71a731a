// The play session's render thread (player stage): start, A/V sync, cache policy, decode when due, sinks,
// frame delivery and net status. One object per session, created and used on the render thread only.
//
// Start (per connection): a keyframe in the buffer -> decode until its picture is out (B-frames need a few
// packets), wait for kStartPrebufferMs of the master track, then start the clock at that picture: the first
// picture and the first sound come together. No keyframe yet but audio (a late joiner on a server without GOP
// cache, a long GOP) -> sound starts after a short grace (kAudioFirstGraceMs, for a GOP-cache burst to bring
// its keyframe) and the first picture is shown when the clock reaches it; if it comes in late (the publisher's
// video lags its audio), the clock is set back to it once, so picture and sound are in sync from then on.
// Playing: audio master (live), video master (RTC, or no audio); the cache controller speeds up above the
// target, slows down below it, stalls when dry; pictures are decoded as far ahead as their reordering needs.
// The loop sleeps until the next picture or audio block is due, data arrives, or a report / watchdog deadline.
#pragma once

#include "jitter/cache_controller.h"
#include "player/audio_stage.h"
#include "player/play_stats.h"
#include "player/play_video_output.h"
#include "player/rtc_hold_trim.h"
#include "player/video_stage.h"
#include "render/clock.h"
#include "render/sinks.h"

#include <chrono>
#include <memory>
#include <optional>

namespace openlive::player {

class PlaySession;

class PlayRenderer {
 public:
  using Clock = std::chrono::steady_clock;
  // RTC: jitter window, and how far above its target the buffer may get before the clock skips to the live
  // edge (late video is decoded but not shown, late audio dropped) instead of speeding up.
  static constexpr int64_t kRtcJitterWindowMs = 1500;
  static constexpr int64_t kRtcSkipAboveTargetMs = 150;
  static constexpr int64_t kDecodeAheadMs = 50;
  static constexpr int64_t kAudioFirstGraceMs = 150;
  static constexpr int64_t kFirstPictureResyncMs = 100;
  static constexpr int64_t kStallResyncMaxMs = 1000;  // pictures further behind the sound after a stall: skipped
  static constexpr int64_t kDryMarginMs = 40;
  static constexpr int64_t kFillDelayMs = 1000;
  // A start with a backlog (a GOP-cache server's burst) more than this above the target begins at the live
  // edge: the pictures before (newest - target) are decoded, not shown, for at most kStartSkipBudget.
  static constexpr int64_t kStartSkipMarginMs = 500;
  static constexpr std::chrono::milliseconds kStartSkipBudget{150};
  static constexpr int kStartSkipPacketsPerStep = 4;
  static constexpr std::chrono::milliseconds kWindowPumpInterval{16};  // SDL has no fd to wait on

  explicit PlayRenderer(PlaySession& session);
  ~PlayRenderer();
  void run();

 private:
  void openSinks();
  bool handleWindow();  // false: the user closed the window
  void updateOverlay();
  void onNewEpoch();
  void pausedStep();
  void startStep(Clock::time_point wall);
  bool startAtKeyframe(Clock::time_point wall, bool eos);
  bool planStartSkip(int64_t firstPts, Clock::time_point wall);  // true: skipping
  bool skipToLiveEdge();  // true when done (the budget is checked against now)
  void startAtAudio(Clock::time_point wall, bool eos);
  bool prebuffered(int64_t startPts, bool eos);
  void startClock(int64_t pts, Clock::time_point wall);
  void playStep(Clock::time_point wall);
  void cacheStep(Clock::time_point wall, int64_t now, bool eos);
  void trimRtcHold(Clock::time_point wall);
  void resyncVideoAfterStall();  // live mode: pictures behind the clock when a stall ends
  void videoStep(Clock::time_point wall, bool eos);
  void endIfPlayedOut(bool eos);
  void watchLags(Clock::time_point wall);
  void showPicture(const decode::FramePtr& f, Clock::time_point wall);
  void reportStatus(Clock::time_point wall);
  Clock::time_point nextWake(Clock::time_point wall) const;
  void onDecodeError(bool video, const std::string& why);

  PlaySession& s_;
  jitter::JitterBuffer& buf_;
  const bool rtc_;
  jitter::CacheController cache_;
  jitter::CacheController::Step step_;
  render::PlaybackClock clock_;
  std::unique_ptr<PlayVideoOutput> output_;  // the video sink (a window, a file, none) and its changes
  std::unique_ptr<render::AudioSink> asink_;
  std::unique_ptr<VideoStage> video_;
  std::unique_ptr<AudioStage> audio_;
  PlayStats stats_;
  render::ViewOptions view_;
  uint32_t viewVersion_ = 0;
  detail::DebugInfo::Cursor overlay_;  // what of LiveControls::debug was last drawn

  // This connection (reset by onNewEpoch):
  uint32_t epoch_ = 0;
  bool started_ = false, keyChosen_ = false, shown_ = false, drained_ = false, stalled_ = false;
  bool startReady_ = false;  // prebuffered: the clock starts at the first picture (after a skip, if any)
  bool reported2105_ = false, videoErrorReported_ = false, audioErrorReported_ = false;
  std::optional<Clock::time_point> firstAudioSeen_;
  Clock::time_point startedAt_{};
  std::optional<int64_t> skipTo_;
  RtcHoldTrim trim_;                            // RTC only
  std::optional<int64_t> trimSeenVideo_;        // the newest video pts the trim has seen
  Clock::time_point skipDeadline_{};
  // This session:
  bool ended_ = false, soundReported_ = false;
  int width_ = 0, height_ = 0;
  decode::FramePtr lastShown_;
  Clock::time_point lastShow_{};
  Clock::time_point lastLag_ = Clock::now() - std::chrono::seconds(10);
  uint64_t audioSkipped_ = 0;
};

}  // namespace openlive::player
