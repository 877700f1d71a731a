// The pusher's send queue: packets waiting for the network, measured in media time.
//
// Bounded by time, not count. Overflow policies (all counted in dropped()):
//  - "drop-non-reference": when the queued media spans more than `nonRefThreshold`, queued video frames no
//    other frame refers to (nal_ref_idc 0, `disposable`) are dropped; nothing else is affected.
//  - "drop-video-to-idr": when the queued non-key video has waited more than `dropThreshold` (newest video
//    dts - dts of the oldest queued non-key video frame, as OBS measures it), every queued non-key video
//    frame is dropped, later non-key video is refused until the next IDR arrives, and a keyframe is requested
//    (takeKeyframeRequest()). Audio and IDRs are kept, so the decoder never sees a broken reference chain.
//    Audio and IDRs still queued after such a drop do not trigger another one (they cannot be dropped here):
//    the P-frames after the new IDR are judged on their own wait, so one drop costs one forced IDR.
//  - "drop-oldest": when the span still exceeds `maxCache`, the oldest packets go whatever they are (with the
//    non-key video that depended on a dropped IDR). A last resort bound on memory and latency.
// Stream-header packets (EncodedPacket::header: metadata + AVC sequence header after an encoder reopen) travel
// in stream order, are never dropped and do not count in the span.
// Thread-safe: producers push from capture/encode threads, the send thread pops.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <vector>

#include "encode/encoded_packet.h"

namespace openlive::detail {

class SendQueue {
 public:
  SendQueue(std::chrono::milliseconds dropThreshold, std::chrono::milliseconds maxCache,
            std::chrono::milliseconds nonRefThreshold = std::chrono::milliseconds(700));

  // False when refused (closed, or non-key video while waiting for an IDR; the latter is counted).
  // `flushing`: the encoder's delayed frames at the end of a stream, handed over at once; their dts spread
  // is not network backlog, so the drop rules are not applied (the queue stays bounded by what one flush
  // holds).
  bool push(EncodedPacket p, bool flushing = false);
  // Waits up to `timeout`; nullopt on timeout or when closed and empty.
  std::optional<EncodedPacket> pop(std::chrono::milliseconds timeout);
  // Drops everything queued and refuses non-key video until the next IDR (used after a reconnect). Not counted.
  void resetToNextIdr();
  void close();
  bool empty() const;
  size_t size() const;
  int64_t durationMs() const;  // newest dts - oldest dts of what is queued, per track, the larger one
  uint64_t dropped() const;
  // True once after a drop that needs a fresh IDR.
  bool takeKeyframeRequest();

 private:
  void enforceLocked();
  int64_t spanLocked() const;
  int64_t droppableSpanLocked() const;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<EncodedPacket> q_;      // guarded by mu_
  bool closed_ = false;          // guarded by mu_
  bool waitKey_ = false;         // guarded by mu_
  bool keyRequest_ = false;      // guarded by mu_
  uint64_t dropped_ = 0;         // guarded by mu_
  std::deque<EncodedPacket> rescued_;  // guarded by mu_: stream-header packets saved from drop-oldest, sent first
  const int64_t dropThresholdMs_, maxCacheMs_, nonRefThresholdMs_;
};

}  // namespace openlive::detail
