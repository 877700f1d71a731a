#include "encode/video_encoder.h"
#include "common/av_util.h"

#include "common/logging.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavutil/error.h>
#include <libavutil/opt.h>
}

#include <algorithm>
#include <cmath>
#include <cstring>

namespace openlive::detail {

X264Settings x264SettingsFor(const VideoEncodeParams& p) {
  X264Settings s;
  if (p.lowLatency) {
    s.tune = "zerolatency";
    s.bframes = 0;
    s.lookahead = 0;
  }
  s.gopFrames = std::max(1, static_cast<int>(std::lround(p.gopSeconds * p.fps)));
  s.bitrateKbps = p.bitrateKbps;
  s.maxrateKbps = std::max(p.maxBitrateKbps, p.bitrateKbps);
  // 1 s of VBV buffer; 0.5 s for low latency (RTC): a bitrate cut then takes effect within ~0.5 s instead of
  // the encoder spending a full second of buffered allowance into a congested uplink.
  s.bufsizeKbits = p.lowLatency ? std::max(1, s.maxrateKbps / 2) : s.maxrateKbps;
  return s;
}

struct VideoEncoder::Impl {
  AVCodecContext* ctx = nullptr;
  AVFrame* frame = nullptr;
  AVPacket* pkt = nullptr;
  std::vector<uint8_t> extradata;
  VideoEncodeParams params;
  int64_t lastPts = INT64_MIN;

  ~Impl() {
    avcodec_free_context(&ctx);
    av_frame_free(&frame);
    av_packet_free(&pkt);
  }

  bool drain(std::vector<EncodedPacket>& out, std::string* error, const std::atomic<bool>* cancel = nullptr) {
    for (;;) {
      if (cancel && cancel->load()) return true;
      int r = avcodec_receive_packet(ctx, pkt);
      if (r == AVERROR(EAGAIN) || r == AVERROR_EOF) return true;
      if (r < 0) {
        if (error) *error = "avcodec_receive_packet: " + averr(r);
        return false;
      }
      EncodedPacket p;
      p.kind = EncodedPacket::Kind::Video;
      p.data.assign(pkt->data, pkt->data + pkt->size);
      p.ptsMs = pkt->pts;
      p.dtsMs = pkt->dts == AV_NOPTS_VALUE ? pkt->pts : pkt->dts;
      p.keyframe = (pkt->flags & AV_PKT_FLAG_KEY) != 0;
      out.push_back(std::move(p));
      av_packet_unref(pkt);
    }
  }
};

VideoEncoder::VideoEncoder() : impl_(std::make_unique<Impl>()) {}
VideoEncoder::~VideoEncoder() = default;

bool VideoEncoder::open(const VideoEncoderOptions& options, std::string* error) {
  impl_ = std::make_unique<Impl>();
  const VideoEncodeParams& p = options.params;
  impl_->params = p;
  const AVCodec* codec = avcodec_find_encoder_by_name("libx264");
  if (!codec) {
    if (error) *error = "libx264 encoder not available in this FFmpeg build";
    return false;
  }
  X264Settings s = x264SettingsFor(p);
  AVCodecContext* c = impl_->ctx = avcodec_alloc_context3(codec);
  c->width = p.width;
  c->height = p.height;
  c->pix_fmt = AV_PIX_FMT_YUV420P;
  c->time_base = AVRational{1, 1000};
  c->framerate = AVRational{p.fps, 1};
  c->gop_size = s.gopFrames;
  c->keyint_min = s.gopFrames;
  c->max_b_frames = s.bframes;
  c->bit_rate = static_cast<int64_t>(s.bitrateKbps) * 1000;
  c->rc_max_rate = static_cast<int64_t>(s.maxrateKbps) * 1000;
  c->rc_buffer_size = s.bufsizeKbits * 1000;
  c->thread_count = options.threads;
  c->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
  av_opt_set(c->priv_data, "preset", s.preset.c_str(), 0);
  if (!s.tune.empty()) av_opt_set(c->priv_data, "tune", s.tune.c_str(), 0);
  av_opt_set_int(c->priv_data, "forced-idr", 1, 0);
  if (!p.lowLatency) av_opt_set_int(c->priv_data, "rc-lookahead", s.lookahead, 0);
  int r = avcodec_open2(c, codec, nullptr);
  if (r < 0) {
    if (error) *error = "cannot open libx264: " + averr(r);
    return false;
  }
  if (c->extradata && c->extradata_size > 0) impl_->extradata.assign(c->extradata, c->extradata + c->extradata_size);
  impl_->frame = av_frame_alloc();
  impl_->frame->format = AV_PIX_FMT_YUV420P;
  impl_->frame->width = p.width;
  impl_->frame->height = p.height;
  impl_->pkt = av_packet_alloc();
  OL_LOGI("push", "x264 open %dx%d@%d gop %d bf %d %s %d/%d kbps", p.width, p.height, p.fps, s.gopFrames, s.bframes,
          s.tune.c_str(), s.bitrateKbps, s.maxrateKbps);
  return true;
}

bool VideoEncoder::isOpen() const { return impl_ && impl_->ctx && impl_->pkt; }

bool VideoEncoder::encode(const uint8_t* const planes[3], const int strides[3], int64_t ptsMs, bool forceKeyframe,
                          std::vector<EncodedPacket>& out, std::string* error) {
  if (!isOpen()) {
    if (error) *error = "encoder not open";
    return false;
  }
  AVFrame* f = impl_->frame;
  for (int i = 0; i < 3; ++i) {
    f->data[i] = const_cast<uint8_t*>(planes[i]);
    f->linesize[i] = strides[i];
  }
  if (ptsMs <= impl_->lastPts) ptsMs = impl_->lastPts + 1;  // x264 needs strictly increasing pts
  impl_->lastPts = ptsMs;
  f->pts = ptsMs;
  f->pict_type = forceKeyframe ? AV_PICTURE_TYPE_I : AV_PICTURE_TYPE_NONE;
  int r = avcodec_send_frame(impl_->ctx, f);
  for (auto& d : f->data) d = nullptr;
  if (r < 0) {
    if (error) *error = "avcodec_send_frame: " + averr(r);
    return false;
  }
  return impl_->drain(out, error);
}

void VideoEncoder::setBitrate(int kbps, int maxrateKbps) {
  if (!isOpen()) return;
  maxrateKbps = std::max(maxrateKbps, kbps);
  impl_->ctx->bit_rate = static_cast<int64_t>(kbps) * 1000;
  impl_->ctx->rc_max_rate = static_cast<int64_t>(maxrateKbps) * 1000;
  impl_->ctx->rc_buffer_size = (impl_->params.lowLatency ? std::max(1, maxrateKbps / 2) : maxrateKbps) * 1000;
  impl_->params.bitrateKbps = kbps;
  OL_LOGD("push", "x264 rate control -> %d kbps (maxrate %d)", kbps, maxrateKbps);
}

bool VideoEncoder::flush(std::vector<EncodedPacket>& out, const std::atomic<bool>* cancel) {
  if (!isOpen()) return false;
  if (avcodec_send_frame(impl_->ctx, nullptr) < 0) return false;
  return impl_->drain(out, nullptr, cancel);
}

const std::vector<uint8_t>& VideoEncoder::extradata() const { return impl_->extradata; }
const VideoEncodeParams& VideoEncoder::params() const { return impl_->params; }

}  // namespace openlive::detail
