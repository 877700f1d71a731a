// H.264 decoding (decode stage): libavcodec opened from the AVC sequence header, no probing.
// Pictures come out in presentation order with their pts: the decoder keeps the stream's reorder depth (from
// the SPS; B-frames and B-pyramid need up to 16 pictures), so a picture may come out several packets after its
// own. No "low delay" shortcut: a stream without B-frames announces a reorder depth of 0 and pays nothing.
// Threads: slice threads for low latency (RTC), frame threads otherwise (one frame of delay per extra thread,
// which the live modes' decode-ahead hides). The low-latency path also outputs the pictures held for
// reordering as soon as an IDR arrives (as H.264's bumping process does), not a few pictures later.
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
  enum class Threading { Slice, Frame };
  explicit VideoDecoder(Threading threading = Threading::Slice);
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
  // Decodes one packet; (re)opens when the packet's config differs from the current one (the pictures the old
  // decoder still held come out first, in the same result).
  Result decode(const demux::MediaPacket& pkt);
  // End of stream: the pictures the decoder still holds for reordering. The decoder then takes new packets
  // again from the next keyframe.
  Result drain();
  // Forgets everything (new connection, jump): the next packet decoded must be a keyframe.
  void flush();
  // While true, pictures nothing refers to (plain B-frames) are not decoded at all: decoding through a backlog
  // that will not be shown costs less; the reference chain stays intact.
  void setSkipNonReference(bool skip);
  bool isOpen() const { return ctx_ != nullptr; }
  uint64_t decodedFrames() const { return decoded_; }

 private:
  bool open(const demux::VideoConfig& cfg, std::string* err);
  void close();
  void receiveAll(Result& res, int64_t fallbackPts);
  void bumpBeforeIdr(const demux::MediaPacket& p, Result& res);
  FramePtr toI420(AVFrame* f);
  const Threading threading_;
  AVCodecContext* ctx_ = nullptr;
  AVPacket* pkt_ = nullptr;
  SwsContext* sws_ = nullptr;
  std::shared_ptr<const demux::VideoConfig> config_;
  bool waitKey_ = true;
  bool skipNonRef_ = false;
  uint64_t decoded_ = 0;
};

}  // namespace openlive::decode
