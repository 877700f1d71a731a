// decodeImageFile: one picture of an image file as I420 (see image_file.h).
#include "process/image_file.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libswscale/swscale.h>
}

namespace openlive::detail {

namespace {

constexpr int kMaxSide = 8192;  // larger pictures are refused, not decoded into hundreds of MB

// `frame` converted (and scaled) into `out`.
bool toI420(const AVFrame* frame, int width, int height, I420Image& out) {
  SwsContext* sws = sws_getContext(frame->width, frame->height, static_cast<AVPixelFormat>(frame->format), width,
                                   height, AV_PIX_FMT_YUV420P, SWS_BICUBIC, nullptr, nullptr, nullptr);
  if (!sws) return false;
  out.allocate(width, height);
  uint8_t* dst[3] = {out.y.data(), out.u.data(), out.v.data()};
  int strides[3] = {width, width / 2, width / 2};
  sws_scale(sws, frame->data, frame->linesize, 0, frame->height, dst, strides);
  sws_freeContext(sws);
  return true;
}

// The first picture of stream `si` of `fmt`, decoded into `frame`.
bool decodeFirst(AVFormatContext* fmt, int si, AVFrame* frame) {
  const AVCodec* codec = avcodec_find_decoder(fmt->streams[si]->codecpar->codec_id);
  AVCodecContext* dec = codec ? avcodec_alloc_context3(codec) : nullptr;
  AVPacket* pkt = av_packet_alloc();
  bool ok = false;
  if (dec && pkt && avcodec_parameters_to_context(dec, fmt->streams[si]->codecpar) >= 0 &&
      avcodec_open2(dec, codec, nullptr) >= 0) {
    while (!ok && av_read_frame(fmt, pkt) >= 0) {
      if (pkt->stream_index == si && avcodec_send_packet(dec, pkt) >= 0) ok = avcodec_receive_frame(dec, frame) >= 0;
      av_packet_unref(pkt);
    }
    if (!ok && avcodec_send_packet(dec, nullptr) >= 0) ok = avcodec_receive_frame(dec, frame) >= 0;  // delayed
  }
  av_packet_free(&pkt);
  avcodec_free_context(&dec);
  return ok;
}

}  // namespace

bool decodeImageFile(const std::string& path, int width, int height, I420Image& out, std::string* error) {
  auto failed = [&](const std::string& why) {
    if (error) *error = path + ": " + why;
    return false;
  };
  AVFormatContext* fmt = nullptr;
  if (path.empty() || avformat_open_input(&fmt, path.c_str(), nullptr, nullptr) < 0)
    return failed("cannot open the image");
  AVFrame* frame = av_frame_alloc();
  const int si = avformat_find_stream_info(fmt, nullptr) >= 0
                     ? av_find_best_stream(fmt, AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0)
                     : -1;
  std::string why;
  if (si < 0) why = "no picture in the file";
  else if (!decodeFirst(fmt, si, frame)) why = "cannot decode the picture";
  else if (frame->width < 2 || frame->height < 2 || frame->width > kMaxSide || frame->height > kMaxSide)
    why = "a picture of " + std::to_string(frame->width) + "x" + std::to_string(frame->height) +
          " (2 to " + std::to_string(kMaxSide) + " px a side)";
  if (why.empty()) {
    const int w = width > 0 ? width : frame->width & ~1, h = height > 0 ? height : frame->height & ~1;
    if (!toI420(frame, w, h, out)) why = "cannot convert the picture to I420";
  }
  av_frame_free(&frame);
  avformat_close_input(&fmt);
  return why.empty() || failed(why);
}

}  // namespace openlive::detail
