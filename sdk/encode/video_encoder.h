// H.264 through libavcodec/libx264. Input I420 with ms timestamps; output Annex B access units with ms
// pts/dts; SPS/PPS (Annex B) in extradata() for the AVC sequence header.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "encode/encoded_packet.h"
#include "encode/video_params.h"

namespace openlive::detail {

struct VideoEncoderOptions {
  VideoEncodeParams params;
  int threads = 0;  // 0 = libx264 auto
};

// The x264 settings the parameters map to (also printed by the benchmark so ffmpeg gets the same ones).
struct X264Settings {
  std::string preset = "veryfast";
  std::string tune;  // "zerolatency" for RTC
  int bframes = 2;
  int lookahead = 10;
  int gopFrames = 0;
  int bitrateKbps = 0, maxrateKbps = 0, bufsizeKbits = 0;
};
X264Settings x264SettingsFor(const VideoEncodeParams& p);

class VideoEncoder {
 public:
  VideoEncoder();
  ~VideoEncoder();
  VideoEncoder(const VideoEncoder&) = delete;
  VideoEncoder& operator=(const VideoEncoder&) = delete;

  bool open(const VideoEncoderOptions& options, std::string* error);
  bool isOpen() const;
  // Planes of a width x height I420 picture (the encoder's size). Appends any packets that come out.
  bool encode(const uint8_t* const planes[3], const int strides[3], int64_t ptsMs, bool forceKeyframe,
              std::vector<EncodedPacket>& out, std::string* error);
  // New ABR bitrate and VBV maxrate (buffer = 1 s of maxrate), effective from the next frame: FFmpeg's libx264
  // wrapper compares AVCodecContext bit_rate / rc_max_rate / rc_buffer_size with its x264 params on every frame
  // and calls x264_encoder_reconfig() (libavcodec/libx264.c reconfig_encoder(), FFmpeg 5.1). No new IDR, no
  // new SPS/PPS.
  void setBitrate(int kbps, int maxrateKbps);
  // Drains delayed frames (B-frames, lookahead): each one is encoded now, so this can take a while (SD: ~16
  // frames); `cancel` set stops it between frames (what is left is dropped).
  bool flush(std::vector<EncodedPacket>& out, const std::atomic<bool>* cancel = nullptr);
  const std::vector<uint8_t>& extradata() const;
  const VideoEncodeParams& params() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace openlive::detail
