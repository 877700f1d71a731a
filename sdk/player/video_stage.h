// The play side's video stage (decode stage, driven by the render thread): takes packets from the jitter
// buffer in decode order, decodes them, and keeps the decoded pictures in presentation order until they are due.
//
// Decoding is driven by need, not by decode timestamps: the stage decodes until a picture due after the
// horizon is ready, so a stream with B-frames (the decoder holds up to 16 pictures to reorder) is decoded as
// far ahead as its reordering needs and no further. The picture queue is bounded (kMaxPending, drop-oldest,
// counted). Render thread only.
#pragma once

#include "decode/video_decoder.h"
#include "jitter/jitter_buffer.h"

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <string>

namespace openlive::player {

class VideoStage {
 public:
  static constexpr size_t kMaxPending = 32;
  static constexpr int kMaxPacketsPerFill = 16;  // per render iteration, so audio keeps flowing
  static constexpr int64_t kLateDropMs = 500;    // live mode: a picture later than this is not shown
  // RTC: a due picture this late or less is still shown, just before the newer one that is due too; a later
  // one is skipped. A render thread on a busy machine (many players per process) wakes a frame or more late:
  // that is no backlog (the backlog rule is PlayRenderer's live-edge skip, at target + 150 ms).
  static constexpr int64_t kRtcLateShowMs = 150;

  struct Listener {
    std::function<void()> onDecoderOpened;                 // 2008 (first time)
    std::function<void()> onFirstPicture;                  // 2003 (first time)
    std::function<void(const std::string&)> onDecodeError;  // 2101
    // Each packet as it goes to the decoder; `discontinuity` after a reset (new connection, a jump).
    std::function<void(const demux::MediaPacket&, bool discontinuity)> onPacket;
  };
  VideoStage(bool rtc, Listener listener);

  // Decodes until a picture with pts > horizonMs is waiting, the buffer has no more video, or the per-call
  // budget is spent.
  void fill(jitter::JitterBuffer& buffer, int64_t horizonMs, int maxPackets = kMaxPacketsPerFill);
  // Decoding through a backlog that will not be shown: plain B-frames are skipped (see VideoDecoder).
  void setSkipping(bool skipping) { decoder_.setSkipNonReference(skipping); }
  // End of stream: the pictures the decoder still holds.
  void drain();
  // The picture to show at `nowMs`; due pictures not shown are dropped (counted). Live mode shows the newest due
  // unless it is more than kLateDropMs late. RTC skips due pictures more than kRtcLateShowMs late when a newer
  // one is due too, and returns the oldest of the others (call again for the next: it is due already).
  decode::FramePtr takeDue(int64_t nowMs);
  // The first picture, whenever it is due (start of playback).
  decode::FramePtr takeFirst();
  std::optional<int64_t> nextPts() const;
  // Discards the decoded pictures due before `ptsMs` (a start at the live edge); counted as drops.
  void dropBefore(int64_t ptsMs);
  bool empty() const { return pending_.empty(); }
  void clearPending() { pending_.clear(); }
  // New connection or a jump: forget pictures and decoder state; the next packet decoded must be a keyframe.
  void reset();
  // The capture time (pusher's SEI clock, wall ms) of the picture with this pts, if it carried one.
  std::optional<int64_t> captureTimeOf(int64_t ptsMs);
  uint64_t drops() const { return drops_; }

 private:
  void decodeOne(const demux::MediaPacket& p);
  void accept(decode::VideoDecoder::Result&& r);
  const bool rtc_;
  Listener listener_;
  decode::VideoDecoder decoder_;
  std::deque<decode::FramePtr> pending_;  // presentation order
  std::map<int64_t, int64_t> captureByPts_;  // bounded: 64
  bool opened_ = false, firstDecoded_ = false;
  bool gap_ = true;  // the next packet follows a reset
  uint64_t drops_ = 0;
};

}  // namespace openlive::player
