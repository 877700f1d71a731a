#include "decode/video_decoder.h"
#include "common/av_util.h"
#include "demux/avcc_nal.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavutil/imgutils.h>
#include <libswscale/swscale.h>
}

#include <cstring>

namespace openlive::decode {

using detail::averr;

FramePtr allocFrame() {
  return FramePtr(av_frame_alloc(), [](AVFrame* f) { av_frame_free(&f); });
}

VideoDecoder::VideoDecoder(Threading threading) : threading_(threading), pkt_(av_packet_alloc()) {}
VideoDecoder::~VideoDecoder() {
  close();
  av_packet_free(&pkt_);
}

void VideoDecoder::close() {
  if (ctx_) avcodec_free_context(&ctx_);
  if (sws_) sws_freeContext(sws_);
  sws_ = nullptr;
  config_.reset();
}

bool VideoDecoder::open(const demux::VideoConfig& cfg, std::string* err) {
  close();
  const AVCodec* codec = avcodec_find_decoder(AV_CODEC_ID_H264);
  if (!codec) {
    *err = "no H.264 decoder";
    return false;
  }
  ctx_ = avcodec_alloc_context3(codec);
  detail::setExtradata(ctx_, cfg.avcc);
  ctx_->thread_count = 2;
  ctx_->thread_type = threading_ == Threading::Frame ? FF_THREAD_FRAME : FF_THREAD_SLICE;
  ctx_->pkt_timebase = AVRational{1, 1000};
  int r = avcodec_open2(ctx_, codec, nullptr);
  if (r < 0) {
    *err = "avcodec_open2: " + averr(r);
    avcodec_free_context(&ctx_);
    return false;
  }
  waitKey_ = true;
  ctx_->skip_frame = skipNonRef_ ? AVDISCARD_NONREF : AVDISCARD_DEFAULT;
  return true;
}

void VideoDecoder::setSkipNonReference(bool skip) {
  skipNonRef_ = skip;
  if (ctx_) ctx_->skip_frame = skip ? AVDISCARD_NONREF : AVDISCARD_DEFAULT;
}

void VideoDecoder::flush() {
  if (ctx_) avcodec_flush_buffers(ctx_);
  waitKey_ = true;
}

FramePtr VideoDecoder::toI420(AVFrame* f) {
  FramePtr out = allocFrame();
  if (f->format == AV_PIX_FMT_YUV420P || f->format == AV_PIX_FMT_YUVJ420P) {
    av_frame_ref(out.get(), f);
    out->format = AV_PIX_FMT_YUV420P;
    return out;
  }
  out->format = AV_PIX_FMT_YUV420P;
  out->width = f->width;
  out->height = f->height;
  if (av_frame_get_buffer(out.get(), 32) < 0) return nullptr;
  sws_ = sws_getCachedContext(sws_, f->width, f->height, static_cast<AVPixelFormat>(f->format), f->width,
                              f->height, AV_PIX_FMT_YUV420P, SWS_BILINEAR, nullptr, nullptr, nullptr);
  if (!sws_) return nullptr;
  sws_scale(sws_, f->data, f->linesize, 0, f->height, out->data, out->linesize);
  out->pts = f->pts;
  return out;
}

VideoDecoder::Result VideoDecoder::decode(const demux::MediaPacket& p) {
  Result res;
  if (!p.videoConfig) return res;
  if (!config_ || (config_ != p.videoConfig && config_->avcc != p.videoConfig->avcc)) {
    if (ctx_) res = drain();  // the pictures the old configuration still holds
    if (!open(*p.videoConfig, &res.error)) {
      res.openFailed = true;
      return res;
    }
    res.opened = true;
  }
  config_ = p.videoConfig;
  if (waitKey_ && !p.keyframe) return res;  // no reference yet: skip until an IDR
  if (p.keyframe && !waitKey_ && threading_ == Threading::Slice) bumpBeforeIdr(p, res);
  waitKey_ = false;
  av_packet_unref(pkt_);
  if (av_new_packet(pkt_, static_cast<int>(p.data.size())) < 0) return res;
  std::memcpy(pkt_->data, p.data.data(), p.data.size());
  pkt_->pts = p.ptsMs;
  pkt_->dts = p.dtsMs;
  if (p.keyframe) pkt_->flags |= AV_PKT_FLAG_KEY;
  int r = avcodec_send_packet(ctx_, pkt_);
  if (r < 0 && r != AVERROR(EAGAIN)) {
    res.failed = true;
    res.error = "avcodec_send_packet: " + averr(r);
  }
  receiveAll(res, p.ptsMs);
  return res;
}

// H.264 (C.4.4) outputs every picture still held for reordering when an IDR arrives; FFmpeg's decoder keeps
// them until the new GOP's pictures push them out (with 2 B-frames the last picture of a GOP came out ~130 ms,
// four frame intervals, late: a skipped picture in RTC mode). On the low-latency (slice-threaded) path they are
// drained here, and the decoder starts afresh at the IDR, which refers to nothing before it.
void VideoDecoder::bumpBeforeIdr(const demux::MediaPacket& p, Result& res) {
  if (ctx_->has_b_frames <= 0) return;  // nothing held
  if (!demux::hasIdrSlice(p.data.data(), p.data.size(), p.videoConfig->nalLengthSize)) return;
  if (avcodec_send_packet(ctx_, nullptr) >= 0) receiveAll(res, p.ptsMs);
  avcodec_flush_buffers(ctx_);
}

VideoDecoder::Result VideoDecoder::drain() {
  Result res;
  if (!ctx_) return res;
  if (avcodec_send_packet(ctx_, nullptr) >= 0) receiveAll(res, 0);
  avcodec_flush_buffers(ctx_);
  waitKey_ = true;
  return res;
}

void VideoDecoder::receiveAll(Result& res, int64_t fallbackPts) {
  AVFrame* f = av_frame_alloc();
  for (;;) {
    int r = avcodec_receive_frame(ctx_, f);
    if (r == AVERROR(EAGAIN) || r == AVERROR_EOF) break;
    if (r < 0) {
      res.failed = true;
      res.error = "avcodec_receive_frame: " + averr(r);
      break;
    }
    if (f->decode_error_flags) {
      res.failed = true;
      if (res.error.empty()) res.error = "picture decoded with errors (concealed)";
    }
    f->pts = f->best_effort_timestamp != AV_NOPTS_VALUE ? f->best_effort_timestamp : fallbackPts;
    if (FramePtr out = toI420(f)) {
      ++decoded_;
      res.frames.push_back(std::move(out));
    }
    av_frame_unref(f);
  }
  av_frame_free(&f);
}

}  // namespace openlive::decode
