// One publishing session: the threads, the state machine and the event plumbing behind LivePusher.
//
// Threads (all named, all joined by stop()):
//   ol-push-video  opens the video source and the H.264 encoder, then captures -> processes -> encodes ->
//                  packetizes (FLV bodies, SEI) into the send queue, paced by the source
//   ol-push-audio  the same for audio (tone / WAV / microphone) into AAC
//   ol-push-io     connect, publish, send, reconnect (owns the RtmpConnection)
//   ol-push-stat   every 200 ms: adaptive bitrate decisions and the NET_BUSY warning; net status every
//                  `netStatusInterval`
//   ol-push-cb     (CallbackDispatcher) the app's callbacks
// Custom frames are encoded on the app's calling thread (under videoMu_ / audioMu_).
//
// Media clock: starts when the stream is first published (1002), so file sources lose no frames to the
// connect and timestamps start at 0; it keeps running across reconnects, so timestamps stay monotonic.
#pragma once

#include <openlive/live_pusher.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/callback_dispatcher.h"
#include "encode/audio_encoder.h"
#include "encode/video_encoder.h"
#include "mux/local_recorder.h"
#include "process/video_processor.h"
#include "pusher/bitrate_controller.h"
#include "pusher/interleaver.h"
#include "pusher/send_queue.h"
#include "transport/rtmp_connection.h"

namespace openlive::detail {

// Audio encode parameters of a configuration: High 48 kHz (mono 64 / stereo 128 kbps), Low 16 kHz mono 32 kbps.
inline int audioRateFor(const PushConfig& c) { return c.audioQuality == AudioQuality::Low ? 16000 : 48000; }
inline int audioChannelsFor(const PushConfig& c) {
  return c.audioQuality == AudioQuality::Low ? 1 : (c.audioChannels >= 2 ? 2 : 1);
}
inline int audioKbpsFor(const PushConfig& c) {
  if (c.audioQuality == AudioQuality::Low) return 32;
  return audioChannelsFor(c) == 2 ? 128 : 64;
}
void nameThread(const char* name);  // pthread_setname_np on the calling thread

// Handlers shared by a LivePusher and its sessions; copied under `mu`, called outside it.
struct PusherCallbacks {
  std::mutex mu;
  EventCallback onEvent;
  NetStatusCallback onNetStatus;
  std::function<void()> onSourceEnd;
};

class PushSession {
 public:
  PushSession(PushConfig config, std::string url, std::shared_ptr<PusherCallbacks> callbacks);
  ~PushSession();
  PushSession(const PushSession&) = delete;
  PushSession& operator=(const PushSession&) = delete;

  // Opens the audio encoder (and the video encoder for custom video) and launches the threads.
  StartResult start();
  // Asks every thread to end, cancels the connection, joins, shuts the callback thread down. < 200 ms.
  void stop();

  PushState state() const { return state_.load(); }
  bool failed() const { return failed_.load(); }
  bool published() const { return linkUp_.load(); }

  void setPaused(bool paused);
  void setMute(bool mute) { muted_ = mute; }
  void setMirror(bool mirror) { mirror_ = mirror; }
  bool sendCustomVideo(const VideoFrame& frame);
  bool sendCustomAudio(const AudioFrame& frame);
  bool queueMessage(const std::vector<uint8_t>& data);
  // Snapshots and local recording (push_session_record.cpp). Any thread.
  FileRequest requestSnapshot(const std::string& path);
  FileRequest startRecord(const std::string& path, std::chrono::seconds slice);
  void stopRecord();
  bool recording() const;

 private:
  void videoThread();
  void audioThread();
  void ioThread();
  void statThread();

  // Event plumbing.
  void emit(EventCode code, const std::string& message, ParamMap extra = {});
  void fatal(EventCode code, const std::string& message);  // emits, marks Failed, winds the threads down
  void requestStop();
  void setState(PushState s);

  // Media.
  int64_t mediaNowMs() const;
  bool waitMediaStart();  // false when stopping
  bool openVideoEncoder(int fps);
  bool encodeVideo(const uint8_t* const planes[3], const int strides[3], int w, int h, int64_t ptsMs);
  void packetizeVideo(const EncodedPacket& p, bool flushing = false);
  void flushAudio();  // stopPush(): the AAC encoder's buffered and delayed frames into the queue
  bool encodeAudio(const int16_t* samples, int frames, int rate, int channels, int64_t firstPtsMs);
  bool sleepUntil(std::chrono::steady_clock::time_point t);  // false when stopping
  void markSourceEnded();

  // Adaptive bitrate: the stat thread decides (controlTick), the video thread applies under videoMu_
  // (applyRateChange) before encoding its next frame.
  void controlTick(std::chrono::steady_clock::time_point now);
  void applyRateChange();  // videoMu_ held

  // Snapshots and recording: the video thread hands over the picture it encodes and the packets it makes.
  void snapshotFrame(const I420Image& img);           // videoMu_ held
  void recordVideo(const EncodedPacket& p, const std::vector<uint8_t>& avcc);
  void recordAudio(const EncodedPacket& p);
  void setVideoConfig(const std::vector<uint8_t>& avcc, int width, int height);  // avcConfig_ and the recorder's copy
  void stopRecorderQuietly();                          // stop(): the file is finished, no 1029

  // Network.
  transport::ReadStatus sendLoop(transport::RtmpConnection& conn);
  bool sendHeaders(transport::RtmpConnection& conn, uint32_t ts);

  // Immutable after construction.
  const PushConfig config_;
  const std::string url_;
  const std::shared_ptr<PusherCallbacks> callbacks_;
  ResolvedVideoParams video_;
  bool hasVideo_ = true, hasAudio_ = true;

  CallbackDispatcher dispatcher_{"ol-push-cb"};
  SendQueue queue_;
  Interleaver interleaver_;  // encoders -> interleaver -> queue_
  std::thread videoThread_, audioThread_, ioThread_, statThread_;

  std::atomic<bool> stopping_{false};
  std::atomic<bool> failed_{false};
  std::atomic<bool> linkUp_{false};
  std::atomic<bool> ioDone_{false};
  std::atomic<bool> draining_{false};       // stopPush(): capture stopped, encoders flushing, queue draining
  std::atomic<bool> videoFlushed_{false};
  std::atomic<bool> audioFlushed_{false};
  std::atomic<bool> muted_{false}, mirror_{false}, paused_{false};
  std::atomic<bool> forceKey_{false};
  std::atomic<bool> headersDirty_{false};   // encoder restarted: re-send the sequence header
  std::atomic<PushState> state_{PushState::Idle};
  std::once_flag stopOnce_;

  // Media clock and start gate.
  mutable std::mutex clockMu_;
  std::condition_variable clockCv_;         // media start, video encoder ready, stop
  bool mediaStarted_ = false;               // guarded by clockMu_
  std::chrono::steady_clock::time_point epoch_{};  // guarded by clockMu_ (written once)
  int64_t epochWallMs_ = 0;                 // guarded by clockMu_ (written once)
  bool videoReady_ = false;                 // guarded by clockMu_: encoder open, extradata known
  std::chrono::steady_clock::time_point pauseStart_{};

  // Encoders (video: video thread or the app's thread for custom frames).
  std::mutex videoMu_;
  VideoEncoder videoEncoder_;               // guarded by videoMu_
  std::unique_ptr<VideoProcessor> processor_;  // guarded by videoMu_
  I420Image scratch_;                       // guarded by videoMu_
  int64_t lastCaptureSeiPts_ = INT64_MIN;   // guarded by videoMu_
  int64_t customVideoBase_ = INT64_MIN;     // guarded by videoMu_: app pts -> media pts offset
  int encoderRestarts_ = 0;                 // guarded by videoMu_
  std::vector<uint8_t> avcConfig_;          // guarded by clockMu_
  std::mutex audioMu_;
  AudioEncoder audioEncoder_;               // guarded by audioMu_ (extradata immutable after start)
  std::vector<uint8_t> asc_;                // immutable after start()
  bool customAudioStarted_ = false;         // guarded by audioMu_

  std::mutex msgMu_;
  std::vector<std::vector<uint8_t>> messages_;  // guarded by msgMu_; at most 64 pending (drop-newest)

  std::mutex connMu_;
  std::shared_ptr<transport::RtmpConnection> conn_;  // guarded by connMu_ (cancel from stop())
  std::string serverIp_;                              // guarded by connMu_

  // Source end (file sources): fire onSourceEnd once the last packet read was sent.
  std::atomic<int64_t> sourceEndDts_{INT64_MAX};
  std::atomic<bool> sourceEndFired_{false};

  // Outgoing timestamps (io thread only): base = dts of the first IDR sent; per-track monotonic across reconnects.
  struct TsState {
    bool baseSet = false;
    int64_t base = 0;
    int64_t last[2] = {0, 0};  // audio, video
  };
  TsState ts_;

  // Adaptive bitrate.
  std::unique_ptr<BitrateController> abr_;  // null when off; used by the stat thread only
  std::atomic<int> curKbps_{0};             // the encoder's current target
  std::atomic<int> curWidth_{0}, curHeight_{0};  // the encoder's current size
  std::atomic<int> pendingKbps_{0};         // 0 = nothing to apply
  std::atomic<int> pendingRung_{-1};        // -1 = nothing to apply
  int appliedRung_ = 0;                     // guarded by videoMu_
  int64_t lastVideoDts_ = 0;                // guarded by videoMu_
  struct TpSample {
    std::chrono::steady_clock::time_point t;
    uint64_t net, audio;
    int64_t acked;      // bytes the peer acknowledged (TCP_INFO), -1 when not known
    uint64_t produced;  // video bytes the encoder produced
  };
  std::vector<TpSample> tpHistory_;         // stat thread only
  // Smoothed TCP RTT samples (us) over the last 30 s: their minimum is the path's base RTT, the excess of the
  // current one over it the queue in the network (a shaper, a modem). Stat thread only.
  std::deque<std::pair<std::chrono::steady_clock::time_point, int64_t>> rttHistory_;
  std::chrono::steady_clock::time_point lastBusyWarn_{};  // stat thread only

  // Local recording and snapshots.
  mutable std::mutex recMu_;
  std::unique_ptr<LocalRecorder> recorder_;            // guarded by recMu_
  std::shared_ptr<const RecVideoConfig> recVideoCfg_;  // guarded by recMu_: the encoder's current configuration
  std::shared_ptr<const RecAudioConfig> recAudioCfg_;  // immutable after start()
  std::mutex snapMu_;
  std::string snapshotPath_;                           // guarded by snapMu_
  std::atomic<bool> snapshotPending_{false};
  CallbackDispatcher aux_{"ol-push-aux", 4};           // snapshot encoding and writing, off the video thread

  // Counters for net status.
  std::atomic<uint64_t> videoBytes_{0}, audioBytes_{0}, videoFrames_{0}, netBytes_{0}, netAudioBytes_{0};
  std::atomic<int> actualFps_{0};
};

}  // namespace openlive::detail
