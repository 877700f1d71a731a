#include "process/snapshot.h"

#include "common/av_util.h"
#include "common/output_path.h"

extern "C" {
#include <libavutil/frame.h>
#include <libavutil/imgutils.h>
#include <libswscale/swscale.h>
}

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cctype>
#include <cstdio>
#include <cstring>
#include <memory>

namespace openlive::detail {
namespace {

struct FrameDeleter {
  void operator()(AVFrame* f) const { av_frame_free(&f); }
};
struct CodecDeleter {
  void operator()(AVCodecContext* c) const { avcodec_free_context(&c); }
};
struct PacketDeleter {
  void operator()(AVPacket* p) const { av_packet_free(&p); }
};

}  // namespace

std::string_view snapshotFormatFor(std::string_view path) {
  const std::string ext = lowerExtension(path);
  if (ext == "jpg" || ext == "jpeg") return "jpeg";
  if (ext == "png") return "png";
  return {};
}

int checkSnapshotPath(const std::string& path, std::string* why) {
  if (!path.empty() && snapshotFormatFor(path).empty()) {
    *why = "unsupported image type (use .jpg or .png): " + path;
    return -2;
  }
  return checkNewFilePath(path, why);
}

void copyI420(const uint8_t* const planes[3], const int strides[3], int width, int height, I420Image& out) {
  out.width = width;
  out.height = height;
  const int cw = (width + 1) / 2, ch = (height + 1) / 2;
  out.y.resize(static_cast<size_t>(width) * height);
  out.u.resize(static_cast<size_t>(cw) * ch);
  out.v.resize(static_cast<size_t>(cw) * ch);
  for (int r = 0; r < height; ++r) std::memcpy(&out.y[static_cast<size_t>(r) * width], planes[0] + static_cast<ptrdiff_t>(r) * strides[0], width);
  for (int r = 0; r < ch; ++r) {
    std::memcpy(&out.u[static_cast<size_t>(r) * cw], planes[1] + static_cast<ptrdiff_t>(r) * strides[1], cw);
    std::memcpy(&out.v[static_cast<size_t>(r) * cw], planes[2] + static_cast<ptrdiff_t>(r) * strides[2], cw);
  }
}

namespace {

// The picture in the image encoder's format: JPEG the same planar layout with the range expanded to full
// (told to swscale explicitly rather than through the deprecated YUVJ formats, which make it warn on every
// snapshot), PNG RGB.
std::unique_ptr<AVFrame, FrameDeleter> convertForImage(const I420Image& img, bool jpeg, std::string* err) {
  const AVPixelFormat outFmt = jpeg ? AV_PIX_FMT_YUVJ420P : AV_PIX_FMT_RGB24;
  std::unique_ptr<AVFrame, FrameDeleter> frame(av_frame_alloc());
  if (!frame) {
    *err = "out of memory";
    return nullptr;
  }
  frame->width = img.width;
  frame->height = img.height;
  frame->format = outFmt;
  if (av_frame_get_buffer(frame.get(), 0) < 0) {
    *err = "out of memory";
    return nullptr;
  }
  SwsContext* sws = sws_getContext(img.width, img.height, AV_PIX_FMT_YUV420P, img.width, img.height,
                                   jpeg ? AV_PIX_FMT_YUV420P : outFmt, SWS_BICUBIC, nullptr, nullptr, nullptr);
  if (!sws) {
    *err = "cannot set up the colour conversion";
    return nullptr;
  }
  if (jpeg) {
    const int* bt601 = sws_getCoefficients(SWS_CS_ITU601);
    sws_setColorspaceDetails(sws, bt601, 0, bt601, 1, 0, 1 << 16, 1 << 16);
  }
  const int cw = (img.width + 1) / 2;
  const uint8_t* src[4] = {img.y.data(), img.u.data(), img.v.data(), nullptr};
  const int srcStride[4] = {img.width, cw, cw, 0};
  sws_scale(sws, src, srcStride, 0, img.height, frame->data, frame->linesize);
  sws_freeContext(sws);
  return frame;
}

std::unique_ptr<AVPacket, PacketDeleter> encodeImage(const AVCodec* codec, AVFrame* frame, bool jpeg, std::string* err) {
  std::unique_ptr<AVCodecContext, CodecDeleter> ctx(avcodec_alloc_context3(codec));
  if (!ctx) {
    *err = "out of memory";
    return nullptr;
  }
  ctx->width = frame->width;
  ctx->height = frame->height;
  ctx->pix_fmt = static_cast<AVPixelFormat>(frame->format);
  ctx->time_base = AVRational{1, 25};
  if (jpeg) {  // quality ~ 90: qscale 2..3
    ctx->flags |= AV_CODEC_FLAG_QSCALE;
    ctx->global_quality = FF_QP2LAMBDA * 2;
    frame->quality = ctx->global_quality;
  }
  int r = avcodec_open2(ctx.get(), codec, nullptr);
  if (r < 0) {
    *err = "cannot open the image encoder: " + averr(r);
    return nullptr;
  }
  std::unique_ptr<AVPacket, PacketDeleter> pkt(av_packet_alloc());
  if (!pkt || (r = avcodec_send_frame(ctx.get(), frame)) < 0 || (r = avcodec_receive_packet(ctx.get(), pkt.get())) < 0) {
    *err = "image encoding failed: " + averr(r);
    return nullptr;
  }
  return pkt;
}

// Written to a temporary name first, so a reader never sees half an image; then link() (not rename) so an
// existing file is never replaced, even one created since the request.
bool writeNewFile(const std::string& path, const uint8_t* data, size_t size, std::string* err) {
  const std::string tmp = path + ".part";
  std::FILE* f = std::fopen(tmp.c_str(), "wbx");
  if (!f) {
    *err = "cannot create " + tmp + ": " + std::strerror(errno);
    return false;
  }
  const bool wrote = std::fwrite(data, 1, size, f) == size;
  const bool closed = std::fclose(f) == 0;
  const bool linked = wrote && closed && ::link(tmp.c_str(), path.c_str()) == 0;
  const int e = errno;
  std::remove(tmp.c_str());
  if (!linked) *err = e == EEXIST ? "file exists: " + path : "cannot write " + path + ": " + std::strerror(e);
  return linked;
}

}  // namespace

bool writeSnapshot(const I420Image& img, const std::string& path, std::string* err) {
  const std::string_view format = snapshotFormatFor(path);
  if (format.empty()) {
    *err = "unsupported image type: " + path;
    return false;
  }
  if (img.width <= 0 || img.height <= 0) {
    *err = "no picture";
    return false;
  }
  const bool jpeg = format == "jpeg";
  const AVCodec* codec = avcodec_find_encoder(jpeg ? AV_CODEC_ID_MJPEG : AV_CODEC_ID_PNG);
  if (!codec) {
    *err = std::string("this FFmpeg has no ") + (jpeg ? "JPEG" : "PNG") + " encoder";
    return false;
  }
  auto frame = convertForImage(img, jpeg, err);
  if (!frame) return false;
  auto pkt = encodeImage(codec, frame.get(), jpeg, err);
  return pkt && writeNewFile(path, pkt->data, static_cast<size_t>(pkt->size), err);
}

}  // namespace openlive::detail
