#include "pusher/stream_writer.h"

#include "common/logging.h"
#include "pusher/media_clock.h"
#include "transport/rtmp_connection.h"

namespace openlive::detail {
namespace {
// RTMP message types (RTMP specification 7.1).
constexpr auto kAudioMessage = transport::RtmpMessageType::Audio;
constexpr auto kVideoMessage = transport::RtmpMessageType::Video;
constexpr auto kDataMessage = transport::RtmpMessageType::DataAmf0;
}  // namespace

StreamMetadata metadataFor(const StreamInfo& info, const VideoStreamHeader* video) {
  StreamMetadata md;
  md.hasVideo = info.hasVideo;
  md.hasAudio = info.hasAudio;
  if (video) {
    md.width = video->width;
    md.height = video->height;
    md.videoKbps = video->kbps;
  }
  md.fps = info.fps;
  md.audioKbps = info.audioKbps;
  md.audioSampleRate = info.audioSampleRate;
  md.audioChannels = info.audioChannels;
  return md;
}

void StreamHeaders::setVideo(std::shared_ptr<const VideoStreamHeader> h) {
  std::lock_guard lk(mu_);
  video_ = std::move(h);
}
std::shared_ptr<const VideoStreamHeader> StreamHeaders::video() const {
  std::lock_guard lk(mu_);
  return video_;
}
void StreamHeaders::setAudio(Bytes asc) { asc_ = std::move(asc); }

bool StreamWriter::sendHeaders(transport::RtmpConnection& conn, const VideoStreamHeader* video, const Bytes& asc,
                               uint32_t ts) {
  const Bytes meta = buildMetadataBody(metadataFor(info_, video));
  if (!conn.sendMessage(kDataMessage, 0, meta.data(), meta.size())) return false;
  if (video) {
    const Bytes body = videoSequenceHeaderBody(video->avcc);
    if (!conn.sendMessage(kVideoMessage, ts, body.data(), body.size())) return false;
  }
  if (info_.hasAudio && !asc.empty()) {
    const Bytes body = audioSequenceHeaderBody(asc);
    if (!conn.sendMessage(kAudioMessage, ts, body.data(), body.size())) return false;
  }
  return true;
}

bool StreamWriter::begin(transport::RtmpConnection& conn, const StreamHeaders& headers) {
  waitIdr_ = info_.hasVideo;
  const auto video = headers.video();
  return sendHeaders(conn, info_.hasVideo ? video.get() : nullptr, headers.audio(),
                     static_cast<uint32_t>(ts_.position()));
}

// The encoder was reopened (a new size, or after an error): new metadata + sequence header in stream order. The
// old encoder was flushed before it, so the next video is the new encoder's IDR.
bool StreamWriter::sendHeaderPacket(transport::RtmpConnection& conn, const VideoStreamHeader& h) {
  const Bytes meta = buildMetadataBody(metadataFor(info_, &h));
  const Bytes body = videoSequenceHeaderBody(h.avcc);
  return conn.sendMessage(kDataMessage, 0, meta.data(), meta.size()) &&
         conn.sendMessage(kVideoMessage, static_cast<uint32_t>(ts_.videoPosition()), body.data(), body.size());
}

bool StreamWriter::write(transport::RtmpConnection& conn, const EncodedPacket& p) {
  if (p.isHeader()) return sendHeaderPacket(conn, *p.header);
  if (waitIdr_) {
    if (!(p.isVideo() && p.keyframe)) {
      ++skippedBeforeIdr_;
      return true;
    }
    if (skippedBeforeIdr_)
      OL_LOGD("push", "%llu packets before the first IDR skipped", static_cast<unsigned long long>(skippedBeforeIdr_));
    waitIdr_ = false;
    skippedBeforeIdr_ = 0;
  }
  const auto t = static_cast<uint32_t>(ts_.next(p.isVideo(), p.dtsMs));
  const Bytes body = p.isVideo() ? videoFrameBody(p.data, p.keyframe, static_cast<int32_t>(p.ptsMs - p.dtsMs))
                                 : audioFrameBody(p.data.data(), p.data.size());
  if (!conn.sendMessage(p.isVideo() ? kVideoMessage : kAudioMessage, t, body.data(), body.size())) return false;
  stats_.addSent(p.isVideo(), body.size());
  if (p.isVideo() && p.captureUs > 0) stats_.addCaptureToWire(p.captureUs, PushStats::Clock::now());
  return true;
}

}  // namespace openlive::detail
