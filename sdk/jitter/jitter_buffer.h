// The play-side jitter buffer (jitter stage): compressed packets waiting for their media time.
//
// Written by the I/O thread (push), read by the render thread (pop when due). Measured in media time: the
// buffered amount is the newest master-track timestamp minus the playback clock. Bounded: above kMaxSpanMs of
// media per track the oldest packets are dropped (policy "drop-oldest", counted in overflowDrops()).
// Also measures arrival jitter (see ArrivalJitter).
#pragma once

#include "demux/media_packet.h"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>

namespace openlive::jitter {

// Sliding-window arrival jitter over the last `window` of wall time: how late packets arrive relative to the
// earliest (wall - media) delay seen before them in the window.
class ArrivalJitter {
 public:
  explicit ArrivalJitter(int64_t windowMs = 4000) : windowMs_(windowMs) {}
  void onArrival(int64_t mediaMs, int64_t wallMs);
  int64_t spreadMs() const;        // 0 until two arrivals: the latest arrival in the window
  // The lateness that `share` (0..1) of the window's arrivals stay within (1.0: spreadMs()).
  int64_t lateMsAt(double share) const;
  int64_t maxGapMs() const;        // longest gap between arrivals in the window
  void reset() { samples_.clear(); }

 private:
  struct Sample { int64_t wall, delay; };
  int64_t windowMs_;
  std::deque<Sample> samples_;
};

class JitterBuffer {
 public:
  using Packet = demux::MediaPacket;
  static constexpr int64_t kMaxSpanMs = 30000;

  void push(Packet&& p, int64_t arrivalWallMs);
  // Which track's arrivals the jitter measure follows: the audio when present (live), or always the video (RTC,
  // where the video leads the clock).
  void setJitterFollowsVideo(bool video);
  // Wall-time window of the jitter measure (default 4 s). RTC uses a short one so a single stall stops
  // counting soon after it ended and the target falls back to the steady-state jitter.
  void setJitterWindow(int64_t windowMs);
  // Which share of the arrivals the jitter measure covers (default 1.0: the latest one in the window; RTC uses
  // 0.95, so one late packet does not hold every later frame back).
  void setJitterShare(double share);
  void clear();
  void setEndOfStream(bool eos);
  bool endOfStream() const;

  // Pops the oldest packet of a track if its dts (video) / pts (audio) is <= `dueMs`.
  std::optional<Packet> popIfDue(Packet::Kind kind, int64_t dueMs);
  std::optional<Packet> pop(Packet::Kind kind);
  // Drops video before the newest keyframe and audio before it; returns the keyframe's pts (nullopt if none).
  // keepMs > 0: the newest keyframe after the head that still leaves keepMs of video after it (else the oldest
  // keyframe after the head; nullopt when there is none).
  std::optional<int64_t> dropToNewestKeyframe(int64_t keepMs = 0);
  // Drops every video packet before the first keyframe and audio before it (RTC start); keyframe pts or nullopt.
  std::optional<int64_t> dropToFirstKeyframe();

  bool hasAudio() const;  // any audio seen since the last clear()
  bool hasVideo() const;
  size_t count(Packet::Kind kind) const;
  std::optional<int64_t> oldestTs(Packet::Kind kind) const;
  std::optional<int64_t> newestTs(Packet::Kind kind) const;  // highest pts ever pushed (since clear())
  // Typical spacing of the track's packets in media time (a slow average of the steps between arrivals in
  // decode order), 0 until known. A track is "dry" only when nothing came for longer than this.
  int64_t typicalIntervalMs(Packet::Kind kind) const;
  bool hasKeyframe() const;  // a video keyframe is waiting
  bool videoReorders() const;  // a video packet of this connection had pts != dts (B-frames)
  int64_t jitterMs() const;
  int64_t maxArrivalGapMs() const;
  uint64_t overflowDrops() const;
  uint64_t receivedBytes() const;

  // Render thread: waits until something is pushed or the timeout passes.
  void waitForData(std::chrono::milliseconds timeout);
  void wake();

 private:
  std::deque<Packet>& q(Packet::Kind k) { return k == Packet::Kind::Video ? video_ : audio_; }
  const std::deque<Packet>& q(Packet::Kind k) const { return k == Packet::Kind::Video ? video_ : audio_; }
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Packet> video_, audio_;               // guarded by mu_
  std::optional<int64_t> newestVideo_, newestAudio_;  // guarded by mu_
  struct Spacing {
    std::optional<int64_t> last;
    double avg = 0;
    void onTs(int64_t ts);
  };
  Spacing videoSpacing_, audioSpacing_;  // guarded by mu_
  bool eos_ = false, sawAudio_ = false, sawVideo_ = false, woken_ = false;  // guarded by mu_
  bool videoReorders_ = false;                                                 // guarded by mu_
  bool jitterOnVideo_ = false;                                              // guarded by mu_
  double jitterShare_ = 1.0;                                                // guarded by mu_
  uint64_t overflow_ = 0, bytes_ = 0;              // guarded by mu_
  ArrivalJitter jitter_;                            // guarded by mu_
};

}  // namespace openlive::jitter
