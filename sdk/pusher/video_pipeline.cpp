#include "pusher/video_pipeline.h"

#include "common/logging.h"
#include "mux/flv_mux.h"
#include "pusher/bitrate_controller.h"

#include <algorithm>

namespace openlive::detail {
namespace {
constexpr int kMaxEncoderRestarts = 3;
constexpr size_t kMaxPicturesInEncoder = 128;  // far above any lookahead + B-frames + threads
}  // namespace

VideoPipeline::VideoPipeline(const ResolvedVideoParams& params, int rung, Deps deps)
    : params_(params),
      d_(deps),
      packetizer_(deps.clock),
      kbps_(params.bitrateKbps),
      gopSeconds_(params.gopSeconds),
      rung_(rung) {
  int w = params.width, h = params.height;
  BitrateController::scaledSize(params.width, params.height, rung, &w, &h);
  width_ = w;
  height_ = h;
}

bool VideoPipeline::open(int fps) {
  std::lock_guard lk(mu_);
  fps_ = fps;
  if (!openEncoderLocked(width_, height_, kbps_)) return false;
  open_ = true;
  d_.events.emit(EventCode::PUSH_EVT_START_VIDEO_ENCODER, "",
                 {{std::string(evt::kParam1), "0"},
                  {std::string(evt::kDescription),
                   "libx264 " + std::to_string(width_.load()) + "x" + std::to_string(height_.load())}});
  return true;
}

// Opens the encoder at a size and bitrate and makes its stream header the current one (for reconnects and the
// recorder). The caller queues the header packet when the stream already runs.
bool VideoPipeline::openEncoderLocked(int width, int height, int kbps) {
  VideoEncoderOptions o;
  o.params = params_;
  o.params.fps = fps_;
  o.params.width = width;
  o.params.height = height;
  o.params.bitrateKbps = kbps;
  if (width != params_.width || height != params_.height) {  // a rung of the ladder: the rate cap follows
    o.params.minBitrateKbps = std::min(o.params.minBitrateKbps, kbps);
    o.params.maxBitrateKbps = kbps;
  }
  std::string err;
  if (!encoder_.open(o, &err)) {
    OL_LOGE("push", "cannot open the H.264 encoder at %dx%d: %s", width, height, err.c_str());
    return false;
  }
  auto cfg = buildAvcDecoderConfig(encoder_.extradata().data(), encoder_.extradata().size());
  if (!cfg) {
    OL_LOGE("push", "the H.264 encoder gave no SPS/PPS");
    return false;
  }
  processor_ = std::make_unique<VideoProcessor>(width, height);
  auto header = std::make_shared<VideoStreamHeader>(VideoStreamHeader{*cfg, width, height, kbps});
  d_.headers.setVideo(header);
  d_.record.setVideoHeader(*header);
  width_ = width;
  height_ = height;
  kbps_ = kbps;
  captureAt_.clear();
  return true;
}

int64_t VideoPipeline::takeCaptureUsLocked(int64_t ptsMs) {
  for (auto it = captureAt_.begin(); it != captureAt_.end(); ++it) {
    if (it->first != ptsMs) continue;
    const int64_t us = it->second;
    captureAt_.erase(it);
    return us;
  }
  return 0;
}

void VideoPipeline::emitLocked(std::vector<EncodedPacket>& packets, bool flushing) {
  for (auto& p : packets) {
    p.captureUs = takeCaptureUsLocked(p.ptsMs);
    packetizer_.packetize(p);
    sendLocked(std::move(p), flushing);
  }
  packets.clear();
}

void VideoPipeline::sendLocked(EncodedPacket&& p, bool flushing) {
  lastDts_ = p.dtsMs;
  d_.record.video(p);
  d_.stats.addVideo(p.data.size());
  d_.out.push(std::move(p), flushing);
}

void VideoPipeline::pushHeaderLocked(std::shared_ptr<const VideoStreamHeader> header) {
  EncodedPacket hdr;
  hdr.kind = EncodedPacket::Kind::Video;
  hdr.keyframe = true;
  hdr.dtsMs = hdr.ptsMs = lastDts_;
  hdr.header = std::move(header);
  d_.out.push(std::move(hdr));
}

void VideoPipeline::drainEncoderLocked(bool flushing) {
  std::vector<EncodedPacket> rest;
  encoder_.flush(rest, &d_.stopping);
  emitLocked(rest, flushing);
}

// A new encoder in the running stream: the old one's delayed frames first (they belong to the old headers),
// then the new headers in stream order; the new encoder starts with an IDR.
bool VideoPipeline::reopenLocked(int width, int height, int kbps, bool drainOld) {
  if (drainOld) drainEncoderLocked(false);
  if (!openEncoderLocked(width, height, kbps)) return false;
  pushHeaderLocked(d_.headers.video());
  return true;
}

void VideoPipeline::requestParams(const ResolvedVideoParams& params) {
  {
    std::lock_guard lk(pendingMu_);
    pendingParams_ = params;
  }
  paramsPending_ = true;
}

bool VideoPipeline::applyParamsLocked() {
  if (!paramsPending_.exchange(false)) return false;
  std::optional<ResolvedVideoParams> p;
  {
    std::lock_guard lk(pendingMu_);
    p.swap(pendingParams_);
  }
  if (!p) return false;
  pendingRung_ = -1;  // the old controller's requests are void
  pendingKbps_ = 0;
  params_ = *p;
  gopSeconds_ = p->gopSeconds;
  rung_ = 0;
  if (!reopenLocked(p->width, p->height, p->bitrateKbps, true)) return true;  // the next encode takes the error path
  const std::string size = std::to_string(p->width) + "x" + std::to_string(p->height);
  OL_LOGI("push", "video quality -> %s at %d kbps (%d..%d, GOP %.1f s%s)", size.c_str(), p->bitrateKbps,
          p->minBitrateKbps, p->maxBitrateKbps, p->gopSeconds, p->lowLatency ? ", low latency" : "");
  d_.events.emit(EventCode::PUSH_EVT_CHANGE_RESOLUTION, "video quality changed to " + size,
                 {{std::string(evt::kParam1), std::to_string(p->bitrateKbps)}, {std::string(evt::kParam2), size}});
  return true;
}

void VideoPipeline::applyRequestsLocked() {
  if (applyParamsLocked()) return;
  const int rung = pendingRung_.exchange(-1);
  const int kbps = pendingKbps_.exchange(0);
  if (rung >= 0 && rung != rung_) {
    int w, h;
    BitrateController::scaledSize(params_.width, params_.height, rung, &w, &h);
    const int rate = kbps ? kbps : kbps_.load();
    if (!reopenLocked(w, h, rate, true)) return;  // the next encode fails and takes the error path
    rung_ = rung;
    const std::string size = std::to_string(w) + "x" + std::to_string(h);
    OL_LOGI("push", "resolution -> %s at %d kbps (encoder reopened)", size.c_str(), rate);
    d_.events.emit(EventCode::PUSH_EVT_CHANGE_RESOLUTION, "resolution changed to " + size,
                   {{std::string(evt::kParam1), std::to_string(rate)}, {std::string(evt::kParam2), size}});
  } else if (kbps) {
    encoder_.setBitrate(kbps, kbps);
    kbps_ = kbps;
  }
}

// An encoder error: reopen it at the same size (its delayed frames are lost) a few times before giving up.
bool VideoPipeline::recoverLocked(const std::string& error) {
  if (restarts_++ < kMaxEncoderRestarts && reopenLocked(width_, height_, kbps_, false)) {
    d_.events.emit(EventCode::PUSH_WARNING_VIDEO_ENCODE_FAIL, "video encoder error (" + error + "); encoder restarted");
    return true;
  }
  failed_ = true;
  d_.events.fatal(EventCode::PUSH_ERR_VIDEO_ENCODE_FAIL, "video encoding failed: " + error);
  return false;
}

bool VideoPipeline::submit(const PlaneView& picture, int64_t ptsMs, int64_t captureUs, bool mirror) {
  std::lock_guard lk(mu_);
  if (failed_ || finished_ || !open_) return false;
  if (relaying_ && !endRelayLocked()) return recoverLocked("cannot reopen the encoder after a relay");
  applyRequestsLocked();
  // A picture of the output size, not mirrored, is encoded as it is (libavcodec copies it for x264); else it is
  // scaled / mirrored into scratch_ first.
  const bool direct = processor_->passesThrough(picture, mirror);
  if (!direct && !processor_->process(picture, mirror, scratch_)) return true;  // a bad input picture: skipped
  const PlaneView encoded = direct ? picture : scratch_.view();
  d_.snapshots.offer(encoded);
  const bool forced = forceKey_.exchange(false);  // both are taken (each request is used up), then or-ed
  const bool requested = d_.queue.takeKeyframeRequest();
  const bool key = forced || requested;
  captureAt_.emplace_back(ptsMs, captureUs);
  if (captureAt_.size() > kMaxPicturesInEncoder) captureAt_.pop_front();
  std::vector<EncodedPacket> out;
  std::string err;
  if (!encoder_.encode(encoded.data, encoded.stride, ptsMs, key, out, &err)) return recoverLocked(err);
  emitLocked(out, false);
  return true;
}

bool VideoPipeline::endRelayLocked() {
  relaying_ = false;
  relay_.reset();
  if (!reopenLocked(width_, height_, kbps_, false)) return false;
  OL_LOGI("push", "relay ended: encoding again at %dx%d", width_.load(), height_.load());
  return true;
}

Result VideoPipeline::submitRelayed(const EncodedVideoPacket& in, int64_t arrivedUs) {
  std::lock_guard lk(mu_);
  if (failed_ || finished_ || !open_) return Result::failure(ResultCode::Failed, "the video pipeline has ended");
  if (!relaying_ && in.keyframe) {  // the encoder's delayed frames go first; the next picture reopens it
    drainEncoderLocked(false);
    relaying_ = true;
  }
  EncodedPacket p;
  std::shared_ptr<const VideoStreamHeader> header;
  switch (relay_.take(in, d_.clock.nowMs(), lastDts_, kbps_, p, header)) {
    case VideoRelay::Verdict::Malformed:
      return Result::failure(ResultCode::InvalidArgument, "not an H.264 access unit with a valid configuration record");
    case VideoRelay::Verdict::WaitKeyframe:
      return Result::failure(ResultCode::NotReady, "waiting for a keyframe");
    case VideoRelay::Verdict::Accepted:
      break;
  }
  if (header) {
    OL_LOGI("push", "relaying the app's H.264 (%dx%d) without re-encoding", header->width, header->height);
    relayWidth_ = header->width;
    relayHeight_ = header->height;
    d_.headers.setVideo(header);
    d_.record.setVideoHeader(*header);
    pushHeaderLocked(header);
  }
  p.captureUs = arrivedUs;
  packetizer_.packetizeRelayed(p);
  sendLocked(std::move(p), false);
  return Result::success();
}

void VideoPipeline::finish() {
  std::lock_guard lk(mu_);
  if (finished_.exchange(true)) return;
  if (open_ && !failed_ && !relaying_) drainEncoderLocked(true);
  d_.out.endTrack(EncodedPacket::Kind::Video);
}

}  // namespace openlive::detail
