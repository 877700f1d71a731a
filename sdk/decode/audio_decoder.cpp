#include "decode/audio_decoder.h"
#include "common/av_util.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavutil/channel_layout.h>
#include <libavutil/opt.h>
#include <libswresample/swresample.h>
}

#include <cstring>

namespace openlive::decode {

using detail::averr;

AudioDecoder::AudioDecoder() : pkt_(av_packet_alloc()), frame_(av_frame_alloc()) {}
AudioDecoder::~AudioDecoder() {
  close();
  av_packet_free(&pkt_);
  av_frame_free(&frame_);
}

void AudioDecoder::close() {
  if (ctx_) avcodec_free_context(&ctx_);
  if (swr_) swr_free(&swr_);
  swrInRate_ = 0;
  swrInFmt_ = -1;
  swrInCh_ = 0;
  config_.reset();
}

bool AudioDecoder::open(const demux::AudioConfig& cfg, std::string* err) {
  close();
  const bool mp3 = cfg.codec == demux::AudioCodec::Mp3;
  const AVCodec* codec = avcodec_find_decoder(mp3 ? AV_CODEC_ID_MP3 : AV_CODEC_ID_AAC);
  if (!codec) {
    *err = mp3 ? "no MP3 decoder" : "no AAC decoder";
    return false;
  }
  ctx_ = avcodec_alloc_context3(codec);
  if (!cfg.asc.empty()) detail::setExtradata(ctx_, cfg.asc);
  ctx_->sample_rate = cfg.sampleRate;
  av_channel_layout_default(&ctx_->ch_layout, cfg.channels > 0 ? cfg.channels : 2);
  ctx_->pkt_timebase = AVRational{1, 1000};
  int r = avcodec_open2(ctx_, codec, nullptr);
  if (r < 0) {
    *err = "avcodec_open2: " + averr(r);
    avcodec_free_context(&ctx_);
    return false;
  }
  return true;
}

AudioDecoder::Result AudioDecoder::decode(const demux::MediaPacket& p) {
  Result res;
  if (!p.audioConfig) return res;
  if (!config_ || (config_ != p.audioConfig && !config_->sameAs(*p.audioConfig))) {
    if (!open(*p.audioConfig, &res.error)) {
      res.failed = true;
      return res;
    }
  }
  config_ = p.audioConfig;
  av_packet_unref(pkt_);
  if (av_new_packet(pkt_, static_cast<int>(p.data.size())) < 0) return res;
  std::memcpy(pkt_->data, p.data.data(), p.data.size());
  pkt_->pts = p.ptsMs;
  int r = avcodec_send_packet(ctx_, pkt_);
  if (r < 0 && r != AVERROR(EAGAIN)) {
    res.failed = true;
    res.error = "avcodec_send_packet: " + averr(r);
    return res;
  }
  while ((r = avcodec_receive_frame(ctx_, frame_)) >= 0) {
    int inCh = frame_->ch_layout.nb_channels;
    int outCh = inCh >= 2 ? 2 : 1;
    if (!swr_ || swrInRate_ != frame_->sample_rate || swrInFmt_ != frame_->format || swrInCh_ != inCh) {
      if (swr_) swr_free(&swr_);
      AVChannelLayout outLayout;
      av_channel_layout_default(&outLayout, outCh);
      if (swr_alloc_set_opts2(&swr_, &outLayout, AV_SAMPLE_FMT_S16, frame_->sample_rate, &frame_->ch_layout,
                              static_cast<AVSampleFormat>(frame_->format), frame_->sample_rate, 0,
                              nullptr) < 0 ||
          swr_init(swr_) < 0) {
        res.failed = true;
        res.error = "swresample init failed";
        av_frame_unref(frame_);
        return res;
      }
      swrInRate_ = frame_->sample_rate;
      swrInFmt_ = frame_->format;
      swrInCh_ = inCh;
    }
    PcmBlock b;
    b.channels = outCh;
    b.sampleRate = frame_->sample_rate;
    b.ptsMs = frame_->pts != AV_NOPTS_VALUE ? frame_->pts : p.ptsMs;
    b.samples.resize(size_t(frame_->nb_samples + 32) * outCh);
    uint8_t* out[1] = {reinterpret_cast<uint8_t*>(b.samples.data())};
    int n = swr_convert(swr_, out, frame_->nb_samples + 32, const_cast<const uint8_t**>(frame_->extended_data),
                        frame_->nb_samples);
    av_frame_unref(frame_);
    if (n < 0) {
      res.failed = true;
      continue;
    }
    b.samples.resize(size_t(n) * outCh);
    res.blocks.push_back(std::move(b));
  }
  if (r != AVERROR(EAGAIN) && r != AVERROR_EOF) {
    res.failed = true;
    res.error = "avcodec_receive_frame: " + averr(r);
  }
  return res;
}

}  // namespace openlive::decode
