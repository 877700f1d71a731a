// Relay stage of the video pipeline: H.264 access units the app already has (LivePusher::sendEncodedVideo: a
// stream it plays, forwarded without re-encoding) become the pipeline's packets. It starts at a keyframe, after
// a loss (`discontinuity`) it waits for the next one, it turns each new configuration record into new stream
// headers (4-byte NAL lengths, the picture size read from the SPS), and it maps the source's timestamps onto
// the session's media clock: anchored at a keyframe to "now", re-anchored at a keyframe when the source jumped
// (more than kMaxDriftMs off the clock, or back in time), never before the last video packet sent. Between
// jumps the offset follows the earliest arrivals: the smallest (now - source time) of the last kWindowMs, at
// most kSlewMs per packet (below a frame interval: the order stays), so a packet is never stamped later than it
// arrived (the interleaver and the readers would hold it for that) and the source's spacing is kept within a
// few ms. One thread at a time (the video pipeline's lock).
#pragma once

#include <openlive/types.h>

#include <cstdint>
#include <deque>
#include <utility>
#include <memory>
#include <vector>

#include "encode/encoded_packet.h"
#include "mux/h264_config.h"

namespace openlive::detail {

class VideoRelay {
 public:
  static constexpr int64_t kMaxDriftMs = 500;
  static constexpr int64_t kWindowMs = 2000;
  static constexpr int64_t kSlewMs = 4;
  static constexpr int64_t kDeadbandMs = 20;  // later arrivals than the earliest by less: jitter, not drift
  enum class Verdict { Accepted, WaitKeyframe, Malformed };

  // `nowMs`: the media clock; `floorDts`: the last video dts the stream carries. On Accepted, `out` is the
  // packet (AVCC, 4-byte lengths, media-clock timestamps) and `header` is set when new stream headers must go
  // before it (the first packet, or a new record).
  Verdict take(const EncodedVideoPacket& in, int64_t nowMs, int64_t floorDts, int kbps, EncodedPacket& out,
               std::shared_ptr<const VideoStreamHeader>& header);
  // The encoder took over: the next relayed packet must be a keyframe and brings its headers again.
  void reset();
  bool started() const { return started_; }

 private:
  int64_t offsetFor(int64_t dts, int64_t nowMs, bool keyframe);
  // A new record (already read): the current headers, handed out in `header`.
  void acceptConfig(const EncodedVideoPacket& in, AvcConfigInfo info, const std::vector<uint8_t>& au, int kbps,
                    std::shared_ptr<const VideoStreamHeader>& header);

  bool started_ = false;        // a keyframe was taken since the last reset / loss
  std::vector<uint8_t> source_;  // the record as the source sent it (to see a change)
  int nalLengthSize_ = 4;
  std::shared_ptr<const VideoStreamHeader> current_;
  bool anchored_ = false;
  int64_t offset_ = 0;          // media ms = source ms + offset_
  int64_t lastSourceDts_ = 0;
  std::deque<std::pair<int64_t, int64_t>> arrivals_;  // (now, now - source dts), increasing second: a window minimum
};

}  // namespace openlive::detail
