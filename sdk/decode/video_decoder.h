// H.264 decoding (decode stage): libavcodec opened from the AVC sequence header, no probing.
// Output is I420 (yuv420p / yuvj420p pass through, other formats are converted with swscale).
#pragma once

#include "demux/media_packet.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

struct AVCodecContext;
struct AVFrame;
struct AVPacket;
struct SwsContext;

namespace openlive::decode {

using FramePtr = std::shared_ptr<AVFrame>;  // an I420 picture; pts in ms in frame->pts
FramePtr allocFrame();

class VideoDecoder {
 public:
  VideoDecoder();
  ~VideoDecoder();
  VideoDecoder(const VideoDecoder&) = delete;
  VideoDecoder& operator=(const VideoDecoder&) = delete;

  struct Result {
    std::vector<FramePtr> frames;
    bool opened = false;      // the decoder (re)opened for a new sequence header
    bool failed = false;      // decoding failed (-> 2101); the decoder continues
    bool openFailed = false;  // could not open (-> 2101 as well)
    std::string error;
  };
  // Decodes one packet; (re)opens when the packet's config differs from the current one.
  Result decode(const demux::MediaPacket& pkt);
  void flush();
  bool isOpen() const { return ctx_ != nullptr; }
  uint64_t decodedFrames() const { return decoded_; }

 private:
  bool open(const demux::VideoConfig& cfg, std::string* err);
  void close();
  FramePtr toI420(AVFrame* f);
  AVCodecContext* ctx_ = nullptr;
  AVPacket* pkt_ = nullptr;
  SwsContext* sws_ = nullptr;
  std::shared_ptr<const demux::VideoConfig> config_;
  bool waitKey_ = true;
  uint64_t decoded_ = 0;
};

}  // namespace openlive::decode
