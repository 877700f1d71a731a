// One play session (player stage): the state machine and the threads behind LivePlayer::startPlay().
//
// Threads (all owned by the session, joined by stop()):
//   ol-play-io     connects (RTMP via transport::RtmpConnection, HTTP-FLV via transport::HttpFlvReader), reads,
//                  demuxes into the jitter buffer, reconnects (2103 ... -2301).
//   ol-play-render runs the playback clock and the cache policy, decodes when due, renders to the sinks
//                  (the SDL window lives on this thread), reports net status every second.
//   ol-play-cb     the CallbackDispatcher: every app callback, in order, never under a session lock.
// Lifetime: after stop() returns no callback starts; stop() may be called from a callback (no self-join).
#pragma once

#include "common/callback_dispatcher.h"
#include "common/logging.h"
#include "demux/flv_demuxer.h"
#include "demux/flv_parser.h"
#include "jitter/cache_controller.h"
#include "jitter/jitter_buffer.h"
#include "mux/local_recorder.h"
#include "render/sinks.h"

#include <openlive/live_player.h>

#include <atomic>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace openlive::transport {
class RtmpConnection;
class HttpFlvReader;
}  // namespace openlive::transport

namespace openlive::player {

// App callbacks, replaceable while playing; copied under the lock, called outside it.
struct CallbackSet {
  std::mutex mu;
  EventCallback onEvent;
  NetStatusCallback onNetStatus;
  std::function<void(const VideoFrame&)> onVideo;
  std::function<void(const AudioFrame&)> onAudio;
};

// Live-adjustable view / audio settings shared between the API and the render thread.
struct LiveControls {
  std::atomic<bool> mute{false};
  std::atomic<int> volume{100};
  std::atomic<bool> paused{false};
  std::mutex mu;
  render::ViewOptions view;  // guarded by mu
  std::atomic<uint32_t> viewVersion{0};
};

jitter::CacheSettings cacheSettingsFor(const PlayConfig& c, bool rtc);

class PlaySession {
 public:
  PlaySession(std::string url, PlayType type, PlayConfig config, std::shared_ptr<CallbackSet> callbacks,
              std::shared_ptr<LiveControls> controls);
  ~PlaySession();
  PlaySession(const PlaySession&) = delete;
  PlaySession& operator=(const PlaySession&) = delete;

  void start();
  void stop();
  bool active() const { return !finished_; }
  void pause();
  void resume();
  // Snapshots of the picture on screen and local recording of the stream as received (play_record.cpp).
  FileRequest requestSnapshot(const std::string& path);
  FileRequest startRecord(const std::string& path, std::chrono::seconds slice);
  void stopRecord();
  bool recording() const;

 private:
  enum class ReadEnd { Stopped, Paused, EndOfStream, Failed };
  // ---- I/O thread ----
  void ioMain();
  bool connectRtmp(EventCode* failCode, std::string* why);
  bool connectHttp(EventCode* failCode, std::string* why);
  ReadEnd readRtmp(EventCode* failCode);
  ReadEnd readHttp(EventCode* failCode);
  void onDemuxedPacket(demux::MediaPacket&& p);
  bool waitInterruptible(std::chrono::milliseconds d);
  void closeTransport();
  // ---- render thread ----
  void renderMain();
  // ---- shared ----
  void emit(EventCode code, ParamMap extra = {});
  void emitNetStatus(ParamMap values);
  void finish();
  // ---- snapshots and recording ----
  void recordPacket(const demux::MediaPacket& p);  // I/O thread
  void snapshotFrame(const AVFrame* f);            // render thread: the picture just shown (or kept, paused)

  const std::string url_;
  const PlayType type_;
  const PlayConfig config_;
  const std::shared_ptr<CallbackSet> callbacks_;
  const std::shared_ptr<LiveControls> controls_;
  detail::CallbackDispatcher dispatcher_{"ol-play-cb"};

  std::atomic<bool> stop_{false};
  std::atomic<bool> finished_{false};
  std::atomic<uint32_t> epoch_{0};  // bumped by the I/O thread on every new connection
  std::mutex waitMu_;
  std::condition_variable waitCv_;

  std::mutex connMu_;  // guards the two transport pointers (cancel from any thread)
  std::shared_ptr<transport::RtmpConnection> rtmp_;
  std::shared_ptr<transport::HttpFlvReader> http_;

  jitter::JitterBuffer buffer_;
  // Owned by the I/O thread:
  std::unique_ptr<demux::FlvDemuxer> demuxer_;
  int64_t tsOffset_ = 0;
  std::optional<int64_t> lastVideoDts_, lastAudioPts_;
  detail::RateLimiter demuxWarn_{std::chrono::seconds(5)};
  // Written by the I/O thread, read by the render thread for net status:
  std::atomic<uint64_t> videoBytes_{0}, audioBytes_{0};
  std::atomic<int> metaFps_{0};
  std::atomic<bool> expectVideo_{false};  // onMetaData / the FLV header announced a video track
  std::atomic<int64_t> pendingDiscontinuities_{0};
  // No-data watchdog (checked by the render thread, which cancels the transport): while the I/O thread reads,
  // media must arrive at least every kNoDataMs; after the server said the publisher left (UnpublishNotify,
  // Play.Stop, StreamEOF) the connection is kept for kRepublishGraceMs in case the stream is published again.
  static constexpr int64_t kNoDataMs = 5000;
  static constexpr int64_t kRepublishGraceMs = 4000;
  // RTC: jitter window, and how far above its target the buffer may get before the clock skips to the live
  // edge (late video is decoded but not shown, late audio dropped) instead of speeding up.
  static constexpr int64_t kRtcJitterWindowMs = 1500;
  static constexpr int64_t kRtcSkipAboveTargetMs = 150;
  std::atomic<bool> reading_{false};         // the I/O thread is in readRtmp/readHttp
  std::atomic<int64_t> lastMediaMs_{0};      // steady ms of the last media packet (or of the read start)
  std::atomic<bool> unpublished_{false};     // the server signalled the end of the stream on this connection
  std::atomic<bool> watchdogFired_{false};   // the render thread cancelled the read for lack of data
  // Why it fired, decided by the watchdog itself: the read loop must not re-read unpublished_ afterwards (an
  // end-of-stream notice can arrive between the cancel and the read returning, e.g. queued behind a stall, and
  // would turn a no-data reconnect into a final 2006).
  std::atomic<bool> watchdogNoRepublish_{false};
  void checkNoData();                         // render thread
  std::mutex serverMu_;
  std::string serverIp_;

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

}  // namespace openlive::player
