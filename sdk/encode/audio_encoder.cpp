#include "encode/audio_encoder.h"
#include "common/av_util.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavutil/audio_fifo.h>
#include <libavutil/channel_layout.h>
#include <libavutil/error.h>
#include <libavutil/opt.h>
#include <libswresample/swresample.h>
}

namespace openlive::detail {

bool isSupportedInputSampleRate(int rate) {
  static const int kRates[] = {8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000, 64000, 88200, 96000};
  for (int r : kRates)
    if (r == rate) return true;
  return false;
}

static bool receiveAll(AudioEncoder::Impl& m, std::vector<EncodedPacket>& out, std::string* error);

struct AudioEncoder::Impl {
  AVCodecContext* ctx = nullptr;
  SwrContext* swr = nullptr;
  AVAudioFifo* fifo = nullptr;
  AVFrame* frame = nullptr;
  AVPacket* pkt = nullptr;
  std::vector<uint8_t> extradata;
  int swrInRate = 0, swrInChannels = 0;
  bool started = false;
  int64_t firstPtsMs = 0;
  int64_t samplesSent = 0;  // at the encoder rate

  ~Impl() {
    avcodec_free_context(&ctx);
    swr_free(&swr);
    if (fifo) av_audio_fifo_free(fifo);
    av_frame_free(&frame);
    av_packet_free(&pkt);
  }
};

AudioEncoder::AudioEncoder() : impl_(std::make_unique<Impl>()) {}
AudioEncoder::~AudioEncoder() = default;

bool AudioEncoder::open(const AudioEncoderOptions& o, std::string* error) {
  impl_ = std::make_unique<Impl>();
  const AVCodec* codec = avcodec_find_encoder(AV_CODEC_ID_AAC);
  if (!codec) {
    if (error) *error = "AAC encoder not available";
    return false;
  }
  AVCodecContext* c = impl_->ctx = avcodec_alloc_context3(codec);
  c->sample_rate = o.sampleRate;
  c->sample_fmt = AV_SAMPLE_FMT_FLTP;
  av_channel_layout_default(&c->ch_layout, o.channels);
  c->bit_rate = static_cast<int64_t>(o.bitrateKbps) * 1000;
  c->profile = FF_PROFILE_AAC_LOW;
  c->time_base = AVRational{1, o.sampleRate};
  c->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
  int r = avcodec_open2(c, codec, nullptr);
  if (r < 0) {
    if (error) *error = "cannot open the AAC encoder: " + averr(r);
    return false;
  }
  if (c->extradata && c->extradata_size > 0) impl_->extradata.assign(c->extradata, c->extradata + c->extradata_size);
  impl_->fifo = av_audio_fifo_alloc(AV_SAMPLE_FMT_FLTP, o.channels, c->frame_size * 4);
  impl_->frame = av_frame_alloc();
  impl_->frame->nb_samples = c->frame_size;
  impl_->frame->format = AV_SAMPLE_FMT_FLTP;
  av_channel_layout_copy(&impl_->frame->ch_layout, &c->ch_layout);
  impl_->frame->sample_rate = o.sampleRate;
  if (av_frame_get_buffer(impl_->frame, 0) < 0) {
    if (error) *error = "out of memory";
    return false;
  }
  impl_->pkt = av_packet_alloc();
  return true;
}

bool AudioEncoder::isOpen() const { return impl_ && impl_->ctx && impl_->pkt; }
const std::vector<uint8_t>& AudioEncoder::extradata() const { return impl_->extradata; }
int AudioEncoder::sampleRate() const { return impl_->ctx ? impl_->ctx->sample_rate : 0; }
int AudioEncoder::channels() const { return impl_->ctx ? impl_->ctx->ch_layout.nb_channels : 0; }
int AudioEncoder::frameSize() const { return impl_->ctx ? impl_->ctx->frame_size : 1024; }

bool AudioEncoder::encode(const int16_t* samples, int frames, int inRate, int inChannels, int64_t firstPtsMs,
                          std::vector<EncodedPacket>& out, std::string* error) {
  Impl& m = *impl_;
  if (!isOpen()) return false;
  if (!m.started) {
    m.started = true;
    m.firstPtsMs = firstPtsMs;
  }
  if (!m.swr || inRate != m.swrInRate || inChannels != m.swrInChannels) {
    swr_free(&m.swr);
    AVChannelLayout inLayout;
    av_channel_layout_default(&inLayout, inChannels);
    int r = swr_alloc_set_opts2(&m.swr, &m.ctx->ch_layout, AV_SAMPLE_FMT_FLTP, m.ctx->sample_rate, &inLayout,
                                AV_SAMPLE_FMT_S16, inRate, 0, nullptr);
    if (r < 0 || swr_init(m.swr) < 0) {
      if (error) *error = "cannot set up audio resampling";
      return false;
    }
    m.swrInRate = inRate;
    m.swrInChannels = inChannels;
  }
  const int outMax = swr_get_out_samples(m.swr, frames) + 32;
  uint8_t** conv = nullptr;
  if (av_samples_alloc_array_and_samples(&conv, nullptr, m.ctx->ch_layout.nb_channels, outMax, AV_SAMPLE_FMT_FLTP, 0) < 0)
    return false;
  const uint8_t* in[1] = {reinterpret_cast<const uint8_t*>(samples)};
  int got = swr_convert(m.swr, conv, outMax, in, frames);
  if (got > 0) av_audio_fifo_write(m.fifo, reinterpret_cast<void**>(conv), got);
  av_freep(&conv[0]);
  av_freep(&conv);
  const int fs = m.ctx->frame_size;
  while (av_audio_fifo_size(m.fifo) >= fs) {
    if (av_frame_make_writable(m.frame) < 0) return false;
    av_audio_fifo_read(m.fifo, reinterpret_cast<void**>(m.frame->data), fs);
    m.frame->pts = m.samplesSent;
    m.samplesSent += fs;
    int r = avcodec_send_frame(m.ctx, m.frame);
    if (r < 0) {
      if (error) *error = "AAC encode: " + averr(r);
      return false;
    }
    if (!receiveAll(m, out, error)) return false;
  }
  return true;
}

static bool receiveAll(AudioEncoder::Impl& m, std::vector<EncodedPacket>& out, std::string* error) {
  for (;;) {
    int r = avcodec_receive_packet(m.ctx, m.pkt);
    if (r == AVERROR(EAGAIN) || r == AVERROR_EOF) return true;
    if (r < 0) {
      if (error) *error = "AAC encode: " + averr(r);
      return false;
    }
    EncodedPacket p;
    p.kind = EncodedPacket::Kind::Audio;
    p.data.assign(m.pkt->data, m.pkt->data + m.pkt->size);
    const int64_t pts = m.pkt->pts < 0 ? 0 : m.pkt->pts;
    p.ptsMs = p.dtsMs = m.firstPtsMs + pts * 1000 / m.ctx->sample_rate;
    p.keyframe = true;
    out.push_back(std::move(p));
    av_packet_unref(m.pkt);
  }
}

bool AudioEncoder::flush(std::vector<EncodedPacket>& out) {
  Impl& m = *impl_;
  if (!isOpen() || !m.started) return false;
  const int left = av_audio_fifo_size(m.fifo);
  if (left > 0 && av_frame_make_writable(m.frame) >= 0) {
    av_samples_set_silence(m.frame->data, 0, m.ctx->frame_size, m.ctx->ch_layout.nb_channels, AV_SAMPLE_FMT_FLTP);
    av_audio_fifo_read(m.fifo, reinterpret_cast<void**>(m.frame->data), left);
    m.frame->pts = m.samplesSent;
    m.samplesSent += m.ctx->frame_size;
    if (avcodec_send_frame(m.ctx, m.frame) < 0 || !receiveAll(m, out, nullptr)) return false;
  }
  if (avcodec_send_frame(m.ctx, nullptr) < 0) return false;
  return receiveAll(m, out, nullptr);
}

}  // namespace openlive::detail
