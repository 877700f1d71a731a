// Outgoing RTMP timestamps: media dts rebased so the stream starts at 0 (the dts of the first IDR sent; the
// video encoder's first dts is negative with B-frames), kept monotonic per track across reconnects and
// encoder reopens, shifted by the configured offset (PushConfig::timestampOffset). Strictly increasing per
// track: a packet that would land on or before its track's last timestamp goes 1 ms after it (players and
// ffprobe reject equal decode times).
#pragma once

#include <algorithm>
#include <cstdint>

namespace openlive::detail {

class TimestampRebaser {
 public:
  explicit TimestampRebaser(int64_t offsetMs = 0) : offset_(offsetMs) {}
  // The timestamp for a packet of `video` / audio with decode time `dtsMs`. The first call sets the base.
  int64_t next(bool video, int64_t dtsMs) {
    if (!baseSet_) {
      base_ = dtsMs;
      baseSet_ = true;
    }
    const int t = video ? 1 : 0;
    last_[t] = sent_[t] ? std::max(dtsMs - base_, last_[t] + 1) : std::max({int64_t{0}, dtsMs - base_, last_[t]});
    sent_[t] = true;
    return last_[t] + offset_;
  }
  // Where the stream stands (for headers sent mid-stream): the later of the tracks.
  int64_t position() const { return std::max(last_[0], last_[1]) + offset_; }
  int64_t videoPosition() const { return last_[1] + offset_; }
  int64_t last(bool video) const { return last_[video ? 1 : 0]; }

 private:
  const int64_t offset_;
  bool baseSet_ = false;
  int64_t base_ = 0;
  int64_t last_[2] = {0, 0};  // audio, video
  bool sent_[2] = {false, false};
};

}  // namespace openlive::detail
