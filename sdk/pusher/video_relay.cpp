#include "pusher/video_relay.h"

#include "mux/h264_config.h"

#include <algorithm>

namespace openlive::detail {

void VideoRelay::reset() {
  started_ = false;
  current_.reset();
  source_.clear();
}

void VideoRelay::acceptConfig(const EncodedVideoPacket& in, AvcConfigInfo info, const std::vector<uint8_t>& au,
                              int kbps, std::shared_ptr<const VideoStreamHeader>& header) {
  auto h = std::make_shared<VideoStreamHeader>();
  h->avcc = std::move(info.record);
  h->kbps = kbps;
  if (!probeAvcPictureSize(h->avcc, au.data(), au.size(), &h->width, &h->height)) h->width = h->height = 0;
  source_.assign(in.config, in.config + in.configSize);
  nalLengthSize_ = info.nalLengthSize;
  current_ = h;
  header = std::move(h);
}

VideoRelay::Verdict VideoRelay::take(const EncodedVideoPacket& in, int64_t nowMs, int64_t floorDts, int kbps,
                                     EncodedPacket& out, std::shared_ptr<const VideoStreamHeader>& header) {
  header.reset();
  if (!in.data || in.size == 0 || !in.config || in.configSize == 0) return Verdict::Malformed;
  if (in.discontinuity) started_ = false;
  const bool newConfig = source_.size() != in.configSize || !std::equal(source_.begin(), source_.end(), in.config);
  if (!in.keyframe && (!started_ || newConfig)) return Verdict::WaitKeyframe;
  std::optional<AvcConfigInfo> info;
  if (newConfig || !current_) {
    info = readAvcConfig(in.config, in.configSize);
    if (!info) return Verdict::Malformed;
  }
  auto au = toFourByteLengths(in.data, in.size, info ? info->nalLengthSize : nalLengthSize_);
  if (!au) return Verdict::Malformed;
  if (info) acceptConfig(in, std::move(*info), *au, kbps, header);
  if (!started_ && !header) header = current_;  // after a loss or reset: headers again
  started_ = true;

  const int64_t dts = in.dts.count(), pts = std::max(in.pts.count(), dts);
  // never before the stream's last
  const int64_t offset = timeline_.offsetFor(RelayTimeline::Track::Video, dts, nowMs, in.keyframe, floorDts + 1 - dts);

  out = EncodedPacket{};
  out.kind = EncodedPacket::Kind::Video;
  out.data = std::move(*au);
  out.dtsMs = dts + offset;
  out.ptsMs = pts + offset;
  out.keyframe = in.keyframe;
  out.disposable = !in.keyframe && isNonReferenceAvcc(out.data.data(), out.data.size());
  return Verdict::Accepted;
}

}  // namespace openlive::detail
