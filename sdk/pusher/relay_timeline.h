// Where relayed media goes on the session's media clock (the relay stages: VideoRelay for H.264, the audio
// pipeline for AAC): one mapping, media ms = source ms + offset, shared by the tracks of the relayed stream so
// they keep the source's own audio/video relation. It is anchored by the first packet that may anchor ("now"),
// and re-anchored by such a packet when its track jumped (more than kMaxDriftMs off the clock, or back in time).
// Between jumps the offset follows the earliest arrivals of either track: the smallest (now - source time) of
// the last kWindowMs, at most kSlewMs per packet (below a frame interval: the order stays), so a packet is never
// stamped later than it arrived (the interleaver and the readers would hold it for that) and the source's
// spacing is kept within a few ms. Thread-safe (the video and audio pipelines call it under their own locks).
#pragma once

#include <climits>
#include <cstdint>
#include <deque>
#include <mutex>
#include <utility>

namespace openlive::detail {

class RelayTimeline {
 public:
  static constexpr int64_t kMaxDriftMs = 500;
  static constexpr int64_t kWindowMs = 2000;
  static constexpr int64_t kSlewMs = 4;
  static constexpr int64_t kDeadbandMs = 20;  // later arrivals than the earliest by less: jitter, not drift
  enum class Track { Video, Audio };

  // The offset for a packet of `track` stamped `sourceMs` in the source, arriving at `nowMs` on the media clock.
  // `mayAnchor`: the packet can start the mapping (a video keyframe; any audio packet). The offset is raised to
  // `floor` when it is below (and stays raised: the following packets keep their spacing after it).
  int64_t offsetFor(Track track, int64_t sourceMs, int64_t nowMs, bool mayAnchor, int64_t floor = INT64_MIN);

 private:
  int64_t next(Track track, int64_t sourceMs, int64_t nowMs, bool mayAnchor);  // under mu_

  std::mutex mu_;
  bool anchored_ = false;                             // guarded by mu_
  int64_t offset_ = 0;                                // guarded by mu_
  int64_t lastSource_[2] = {0, 0};                    // guarded by mu_: per track
  std::deque<std::pair<int64_t, int64_t>> arrivals_;  // guarded by mu_: (now, now - source), a window minimum
};

}  // namespace openlive::detail
