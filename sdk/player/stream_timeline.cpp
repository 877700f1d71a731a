#include "player/stream_timeline.h"

namespace openlive::player {

StreamTimeline::Result StreamTimeline::place(demux::MediaPacket& p) {
  Result r;
  const bool video = p.isVideo();
  const int64_t raw = video ? p.dtsMs : p.ptsMs;
  auto& last = video ? lastVideo_ : lastAudio_;
  int64_t ts = raw + offset_;
  if (last && (ts < *last - kBackwardJumpMs || ts > *last + kForwardJumpMs)) {
    const int64_t step = video ? 33 : 23;  // one typical frame after the last one
    offset_ = *last + step - raw;
    ts = raw + offset_;
    r.rebased = true;
  } else if (video && last && ts > *last + kVideoGapMs) {
    r.gapMs = ts - *last;
  }
  p.dtsMs += offset_;
  p.ptsMs += offset_;
  if (!last || ts > *last) last = ts;
  return r;
}

void StreamTimeline::reset() {
  offset_ = 0;
  lastVideo_.reset();
  lastAudio_.reset();
}

}  // namespace openlive::player
