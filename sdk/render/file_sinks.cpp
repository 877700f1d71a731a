#include "render/sinks.h"

extern "C" {
#include <libavutil/frame.h>
#include <libswscale/swscale.h>
}

#include <cstring>

namespace openlive::render {

Y4mSink::Y4mSink(std::string path, int fpsHint) : path_(std::move(path)), fps_(fpsHint > 0 ? fpsHint : 30) {
  if (path_ == "-") {
    f_ = stdout;
  } else {
    f_ = std::fopen(path_.c_str(), "wb");
    ownFile_ = f_ != nullptr;
  }
}

Y4mSink::~Y4mSink() {
  if (sws_) sws_freeContext(sws_);
  if (ownFile_) std::fclose(f_);
  else if (f_) std::fflush(f_);
}

bool Y4mSink::show(const AVFrame* f) {
  if (!f_) return false;
  if (w_ == 0) {
    w_ = f->width;
    h_ = f->height;
    std::fprintf(f_, "YUV4MPEG2 W%d H%d F%d:1 Ip A1:1 C420jpeg\n", w_, h_, fps_);
  }
  const AVFrame* src = f;
  if (f->width != w_ || f->height != h_) {
    sws_ = sws_getCachedContext(sws_, f->width, f->height, AV_PIX_FMT_YUV420P, w_, h_, AV_PIX_FMT_YUV420P,
                                SWS_BILINEAR, nullptr, nullptr, nullptr);
    if (!scaled_) {
      scaled_ = decode::allocFrame();
      scaled_->format = AV_PIX_FMT_YUV420P;
      scaled_->width = w_;
      scaled_->height = h_;
      if (av_frame_get_buffer(scaled_.get(), 32) < 0) return false;
    }
    if (!sws_) return false;
    sws_scale(sws_, f->data, f->linesize, 0, f->height, scaled_->data, scaled_->linesize);
    src = scaled_.get();
  }
  std::fputs("FRAME\n", f_);
  for (int p = 0; p < 3; ++p) {
    int w = p ? (w_ + 1) / 2 : w_, h = p ? (h_ + 1) / 2 : h_;
    for (int y = 0; y < h; ++y) std::fwrite(src->data[p] + size_t(y) * src->linesize[p], 1, size_t(w), f_);
  }
  if (!ownFile_) std::fflush(f_);
  return !std::ferror(f_);
}

WavSink::WavSink(std::string path) { f_ = std::fopen(path.c_str(), "wb"); }

WavSink::~WavSink() {
  if (!f_) return;
  writeHeader();
  std::fclose(f_);
}

void WavSink::writeHeader() {
  auto le32 = [](uint8_t* p, uint32_t v) { for (int i = 0; i < 4; ++i) p[i] = uint8_t(v >> (8 * i)); };
  auto le16 = [](uint8_t* p, uint16_t v) { p[0] = uint8_t(v); p[1] = uint8_t(v >> 8); };
  uint8_t h[44];
  std::memcpy(h, "RIFF", 4);
  le32(h + 4, uint32_t(36 + dataBytes_));
  std::memcpy(h + 8, "WAVEfmt ", 8);
  le32(h + 16, 16);
  le16(h + 20, 1);
  le16(h + 22, uint16_t(channels_ ? channels_ : 2));
  le32(h + 24, uint32_t(rate_ ? rate_ : 44100));
  le32(h + 28, uint32_t((rate_ ? rate_ : 44100) * (channels_ ? channels_ : 2) * 2));
  le16(h + 32, uint16_t((channels_ ? channels_ : 2) * 2));
  le16(h + 34, 16);
  std::memcpy(h + 36, "data", 4);
  le32(h + 40, uint32_t(dataBytes_));
  long pos = std::ftell(f_);
  std::fseek(f_, 0, SEEK_SET);
  std::fwrite(h, 1, sizeof h, f_);
  if (pos > 44) std::fseek(f_, pos, SEEK_SET);
  std::fflush(f_);
}

bool WavSink::play(const decode::PcmBlock& pcm) {
  if (!f_) return false;
  if (rate_ == 0) {
    rate_ = pcm.sampleRate;
    channels_ = pcm.channels;
    writeHeader();
  }
  if (pcm.sampleRate != rate_ || pcm.channels != channels_) return true;  // format change: not representable
  size_t n = std::fwrite(pcm.samples.data(), sizeof(int16_t), pcm.samples.size(), f_);
  dataBytes_ += n * sizeof(int16_t);
  if (++sinceHeader_ >= 50) {
    sinceHeader_ = 0;
    writeHeader();
  }
  return n == pcm.samples.size();
}

}  // namespace openlive::render
