// Relay stage of the video pipeline: H.264 access units the app already has (LivePusher::sendEncodedVideo: a
// stream it plays, forwarded without re-encoding) become the pipeline's packets. It starts at a keyframe, after
// a loss (`discontinuity`) it waits for the next one, it turns each new configuration record into new stream
// headers (4-byte NAL lengths, the picture size read from the SPS), and it maps the source's timestamps onto
// the session's media clock with the RelayTimeline it shares with relayed audio (anchored and re-anchored at
// keyframes), never before the last video packet sent. One thread at a time (the video pipeline's lock).
#pragma once

#include <openlive/types.h>

#include <cstdint>
#include <memory>
#include <vector>

#include "encode/encoded_packet.h"
#include "mux/h264_config.h"
#include "pusher/relay_timeline.h"

namespace openlive::detail {

class VideoRelay {
 public:
  explicit VideoRelay(RelayTimeline& timeline) : timeline_(timeline) {}
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
  // A new record (already read): the current headers, handed out in `header`.
  void acceptConfig(const EncodedVideoPacket& in, AvcConfigInfo info, const std::vector<uint8_t>& au, int kbps,
                    std::shared_ptr<const VideoStreamHeader>& header);

  RelayTimeline& timeline_;
  bool started_ = false;        // a keyframe was taken since the last reset / loss
  std::vector<uint8_t> source_;  // the record as the source sent it (to see a change)
  int nalLengthSize_ = 4;
  std::shared_ptr<const VideoStreamHeader> current_;
};

}  // namespace openlive::detail
