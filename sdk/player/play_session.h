// One play session (player stage): owns the threads and the state machine behind LivePlayer::startPlay(), and
// nothing else; the work is done by one-job units:
//   I/O thread (play_io.cpp):  StreamSource (RTMP / HTTP-FLV) -> FlvDemuxer -> StreamTimeline -> JitterBuffer,
//                              the reconnect policy, the ReadWatchdog's verdicts.
//   render thread (PlayRenderer, play_render.cpp): StartPolicy, CacheController + PlaybackClock (A/V sync),
//                              VideoStage / AudioStage (decode), sinks, PlayStats.
//
// Threads (all owned by the session, joined by stop()):
//   ol-play-io     connects, reads, demuxes into the jitter buffer, reconnects (2103 ... -2301).
//   ol-play-render plays: clock, cache policy, decode, sinks (the SDL window lives on this thread), net status
//                  every second, the no-data watchdog.
//   ol-play-cb     the CallbackDispatcher: every app callback, in order, never under a session lock.
// Lifetime: after stop() returns no callback starts; stop() may be called from a callback (no self-join).
#pragma once

#include "common/file_request.h"
#include "common/callback_dispatcher.h"
#include "common/debug_info.h"
#include "common/event_queue.h"
#include "demux/flv_demuxer.h"
#include "jitter/cache_controller.h"
#include "jitter/jitter_buffer.h"
#include "mux/local_recorder.h"
#include "player/play_state.h"
#include "player/read_watchdog.h"
#include "player/stream_source.h"
#include "player/stream_timeline.h"
#include "render/sinks.h"

#include <openlive/live_player.h>

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace openlive::player {

// App callbacks, replaceable while playing; copied under the lock, called outside it.
struct CallbackSet {
  std::mutex mu;
  EventCallback onEvent;
  NetStatusCallback onNetStatus;
  std::function<void(PlayState)> onState;
  std::shared_ptr<detail::EventQueue> queue;  // pull-style events (LivePlayer::enableEventQueue)
  std::function<void(const VideoFrame&)> onVideo;
  std::function<void(const AudioFrame&)> onAudio;
  std::function<void(const EncodedVideoPacket&)> onEncodedVideo;
  std::function<void(const EncodedAudioPacket&)> onEncodedAudio;
};

// Live-adjustable view / audio settings shared between the API and the render thread.
struct LiveControls {
  std::atomic<bool> mute{false};
  std::atomic<int> volume{100};
  std::atomic<bool> paused{false};
  std::mutex mu;
  render::ViewOptions view;  // guarded by mu
  std::atomic<uint32_t> viewVersion{0};
  // updateRenderWindow / closeRenderWindow: the window to draw into (NativeWindow) or none (None), guarded by
  // mu; bumped after each change (under LivePlayer's lock), made by the render thread.
  VideoOutput windowTarget;
  std::atomic<uint32_t> windowVersion{0};
  // The debug overlay (showDebugView): shown or not, and its text, fed by the session's events and net status.
  detail::DebugInfo debug{detail::DebugInfo::Side::Play};
};

// What the I/O thread publishes for the render thread (written by the I/O thread only).
struct StreamFeed {
  std::atomic<uint32_t> epoch{0};         // bumped on every new connection: the render thread starts over
  std::atomic<uint64_t> videoBytes{0}, audioBytes{0};
  std::atomic<bool> expectVideo{false};   // onMetaData / the FLV header announced a video track
};

class PlaySession {
 public:
  PlaySession(std::string url, PlayType type, PlayConfig config, std::shared_ptr<CallbackSet> callbacks,
              std::shared_ptr<LiveControls> controls);
  ~PlaySession();
  PlaySession(const PlaySession&) = delete;
  PlaySession& operator=(const PlaySession&) = delete;

  void start();
  void stop();
  void wakeRenderer() { buffer_.wake(); }  // a control changed (any thread)
  // LiveControls::windowVersion when the session was made: a later change is applied by the render thread.
  uint32_t windowVersionAtStart() const { return windowVersionAtStart_; }
  bool active() const { return !isTerminal(state_.state()); }
  PlaySessionState state() const { return state_.state(); }
  void pause();
  void resume();
  // Snapshots of the picture on screen and local recording of the stream as received (play_record.cpp).
  FileRequest requestSnapshot(const std::string& path);
  FileRequest startRecord(const std::string& path, std::chrono::seconds slice);
  void stopRecord();
  bool recording() const;

  // ---- for the renderer (render thread) ----
  void emit(EventCode code, ParamMap extra = {});
  void emitNetStatus(ParamMap values);
  void deliverVideo(const decode::FramePtr& f);  // snapshot + the app's video callback
  void deliverAudio(const decode::PcmBlock& pcm);
  // The app's encoded-video callback: each video packet as it goes to the decoder (render thread).
  void deliverEncodedVideo(const demux::MediaPacket& p, bool discontinuity);
  void deliverEncodedAudio(const demux::MediaPacket& p, bool discontinuity);  // the same for AAC
  void offerSnapshot(const decode::FramePtr& f) { snapshotFrame(f.get()); }  // paused: the picture kept
  void onPlayedOut();                             // the stream ended and everything was played: 2006
  void onWindowClosed();
  void checkWatchdog(int64_t nowSteadyMs);
  std::optional<int64_t> watchdogDeadline() const { return watchdog_.deadline(); }
  std::string serverAddress() const;
  uint64_t frameCallbackDrops() const;
  const StreamFeed& feed() const { return feed_; }
  jitter::JitterBuffer& buffer() { return buffer_; }
  const PlayConfig& config() const { return config_; }
  bool rtc() const { return type_ == PlayType::Rtc; }
  LiveControls& controls() { return *controls_; }
  bool stopping() const { return state_.state() == PlaySessionState::Stopped; }

  // Reconnect timing and the watchdog's limits.
  static constexpr int64_t kNoDataMs = 5000;
  static constexpr int64_t kRepublishGraceMs = 4000;

 private:
  class IoListener;
  // ---- I/O thread (play_io.cpp) ----
  void ioMain();
  StreamSource::ReadEnd runConnection(SourceError* error, bool* delivered);
  bool handleFailure(const SourceError& error, int* attempts, bool everConnected);
  void newEpoch();
  void onDemuxedPacket(demux::MediaPacket&& p);
  void onTrackProblem(demux::MediaPacket::Kind kind, const std::string& detail);
  void waitWhilePaused();
  bool waitRetryInterval();
  void cancelRead(CancelCause cause);
  // ---- render thread ----
  void renderMain();
  // ---- snapshots and recording ----
  void recordPacket(const demux::MediaPacket& p);  // I/O thread
  void snapshotFrame(const AVFrame* f);            // render thread: the picture just shown (or kept, paused)
  void onStateChanged(PlaySessionState from, PlaySessionState to);

  const std::string url_;
  const PlayType type_;
  const PlayConfig config_;
  const std::shared_ptr<CallbackSet> callbacks_;
  const std::shared_ptr<LiveControls> controls_;
  const uint32_t windowVersionAtStart_;
  detail::CallbackDispatcher dispatcher_{"ol-play-cb"};
  // Encoded-video callback: numbered as posted, so the callback thread sees a gap the frame lane's drop-oldest
  // left (the packet after it is marked a discontinuity). Read and written on the callback thread only.
  uint64_t encodedPosted_ = 0, encodedAudioPosted_ = 0;  // render thread
  std::shared_ptr<uint64_t> encodedDelivered_ = std::make_shared<uint64_t>(0);
  std::shared_ptr<uint64_t> encodedAudioDelivered_ = std::make_shared<uint64_t>(0);
  std::atomic<PlayState> lastPublicState_{PlayState::Idle};  // what the state callback last reported

  PlayStateMachine state_{[this](PlaySessionState f, PlaySessionState t) { onStateChanged(f, t); }};
  std::mutex waitMu_;                 // with waitCv_: retry interval, pause, stop
  std::condition_variable waitCv_;
  CancelLatch cancel_;                // why the current read was cancelled
  ReadWatchdog watchdog_{kNoDataMs, kRepublishGraceMs};

  std::mutex connMu_;  // guards source_ (cancel from any thread)
  std::shared_ptr<StreamSource> source_;

  jitter::JitterBuffer buffer_;
  StreamFeed feed_;
  // Owned by the I/O thread:
  std::unique_ptr<demux::FlvDemuxer> demuxer_;
  StreamTimeline timeline_;
  mutable std::mutex serverMu_;
  std::string serverIp_;  // guarded by serverMu_

  // Local recording: the recorder (guarded by recMu_) and, on the I/O thread, the demuxer's configurations
  // converted once for it (kept alive, compared by identity).
  mutable std::mutex recMu_;
  std::unique_ptr<detail::LocalRecorder> recorder_;
  // Closed by stop(): no recording report (1029) after it, even for a file still finishing in the background.
  const std::shared_ptr<detail::RecordReportGate> recordGate_ = std::make_shared<detail::RecordReportGate>();
  std::shared_ptr<const demux::VideoConfig> recVideoSrc_;
  std::shared_ptr<const detail::RecVideoConfig> recVideoCfg_;
  std::shared_ptr<const demux::AudioConfig> recAudioSrc_;
  std::shared_ptr<const detail::RecAudioConfig> recAudioCfg_;
  // The recording's own timeline (I/O thread): each connection restarts the session's timestamps, the file
  // must keep going forward.
  uint32_t recEpoch_ = 0;
  int64_t recOffset_ = 0;
  int64_t recLastDts_ = INT64_MIN;
  std::atomic<bool> recordQuiet_{false};  // stop(): the file is finished without a 1029
  std::mutex snapMu_;
  std::string snapshotPath_;  // guarded by snapMu_
  std::atomic<bool> snapshotPending_{false};
  detail::CallbackDispatcher aux_{"ol-play-aux", 4};  // snapshot encoding and writing, off the render thread

  std::thread io_, render_;
};

jitter::CacheSettings cacheSettingsFor(const PlayConfig& c, bool rtc);

}  // namespace openlive::player
