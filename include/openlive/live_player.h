// OpenLive SDK - LivePlayer: plays an RTMP or HTTP-FLV live stream (TXLivePlayer-style API, our own design).
//
// Pipeline: transport (RTMP / HTTP-FLV) -> FLV tags -> jitter buffer (media time) -> decode -> render
// (SDL2 window + SDL2 audio, or headless sinks). See docs/ARCHITECTURE.md.
//
// Threading: every method may be called from any thread. Callbacks (events, net status, decoded frames) run
// on one SDK thread per play session ("ol-play-cb"), in order, never while an SDK lock is held. After
// stopPlay() or the destructor returns no callback runs; calling stopPlay() or destroying the player from
// inside a callback is allowed and does not deadlock. stopPlay() returns within 200 ms in every state.
#pragma once

#include <openlive/export.h>
#include <openlive/types.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace openlive {

enum class PlayType {
  Auto,  // inferred from the URL: rtmp:// -> Rtmp, http(s)://...flv -> Flv
  Rtmp,  // RTMP live
  Flv,   // HTTP-FLV live
  Rtc,   // low-latency RTMP: starts at the first IDR, buffer as small as the measured jitter allows
};

enum class RenderMode { Fit, Fill };          // Fit: letterbox; Fill: crop to fill the window
enum class CacheMode { Fast, Smooth, Auto, MiniProgram };  // TX presets: 1/1, 5/5 (fixed), 1-5, 1/3 s

// Where decoded video goes.
struct VideoOutput {
  enum class Kind { None, Window, Y4m } kind = Kind::Window;
  std::string path;  // Y4m: file path, or "-" for stdout
};
// Where decoded audio goes.
struct AudioOutput {
  enum class Kind { None, Device, Wav } kind = Kind::Device;
  std::string path;  // Wav: file path
};

struct PlayConfig {
  // Cache (seconds, media time). Auto adjust moves the target between min and max from the measured arrival
  // jitter; off means a fixed cacheTime. Defaults: auto mode (1-5 s). Ignored in RTC mode.
  bool autoAdjustCache = true;
  double cacheTime = 5.0;      // s, used when autoAdjustCache is false
  double minCacheTime = 1.0;   // s, > 0
  double maxCacheTime = 5.0;   // s, >= minCacheTime
  // Reconnect: attempts (1-10) and interval in seconds (3-30 per TX; values below 3 are accepted for tests).
  int connectRetryCount = 3;
  double connectRetryInterval = 3.0;
  // Render gap (ms) above which 2105 is reported.
  int videoBlockThresholdMs = 800;
  // Deliver SEI app messages as 2012 events.
  bool enableMessage = false;
  VideoOutput video;
  AudioOutput audio;
  // rtmps:// only: the server certificate is checked against the system trust store plus `tlsCaFile` and
  // against the URL's host name. tlsAllowSelfSigned accepts an untrusted issuer (tests only; the name is still
  // checked). tlsCaFile: PEM file of extra trusted CAs ("" = system store only).
  bool tlsAllowSelfSigned = false;
  std::string tlsCaFile;
  bool fullscreen = false;  // window output only
  std::string windowTitle = "OpenLive";

  // Applies a TX preset to the cache fields.
  OPENLIVE_API void setCacheMode(CacheMode mode);
};

class OPENLIVE_API LivePlayer final {
 public:
  LivePlayer();
  explicit LivePlayer(PlayConfig config);
  ~LivePlayer();
  LivePlayer(const LivePlayer&) = delete;
  LivePlayer& operator=(const LivePlayer&) = delete;

  // Config changes take effect at the next startPlay().
  void setConfig(const PlayConfig& config);
  PlayConfig config() const;

  // Starts playing; returns 0 on success, -1 for an invalid URL/type, -2 if already playing.
  int startPlay(const std::string& url, PlayType type = PlayType::Auto);
  // Stops and joins every session thread (within 200 ms). No callback runs after it returns. Idempotent.
  void stopPlay();
  bool isPlaying() const;
  // pause(): stops pulling media and keeps the last frame on screen; resume() reconnects at the live edge.
  void pause();
  void resume();

  void setMute(bool mute);
  void setVolume(int volume);  // 0..100 (default 100)
  void setRenderMode(RenderMode mode);
  void setRenderRotation(int degrees);  // 0, 90, 180, 270
  void setMirror(bool mirror);

  void setEventCallback(EventCallback cb);
  void setNetStatusCallback(NetStatusCallback cb);
  // Decoded frames as they are shown / played (I420 / interleaved s16). Plane pointers are valid during the call.
  void setVideoFrameCallback(std::function<void(const VideoFrame&)> cb);
  void setAudioFrameCallback(std::function<void(const AudioFrame&)> cb);

  // Snapshot of the picture on screen (the next one shown; the last one while paused), written by an SDK
  // worker as JPEG (.jpg / .jpeg) or PNG (.png). Returns at once; the result is 1022 EVT_SNAPSHOT_RESULT as for
  // the pusher (EVT_PARAM1 "0" / "-1", EVT_PARAM2 "WxH", EVT_DESCRIPTION the path).
  FileRequest captureVideoSnapshot(const std::string& path);
  // Records the stream as received (no re-encode) into a fragmented .mp4 or an .flv, from the next IDR, with
  // the same slicing, events (1030 progress, 1029 result: the TX recording codes, from the player too) and
  // overflow policy as LivePusher::startLocalRecord. A reconnect keeps recording into the same file when the
  // stream's configuration is unchanged; a new configuration begins a new file. Only while playing;
  // stopPlay() also finishes the file (without a 1029).
  FileRequest startLocalRecord(const std::string& path, std::chrono::seconds slice = std::chrono::seconds(0));
  void stopLocalRecord();
  bool isRecording() const;

  static PlayType inferType(std::string_view url);

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace openlive
