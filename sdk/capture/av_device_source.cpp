#include "capture/av_device_source.h"
#include "capture/device_ids.h"
#include "common/av_util.h"

#include "common/logging.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavdevice/avdevice.h>
#include <libavformat/avformat.h>
#include <libavutil/channel_layout.h>
#include <libavutil/opt.h>
#include <libswresample/swresample.h>
#include <libswscale/swscale.h>
}

#include <mutex>

namespace openlive::detail {
namespace {

void registerDevicesOnce() {
  static std::once_flag once;
  std::call_once(once, [] { avdevice_register_all(); });
}

int interruptCb(void* opaque) { return static_cast<const std::atomic<bool>*>(opaque)->load() ? 1 : 0; }

// Opens `format`/`device` as an input with a decoder for its best stream of `type`.
struct Input {
  AVFormatContext* fmt = nullptr;
  AVCodecContext* dec = nullptr;
  AVPacket* pkt = nullptr;
  AVFrame* frame = nullptr;
  int stream = -1;

  ~Input() {
    avcodec_free_context(&dec);
    avformat_close_input(&fmt);
    av_packet_free(&pkt);
    av_frame_free(&frame);
  }

  bool open(const char* format, const std::string& device, AVDictionary** opts, AVMediaType type,
            const std::atomic<bool>& cancel, std::string* error) {
    registerDevicesOnce();
    const AVInputFormat* ifmt = av_find_input_format(format);
    if (!ifmt) {
      if (error) *error = std::string(format) + " input not available in this FFmpeg build";
      return false;
    }
    fmt = avformat_alloc_context();
    fmt->interrupt_callback.callback = interruptCb;
    fmt->interrupt_callback.opaque = const_cast<std::atomic<bool>*>(&cancel);
    int r = avformat_open_input(&fmt, device.c_str(), ifmt, opts);
    if (r < 0) {
      if (error) *error = std::string(format) + " " + device + ": " + averr(r);
      return false;
    }
    stream = av_find_best_stream(fmt, type, -1, -1, nullptr, 0);
    if (stream < 0) {
      if (error) *error = device + ": no usable stream";
      return false;
    }
    const AVCodec* codec = avcodec_find_decoder(fmt->streams[stream]->codecpar->codec_id);
    dec = codec ? avcodec_alloc_context3(codec) : nullptr;
    if (!dec || avcodec_parameters_to_context(dec, fmt->streams[stream]->codecpar) < 0 ||
        avcodec_open2(dec, codec, nullptr) < 0) {
      if (error) *error = device + ": no decoder for its stream";
      return false;
    }
    pkt = av_packet_alloc();
    frame = av_frame_alloc();
    return true;
  }

  // Next decoded frame into `frame`, blocking in the device until one is there. 1 = frame, 0 = cancelled,
  // -1 = error/end.
  int next(const std::atomic<bool>& cancel, std::string* error) {
    while (!cancel.load()) {
      if (avcodec_receive_frame(dec, frame) >= 0) return 1;
      const int r = av_read_frame(fmt, pkt);
      if (r == AVERROR(EAGAIN) || r == AVERROR_EXIT) continue;  // EXIT: the interrupt callback (cancel)
      if (r < 0) {
        if (error) *error = "device read failed: " + averr(r);
        return -1;
      }
      if (pkt->stream_index == stream) avcodec_send_packet(dec, pkt);
      av_packet_unref(pkt);
    }
    return 0;
  }
};

}  // namespace

struct AvDeviceVideoSource::Impl {
  Input in;
  SwsContext* sws = nullptr;
  ~Impl() { sws_freeContext(sws); }
};

AvDeviceVideoSource::AvDeviceVideoSource() : impl_(std::make_unique<Impl>()) {}
AvDeviceVideoSource::~AvDeviceVideoSource() = default;

bool AvDeviceVideoSource::open(const std::string& format, const std::string& device, int width, int height, int fps,
                               const std::atomic<bool>& cancel, std::string* error) {
  AVDictionary* opts = nullptr;
  av_dict_set(&opts, "framerate", std::to_string(fps).c_str(), 0);
  if (width > 0 && height > 0)
    av_dict_set(&opts, "video_size", (std::to_string(width) + "x" + std::to_string(height)).c_str(), 0);
  bool ok = impl_->in.open(format.c_str(), device, &opts, AVMEDIA_TYPE_VIDEO, cancel, error);
  av_dict_free(&opts);
  fps_ = fps;
  format_ = format;
  device_ = device;
  width_ = width;
  height_ = height;
  return ok;
}

void AvDeviceVideoSource::release() {
  impl_->in.~Input();
  new (&impl_->in) Input();
}

std::unique_ptr<VideoSource> AvDeviceVideoSource::reopen(const std::atomic<bool>& cancel, std::string* why) const {
  auto again = std::make_unique<AvDeviceVideoSource>();
  if (!again->open(format_, device_, width_, height_, static_cast<int>(fps_), cancel, why)) return nullptr;
  return again;
}

SourceRead AvDeviceVideoSource::read(I420Image& out, const std::atomic<bool>& cancel, std::string* error) {
  const int r = impl_->in.next(cancel, error);
  if (r < 0) return SourceRead::Failed;
  if (r == 0) return SourceRead::Cancelled;
  AVFrame* f = impl_->in.frame;
  impl_->sws = sws_getCachedContext(impl_->sws, f->width, f->height, static_cast<AVPixelFormat>(f->format),
                                    f->width & ~1, f->height & ~1, AV_PIX_FMT_YUV420P, SWS_BILINEAR, nullptr,
                                    nullptr, nullptr);
  if (!impl_->sws) {
    if (error) *error = "unsupported device pixel format";
    return SourceRead::Failed;
  }
  out.allocate(f->width & ~1, f->height & ~1);
  uint8_t* dst[3] = {out.y.data(), out.u.data(), out.v.data()};
  int ds[3] = {out.width, out.width / 2, out.width / 2};
  sws_scale(impl_->sws, f->data, f->linesize, 0, f->height, dst, ds);
  av_frame_unref(f);
  return SourceRead::Ok;
}

struct AvDeviceAudioSource::Impl {
  Input in;
  SwrContext* swr = nullptr;
  int rate = 48000, channels = 1;
  ~Impl() { swr_free(&swr); }
};

AvDeviceAudioSource::AvDeviceAudioSource() : impl_(std::make_unique<Impl>()) {}
AvDeviceAudioSource::~AvDeviceAudioSource() = default;
int AvDeviceAudioSource::sampleRate() const { return impl_->rate; }
int AvDeviceAudioSource::channels() const { return impl_->channels; }

bool AvDeviceAudioSource::open(const std::string& device, int rate, int channels, const std::atomic<bool>& cancel,
                               std::string* error) {
  impl_->rate = rate;
  impl_->channels = channels;
  device_ = device;
  // A device id picks the sound system ("pulse:<source>", "alsa:<pcm>"); a plain name tries PulseAudio, then ALSA.
  const DeviceRef ref = parseDeviceId(device.empty() ? "default" : device);
  const std::string& dev = ref.name;
  std::string errors;
  for (const char* fmt : {"pulse", "alsa"}) {
    if ((ref.backend == DeviceBackend::Pulse && fmt[0] != 'p') || (ref.backend == DeviceBackend::Alsa && fmt[0] != 'a'))
      continue;
    AVDictionary* opts = nullptr;
    av_dict_set(&opts, "sample_rate", std::to_string(rate).c_str(), 0);
    av_dict_set(&opts, "channels", std::to_string(channels).c_str(), 0);
    // PulseAudio hands a source's sound over in fragments the server picks unless asked (up to seconds on a
    // monitor source): 20 ms, the capture's chunk.
    if (fmt[0] == 'p') av_dict_set(&opts, "fragment_size", std::to_string(rate / 50 * channels * 2).c_str(), 0);
    std::string e;
    impl_->in.~Input();
    new (&impl_->in) Input();
    bool ok = impl_->in.open(fmt, dev, &opts, AVMEDIA_TYPE_AUDIO, cancel, &e);
    av_dict_free(&opts);
    if (ok && fmt[0] == 'p') watchPulseSource(dev);
    if (ok) return true;
    errors += (errors.empty() ? "" : "; ") + e;
  }
  if (error) *error = errors;
  return false;
}

// A named PulseAudio source is watched for its removal (pulse_source_watch.h): PulseAudio would move the
// recording to another microphone instead of failing it. The default source is not: following it is right.
void AvDeviceAudioSource::watchPulseSource(const std::string& name) {
  if (name == "default") return;
  auto watch = std::make_unique<PulseSourceWatch>(name);
  std::string why;
  if (watch->start(&why)) {
    watch_ = std::move(watch);
  } else {
    OL_LOGW("push", "microphone %s: its removal will not be noticed (%s)", name.c_str(), why.c_str());
  }
}

void AvDeviceAudioSource::release() {
  watch_.reset();
  impl_->in.~Input();
  new (&impl_->in) Input();
}

std::unique_ptr<AudioSource> AvDeviceAudioSource::reopen(const std::atomic<bool>& cancel, std::string* why) const {
  auto again = std::make_unique<AvDeviceAudioSource>();
  if (!again->open(device_, impl_->rate, impl_->channels, cancel, why)) return nullptr;
  return again;
}

SourceRead AvDeviceAudioSource::read(int, std::vector<int16_t>& out, const std::atomic<bool>& cancel,
                                     std::string* error) {
  const int r = impl_->in.next(cancel, error);
  if (r < 0) return SourceRead::Failed;
  if (r == 0) return SourceRead::Cancelled;
  if (watch_ && watch_->gone()) {
    if (error) *error = "the PulseAudio source was removed";
    return SourceRead::Failed;
  }
  AVFrame* f = impl_->in.frame;
  if (!impl_->swr) {
    AVChannelLayout outLayout;
    av_channel_layout_default(&outLayout, impl_->channels);
    if (swr_alloc_set_opts2(&impl_->swr, &outLayout, AV_SAMPLE_FMT_S16, impl_->rate, &f->ch_layout,
                            static_cast<AVSampleFormat>(f->format), f->sample_rate, 0, nullptr) < 0 ||
        swr_init(impl_->swr) < 0) {
      if (error) *error = "cannot convert the microphone's audio";
      return SourceRead::Failed;
    }
  }
  int maxOut = swr_get_out_samples(impl_->swr, f->nb_samples) + 32;
  size_t old = out.size();
  out.resize(old + static_cast<size_t>(maxOut) * impl_->channels);
  uint8_t* dst[1] = {reinterpret_cast<uint8_t*>(out.data() + old)};
  int got = swr_convert(impl_->swr, dst, maxOut, const_cast<const uint8_t**>(f->extended_data), f->nb_samples);
  out.resize(old + static_cast<size_t>(std::max(0, got)) * impl_->channels);
  av_frame_unref(f);
  return SourceRead::Ok;
}

}  // namespace openlive::detail
