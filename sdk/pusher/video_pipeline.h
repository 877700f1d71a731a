// The video pipeline of a publishing session: process (scale to the encode size, mirror) -> encode (H.264) ->
// packetise (AVCC + SEI), into the interleaver; with the snapshot and recording taps on the way.
//
// One lock: sources on their thread (capture) or the app's (custom frames) submit pictures; the stat thread's
// adaptive-bitrate requests are applied before the next picture is encoded (a new bitrate, or a new size on
// the resolution ladder: the old encoder is drained, a new one opened, its stream headers queued in stream
// order); so is a new quality (LivePusher::setVideoQuality: another size, range, GOP or tuning). An encoder error reopens the encoder (up to 3 times, 1103) before it fails the session (-1304).
// Each packet carries the instant its picture arrived in the source (the encoder reorders; a small map by pts
// finds it), for the capture-to-wire measurement.
// Relaying (submitRelayed: the app's own H.264, LivePusher::sendEncodedVideo) bypasses process and encode: the
// encoder's delayed frames go out first, then the relayed stream's headers and packets (VideoRelay); the next
// picture submitted ends the relay: a fresh encoder, its headers and an IDR. Rate requests wait until then.
#pragma once

#include <openlive/result.h>

#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/picture.h"
#include "encode/video_encoder.h"
#include "process/video_processor.h"
#include "pusher/interleaver.h"
#include "pusher/push_events.h"
#include "pusher/push_params.h"
#include "pusher/push_recording.h"
#include "pusher/push_stats.h"
#include "pusher/send_queue.h"
#include "pusher/stream_writer.h"
#include "pusher/video_packetizer.h"
#include "pusher/video_relay.h"

namespace openlive::detail {

class VideoPipeline {
 public:
  struct Deps {
    Interleaver& out;
    SendQueue& queue;  // asks for an IDR after it dropped video
    const MediaClock& clock;
    PushEvents& events;
    PushStats& stats;
    StreamHeaders& headers;
    RecordTap& record;
    SnapshotTap& snapshots;
    RelayTimeline& relayTimeline;  // shared with the relayed audio
    const std::atomic<bool>& stopping;  // cuts an end-of-stream flush short
  };
  // `rung`: the first size on the resolution ladder (BitrateController::scaledSize).
  VideoPipeline(const ResolvedVideoParams& params, int rung, Deps deps);

  // Opens the encoder for a source of `fps` frames per second; publishes the stream header; 1008. False (with a
  // log line) when the encoder cannot be opened.
  bool open(int fps);
  bool isOpen() const { return open_.load(); }
  // Processes, encodes and packetises one picture of any size. False once the encoder failed for good.
  bool submit(const PlaneView& picture, int64_t ptsMs, int64_t captureUs, bool mirror);
  // Relays one access unit without re-encoding (see VideoRelay). NotReady while it waits for a keyframe,
  // InvalidArgument for a malformed packet or record, Failed once the pipeline ended.
  Result submitRelayed(const EncodedVideoPacket& packet, int64_t arrivedUs);
  bool relaying() const { return relaying_.load(); }
  // End of stream: the encoder's delayed frames go out; the video track ends there. Idempotent.
  void finish();

  void requestKeyframe() { forceKey_ = true; }
  void requestBitrate(int kbps) { pendingKbps_ = kbps; }
  void requestRung(int rung) { pendingRung_ = rung; }
  // A new quality, applied before the next picture like a rung (size, bitrate, GOP, tuning; 1005). Replaces
  // any pending bitrate or rung request of the old quality's controller.
  void requestParams(const ResolvedVideoParams& params);
  double gopSeconds() const { return gopSeconds_.load(); }
  bool queueMessage(const std::vector<uint8_t>& data) { return packetizer_.queueMessage(data); }
  // The size being sent: the encoder's, or the relayed stream's while relaying.
  int width() const { return relaying_ ? relayWidth_.load() : width_.load(); }
  int height() const { return relaying_ ? relayHeight_.load() : height_.load(); }
  int targetKbps() const {  // the requested one before it is applied
    const int pending = pendingKbps_.load();
    return pending ? pending : kbps_.load();
  }

 private:
  bool openEncoderLocked(int width, int height, int kbps);
  void drainEncoderLocked(bool flushing);  // flush-and-packetise: the encoder's delayed frames
  void emitLocked(std::vector<EncodedPacket>& packets, bool flushing);
  void sendLocked(EncodedPacket&& packet, bool flushing);  // a packetised packet: recorder, stats, interleaver
  void pushHeaderLocked(std::shared_ptr<const VideoStreamHeader> header);  // new headers in stream order
  bool reopenLocked(int width, int height, int kbps, bool drainOld);
  void applyRequestsLocked();
  bool applyParamsLocked();  // a pending requestParams(); true when there was one
  bool recoverLocked(const std::string& error);
  int64_t takeCaptureUsLocked(int64_t ptsMs);
  bool endRelayLocked();  // a picture after relayed packets: a fresh encoder

  ResolvedVideoParams params_;  // guarded by mu_ (replaced by requestParams)
  Deps d_;
  VideoPacketizer packetizer_;
  std::atomic<bool> open_{false}, finished_{false}, forceKey_{false}, relaying_{false};
  std::atomic<int> pendingKbps_{0}, pendingRung_{-1};
  std::atomic<int> width_, height_, kbps_;   // the encoder's
  std::atomic<int> relayWidth_{0}, relayHeight_{0};
  std::atomic<double> gopSeconds_;
  std::mutex pendingMu_;
  std::optional<ResolvedVideoParams> pendingParams_;  // guarded by pendingMu_
  std::atomic<bool> paramsPending_{false};

  std::mutex mu_;
  VideoEncoder encoder_;                        // guarded by mu_
  std::unique_ptr<VideoProcessor> processor_;   // guarded by mu_
  I420Image scratch_;                           // guarded by mu_
  int fps_ = 0, rung_ = 0, restarts_ = 0;       // guarded by mu_
  int64_t lastDts_ = 0;                         // guarded by mu_
  std::deque<std::pair<int64_t, int64_t>> captureAt_;  // guarded by mu_: (pts, capture us) of pictures in the encoder
  bool failed_ = false;                         // guarded by mu_
  VideoRelay relay_{d_.relayTimeline};          // guarded by mu_
};

}  // namespace openlive::detail
