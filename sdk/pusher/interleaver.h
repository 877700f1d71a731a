// The interleaver: puts the two encoders' packets in decode-time order across tracks before the send queue.
//
// The video encoder holds frames for its lookahead and B-frames (about a second in SD), the audio encoder
// about two AAC frames, so straight out of the encoders audio runs ahead of video by the difference. Players
// with bounded per-track queues (GStreamer's flvdemux + queue, VLC) then fill the audio queue before the
// first video arrives and stall. Here each track waits in its own FIFO; a packet leaves once the other track
// has produced media up to its decode time (less a tolerance: one frame of the other track), so in send
// order the tracks stay within about one frame interval of each other whatever the encoder delay.
//
// Bounded: a packet never waits more than `maxHold` (wall time) for the other track (a stalled source, a
// paused encoder), and not at all once the other track ended (endTrack). Overflow policy "release-on-timeout"
// (counted in timedOut()): the packet goes out of order rather than late. Nothing is ever dropped here; the
// send queue's drop policy and its media-time span apply to what leaves.
// Per track, packets leave in the order they came (the encoders' dts order; stream-header packets keep their
// place among the video packets).
// Thread-safe: the encoders push from their threads (or the app's); the sink is called under the interleaver's
// lock (it must not call back into the interleaver), in release order.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>

#include "encode/encoded_packet.h"

namespace openlive::detail {

class Interleaver {
 public:
  using Clock = std::chrono::steady_clock;
  // `flushing`: the packet is part of an encoder's end-of-stream flush (see SendQueue::push).
  using Sink = std::function<void(EncodedPacket&& packet, bool flushing)>;

  struct Options {
    bool hasVideo = true, hasAudio = true;
    int64_t audioToleranceMs = 66;  // audio may lead the video produced so far by this much (a video frame)
    int64_t videoToleranceMs = 64;  // video may lead the audio produced so far by this much (AAC frames)
    std::chrono::milliseconds maxHold{2000};  // longest wait for the other track
  };

  Interleaver(Options options, Sink sink);

  void push(EncodedPacket packet, bool flushing = false, Clock::time_point now = Clock::now());
  // The track produces nothing more (its source ended, or it was flushed for a stop): the other stops
  // waiting for it. Releases what can go.
  void endTrack(EncodedPacket::Kind kind, Clock::time_point now = Clock::now());
  // Releases what waited longer than maxHold (the send thread calls this when it has nothing to send).
  void releaseExpired(Clock::time_point now = Clock::now());
  // Releases everything held, in dts order.
  void flush();
  // A new bound (the video encoder was reopened with another delay: LivePusher::setVideoQuality).
  void setMaxHold(std::chrono::milliseconds maxHold);

  size_t held() const;
  uint64_t timedOut() const;  // packets released by the maxHold bound rather than in order
  bool trackEnded(EncodedPacket::Kind kind) const;

  // Wall-time bound for an encoder pipeline with `delayFrames` frames of delay at `fps`: twice that delay,
  // within 0.5 .. 3 s.
  static std::chrono::milliseconds holdFor(int delayFrames, double fps);

 private:
  struct Held {
    EncodedPacket packet;
    bool flushing;
    Clock::time_point since;
  };
  struct Track {
    std::deque<Held> fifo;
    bool present = true;        // the stream has this track
    bool ended = false;
    int64_t highDts = INT64_MIN;  // the highest dts this track has produced
  };
  void releaseLocked(Clock::time_point now, bool all);
  bool inOrderLocked(int track, const Held& h) const;

  Options opt_;  // maxHold guarded by mu_ (setMaxHold); the rest fixed
  const Sink sink_;
  mutable std::mutex mu_;
  Track tracks_[2];       // guarded by mu_; [0] audio, [1] video
  uint64_t timedOut_ = 0; // guarded by mu_
};

}  // namespace openlive::detail
