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
  // A picture later than this is not shown. Below it every due picture is shown, oldest first, the next at
  // once: a picture comes out late because its decode or the render thread's wake-up was late (many players per
  // process decode the same IDR at the same instant), or the clock moved on (audio drift, a stall's end), which
  // is no backlog: skipping it would lose a picture and win nothing. Backlogs are PlayRenderer's business (live
  // mode: catch-up speed and the jump to an IDR; RTC: the live-edge skip, hideBefore).
  static constexpr int64_t kLateDropMs = 500;

  struct Listener {
    std::function<void()> onDecoderOpened;                 // 2008 (first time)
    std::function<void()> onFirstPicture;                  // 2003 (first time)
    std::function<void(const std::string&)> onDecodeError;  // 2101
    // Each packet as it goes to the decoder; `discontinuity` after a reset (new connection, a jump).
    std::function<void(const demux::MediaPacket&, bool discontinuity)> onPacket;
  };
  VideoStage(bool rtc, Listener listener);  // rtc: slice-threaded decoding (no frame-thread delay)

  // Decodes until a picture with pts > horizonMs is waiting, the buffer has no more video, or the per-call
  // budget is spent.
  void fill(jitter::JitterBuffer& buffer, int64_t horizonMs, int maxPackets = kMaxPacketsPerFill);
  // Decoding through a backlog that will not be shown: plain B-frames are skipped (see VideoDecoder).
  void setSkipping(bool skipping) { decoder_.setSkipNonReference(skipping); }
  // End of stream: the pictures the decoder still holds.
  void drain();
  // The oldest due picture at `nowMs` (call again for the next: it is due already); due pictures more than
  // kLateDropMs late are dropped (counted).
  decode::FramePtr takeDue(int64_t nowMs);
  // The first picture, whenever it is due (start of playback).
  decode::FramePtr takeFirst();
  std::optional<int64_t> nextPts() const;
  // Discards the decoded pictures due before `ptsMs` (a start at the live edge); counted as drops.
  void dropBefore(int64_t ptsMs);
  // A skip to the live edge: pictures before `ptsMs` are not shown, those decoded already and those still to
  // come out of the decoder (counted as drops), until the first picture at or after it comes out.
  void hideBefore(int64_t ptsMs);
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
  Listener listener_;
  decode::VideoDecoder decoder_;
  std::deque<decode::FramePtr> pending_;  // presentation order
  std::map<int64_t, int64_t> captureByPts_;  // bounded: 64
  bool opened_ = false, firstDecoded_ = false;
  bool gap_ = true;  // the next packet follows a reset
  int64_t hideBefore_ = INT64_MIN;  // pictures before this pts are not shown (a live-edge skip)
  uint64_t drops_ = 0;
};

}  // namespace openlive::player
