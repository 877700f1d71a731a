// Taps on the push pipelines for the app's files: local recording of the encoded stream (the packets the
// encoders make, before the send queue, so network drops do not reach the file) and snapshots of the picture
// being encoded (copied, then encoded and written on a worker, "ol-push-aux", never on the video path).
// Results come as events (1029 / 1030 / 1022).
#pragma once

#include <openlive/types.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "common/file_request.h"
#include "common/callback_dispatcher.h"
#include "common/picture.h"
#include "encode/encoded_packet.h"
#include "mux/local_recorder.h"
#include "pusher/push_events.h"

namespace openlive::detail {

class RecordTap {
 public:
  // `requestKeyframe`: the file starts at an IDR; asked for when a recording starts.
  RecordTap(bool hasVideo, bool hasAudio, PushEvents& events, std::function<void()> requestKeyframe);
  ~RecordTap();

  void setAudioConfig(const std::vector<uint8_t>& asc, int sampleRate, int channels);  // before the threads start
  void setVideoHeader(const VideoStreamHeader& h);                      // the encoder (re)opened
  FileRequest start(const std::string& path, std::chrono::seconds slice);
  void stop();  // finishes the file within LocalRecorder::kStopBudget (then in the background), with its 1029
  void stopQuietly();  // the session stops: no 1029 after it, even for a file still finishing in the background
  bool active() const;
  // The encoders' packets (video: AVCC after packetising).
  void video(const EncodedPacket& p);
  void audio(const EncodedPacket& p);

 private:
  const bool hasVideo_, hasAudio_;
  PushEvents& events_;
  const std::function<void()> requestKeyframe_;
  mutable std::mutex mu_;
  std::unique_ptr<LocalRecorder> recorder_;            // guarded by mu_
  const std::shared_ptr<RecordReportGate> reportGate_ = std::make_shared<RecordReportGate>();
  std::shared_ptr<const RecVideoConfig> videoCfg_;     // guarded by mu_: the encoder's current configuration
  std::shared_ptr<const RecAudioConfig> audioCfg_;     // immutable once the threads run
};

class SnapshotTap {
 public:
  explicit SnapshotTap(PushEvents& events) : events_(events) {}
  // Any thread: the next picture offered is written to `path`.
  FileRequest request(const std::string& path, bool hasVideo, bool stopping);
  // The video pipeline: the picture it is about to encode (cheap when no snapshot is pending).
  void offer(const PlaneView& picture);  // copied only when a snapshot is pending
  void shutdown() { worker_.shutdown(); }

 private:
  PushEvents& events_;
  std::mutex mu_;
  std::string path_;               // guarded by mu_
  std::atomic<bool> pending_{false};
  CallbackDispatcher worker_{"ol-push-aux", 4};
};

}  // namespace openlive::detail
