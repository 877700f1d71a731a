// Packetise stage of the video pipeline: an H.264 access unit out of the encoder (Annex B) becomes what the
// stream carries (AVCC, 4-byte lengths) with the SEI messages the SDK adds: the app's messages
// (LivePusher::sendMessage, at most 64 pending, overflow policy drop-newest) and the capture time (every IDR
// and at least once a second, for the players' end-to-end latency). Marks frames nothing refers to. Relayed
// access units (LivePusher::sendEncodedVideo) get the app's messages only.
#pragma once

#include <cstdint>
#include <mutex>
#include <vector>

#include "encode/encoded_packet.h"
#include "pusher/media_clock.h"

namespace openlive::detail {

class VideoPacketizer {
 public:
  static constexpr size_t kMaxPendingMessages = 64;
  static constexpr size_t kMaxMessageBytes = 4096;

  explicit VideoPacketizer(const MediaClock& clock) : clock_(clock) {}

  // Any thread. False when empty, too large, or kMaxPendingMessages are already waiting.
  bool queueMessage(const std::vector<uint8_t>& data);
  // In place: data Annex B -> AVCC with the SEI messages, `disposable` set. One thread at a time (the
  // video pipeline's lock).
  void packetize(EncodedPacket& p);
  // A relayed access unit (already AVCC, 4-byte lengths): the app's messages only. Its own capture-time SEI, if
  // the source's pusher wrote one, travels in it: the capture time stays the source's.
  void packetizeRelayed(EncodedPacket& p);

 private:
  void prependMessages(std::vector<uint8_t>& avcc);

  const MediaClock& clock_;
  std::mutex msgMu_;
  std::vector<std::vector<uint8_t>> messages_;  // guarded by msgMu_
  int64_t lastCaptureSeiPts_ = INT64_MIN;       // the packetising thread only
};

}  // namespace openlive::detail
