// The play timeline (player stage): keeps the buffer's media time continuous within one connection.
//
// A jump of the incoming timestamps (a server restart, a publisher change, a republish that starts again at
// 0) is folded into one offset shared by both tracks, so audio and video stay aligned; a forward gap of more
// than a second in video is reported as a discontinuity (2107) without re-basing. I/O thread only.
#pragma once

#include "demux/media_packet.h"

#include <cstdint>
#include <optional>

namespace openlive::player {

class StreamTimeline {
 public:
  static constexpr int64_t kBackwardJumpMs = 1000;  // further back than this: re-base
  static constexpr int64_t kForwardJumpMs = 10000;  // further ahead than this: re-base
  static constexpr int64_t kVideoGapMs = 1000;      // a forward video gap above this is reported

  struct Result {
    bool rebased = false;             // the offset changed (2107 "timestamp jump")
    std::optional<int64_t> gapMs;     // a video gap (2107 "video gap")
  };
  // Shifts the packet's dts/pts onto the timeline.
  Result place(demux::MediaPacket& p);
  void reset();
  int64_t offsetMs() const { return offset_; }

 private:
  int64_t offset_ = 0;
  std::optional<int64_t> lastVideo_, lastAudio_;  // highest dts (video) / pts (audio) placed
};

}  // namespace openlive::player
