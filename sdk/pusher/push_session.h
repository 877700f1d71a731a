// One publishing session: the threads, the state and the wiring of the push pipeline behind LivePusher.
//
//   source (capture thread, or the app's thread for custom frames)
//     -> VideoPipeline / AudioPipeline (process -> encode -> packetise; record and snapshot taps)
//     -> Interleaver (dts order across tracks) -> SendQueue (time-bounded, drop policy)
//     -> Publisher (io thread: connect, reconnect, StreamWriter: headers, rebased timestamps)
//
// Threads (all named, all joined by stop()):
//   ol-push-video  VideoCapture: opens the video source and the encoder, feeds the video pipeline
//   ol-push-audio  AudioCapture: the same for audio
//   ol-push-io     Publisher: connect, publish, send, reconnect (owns the RtmpConnection)
//   ol-push-stat   every 200 ms the congestion response (AdaptiveBitrate), every `netStatusInterval` net status
//   ol-push-cb     (PushEvents) the app's callbacks;  ol-push-aux  (SnapshotTap) snapshot encoding
// The state is one PushStateMachine; every wait is on the RunSignal (no sleep-polling).
#pragma once

#include <openlive/live_pusher.h>

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "common/file_request.h"
#include "pusher/adaptive_bitrate.h"
#include "pusher/app_sources.h"
#include "pusher/audio_capture.h"
#include "pusher/audio_pipeline.h"
#include "pusher/interleaver.h"
#include "pusher/media_clock.h"
#include "pusher/preview_feed.h"
#include "pusher/publisher.h"
#include "pusher/push_controls.h"
#include "pusher/push_events.h"
#include "pusher/push_params.h"
#include "pusher/push_recording.h"
#include "pusher/push_state.h"
#include "pusher/relay_timeline.h"
#include "pusher/push_stats.h"
#include "pusher/run_signal.h"
#include "pusher/send_queue.h"
#include "pusher/stream_writer.h"
#include "pusher/video_capture.h"
#include "pusher/video_pipeline.h"

namespace openlive::detail {

class PushSession {
 public:
  // `preview`: the local preview's feed (LivePusher::startPreview), offered every captured picture; may be null.
  // `onSourceFreedByFailure` runs on the video capture thread once that thread has closed the video source of a
  // session that failed (not one stopped by the app): the preview may open the source itself again. It must
  // not join this session.
  PushSession(PushConfig config, std::string url, std::shared_ptr<PusherCallbacks> callbacks,
              std::shared_ptr<PreviewFeed> preview = nullptr, std::function<void()> onSourceFreedByFailure = nullptr);
  ~PushSession();
  PushSession(const PushSession&) = delete;
  PushSession& operator=(const PushSession&) = delete;

  // Opens the audio encoder (and the video encoder for custom video) and launches the threads.
  Result start();
  // Drains a published stream for at most 120 ms (the encoders' delayed frames go out), then ends every
  // thread, joins them and shuts the callback thread down. < 200 ms.
  void stop();

  PushState state() const { return publicState(state_.current()); }
  bool failed() const { return state_.current() == SessionState::Failed; }
  bool published() const { return isPublished(state_.current()); }

  void setPaused(bool paused);
  void setMute(bool mute) { controls_.muted = mute; }
  void setMirror(bool mirror) { controls_.mirror = mirror; }
  Result sendCustomVideo(const VideoFrame& frame);
  Result sendEncodedVideo(const EncodedVideoPacket& packet);
  Result sendCustomAudio(const AudioFrame& frame);
  Result sendEncodedAudio(const EncodedAudioPacket& packet);
  Result queueMessage(const std::vector<uint8_t>& data);
  // LivePusher::setVideoQuality while pushing: `config` (already validated) carries the new quality; the stat
  // thread applies it at its next tick (the adaptive bitrate's new range, then the encoder reopen).
  Result changeVideoQuality(const PushConfig& config);
  // LivePusher::switchMicrophone: opens `id` on the caller's thread; the audio capture takes it before its next
  // 20 ms chunk (the connection and the encoder stay).
  Result switchMicrophone(const std::string& id);
  // LivePusher::switchCamera, the same way: the video capture takes it before its next picture.
  Result switchCamera(const std::string& id);
  FileRequest requestSnapshot(const std::string& path);
  FileRequest startRecord(const std::string& path, std::chrono::seconds slice);
  void stopRecord() { record_.stop(); }
  bool recording() const { return record_.active(); }
  // A warning from outside the session's units (the local preview's window went away: 1105).
  void warn(EventCode code, const std::string& message) { events_.emit(code, message); }

 private:
  void drain();
  bool drained() const;
  void statThread();
  void congestionTick(std::chrono::steady_clock::time_point now);
  void applyQualityChange();  // stat thread
  PushStats::Snapshot statusSnapshot() const;
  void requestStop();

  // Immutable after construction.
  const PushConfig config_;
  const ResolvedVideoParams video_;
  const bool hasVideo_, hasAudio_;
  const std::shared_ptr<PreviewFeed> preview_;  // may be null
  const std::function<void()> onSourceFreedByFailure_;

  RunSignal signal_;
  PushStateMachine state_;
  MediaClock clock_{signal_};
  PushControls controls_;
  SourceEndNotice sourceEnd_;
  SourceSwitch<AudioSource> micSwitch_;
  SourceSwitch<VideoSource> cameraSwitch_;
  PushEvents events_;
  PushStats stats_;
  SendQueue queue_;
  Interleaver interleaver_;
  StreamHeaders headers_;
  RelayTimeline relayTimeline_;  // relayed video and audio share one mapping onto the media clock
  RecordTap record_;
  SnapshotTap snapshots_{events_};
  AdaptiveBitrate abr_;
  std::unique_ptr<VideoPipeline> videoPipe_;  // null without video
  std::unique_ptr<AudioPipeline> audioPipe_;  // null without audio
  std::unique_ptr<AppVideoSource> appVideo_;  // custom video
  std::unique_ptr<AppAudioSource> appAudio_;  // custom audio
  std::unique_ptr<VideoCapture> videoCapture_;
  std::unique_ptr<AudioCapture> audioCapture_;
  Publisher publisher_;

  std::mutex qualityMu_;
  std::optional<std::pair<PushConfig, ResolvedVideoParams>> pendingQuality_;  // guarded by qualityMu_

  std::thread videoThread_, audioThread_, ioThread_, statThread_;
  std::once_flag stopOnce_;
};

}  // namespace openlive::detail
