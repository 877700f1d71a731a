// Publisher, write side: what goes on the wire for one connection. After a (re)connect: onMetaData and the
// sequence headers at the stream's current position, then media from the first IDR on; then every packet from
// the send queue as an FLV tag (a stream-header packet as new metadata + AVC sequence header, in stream order),
// timestamps rebased (TimestampRebaser, kept across reconnects).
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "encode/encoded_packet.h"
#include "mux/flv_mux.h"
#include "pusher/push_stats.h"
#include "pusher/timestamp_rebaser.h"

namespace openlive::transport {
class RtmpConnection;
}

namespace openlive::detail {

// The stream's fixed description (for onMetaData).
struct StreamInfo {
  bool hasVideo = true, hasAudio = true;
  double fps = 0;
  int audioKbps = 0, audioSampleRate = 0, audioChannels = 0;
};
// onMetaData for the stream with the video encoder's current header (null: audio-only or not known yet).
StreamMetadata metadataFor(const StreamInfo& info, const VideoStreamHeader* video);

// The headers a (re)connect sends: the video encoder's current header (replaced when it is reopened) and the
// AAC AudioSpecificConfig (fixed at start). Thread-safe.
class StreamHeaders {
 public:
  void setVideo(std::shared_ptr<const VideoStreamHeader> h);
  std::shared_ptr<const VideoStreamHeader> video() const;
  void setAudio(Bytes asc);  // before the threads start
  const Bytes& audio() const { return asc_; }

 private:
  mutable std::mutex mu_;
  std::shared_ptr<const VideoStreamHeader> video_;  // guarded by mu_
  Bytes asc_;                                       // immutable once the threads run
};

class StreamWriter {
 public:
  StreamWriter(StreamInfo info, int64_t timestampOffsetMs, PushStats& stats)
      : info_(info), ts_(timestampOffsetMs), stats_(stats) {}

  // A new connection: metadata + sequence headers; the media that follows starts at an IDR. False when the
  // connection failed.
  bool begin(transport::RtmpConnection& conn, const StreamHeaders& headers);
  // One packet from the send queue (media before the first IDR after begin() is skipped). False when the
  // connection failed.
  bool write(transport::RtmpConnection& conn, const EncodedPacket& p);
  const TimestampRebaser& timestamps() const { return ts_; }

 private:
  bool sendHeaderPacket(transport::RtmpConnection& conn, const VideoStreamHeader& h);
  bool sendHeaders(transport::RtmpConnection& conn, const VideoStreamHeader* video, const Bytes& asc, uint32_t ts);

  const StreamInfo info_;
  TimestampRebaser ts_;
  PushStats& stats_;
  bool waitIdr_ = true;
  uint64_t skippedBeforeIdr_ = 0;
};

}  // namespace openlive::detail
