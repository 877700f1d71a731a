// OpenLive SDK - LivePlayer: plays an RTMP or HTTP-FLV live stream (TXLivePlayer-style API, our own design).
//
// Pipeline: transport (RTMP / HTTP-FLV) -> FLV tags -> jitter buffer (media time) -> decode -> render
// (an SDL2 window of the SDK's or the app's own X11 window + SDL2 audio, or headless sinks). See docs/ARCHITECTURE.md.
//
// Threading: every method may be called from any thread. Callbacks (events, state, net status, decoded frames)
// run on one SDK thread per play session ("ol-play-cb"), in order, never while an SDK lock is held; decoded
// frames have their own bounded lane (64 items / 64 MiB, oldest dropped, FRAME_CALLBACK_DROP in net status),
// so a slow frame callback never delays or drops an event, and errors and 2006 are never dropped. After stop()
// or the destructor returns no callback runs; calling stop() or destroying the player from inside a callback is
// allowed and does not deadlock. stop() returns within 200 ms in every state.
//
// Verbs shared with LivePusher: start / stop / pause / resume / isActive / state / setStateCallback /
// enableEventQueue + pollEvent. TX names: startPlay = start, stopPlay = stop, isPlaying = isActive.
#pragma once

#include <openlive/export.h>
#include <openlive/result.h>
#include <openlive/types.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace openlive {

enum class PlayType {
  Auto,  // inferred from the URL: rtmp:// -> Rtmp, http(s)://...flv -> Flv
  Rtmp,  // RTMP live
  Flv,   // HTTP-FLV live
  Rtc,   // low-latency RTMP: starts at the first IDR, buffer as small as the measured jitter allows
};

enum class CacheMode { Fast, Smooth, Auto, MiniProgram };  // TX presets: 1/1, 5/5 (fixed), 1-5, 1/3 s

// RenderMode, NativeWindowHandle and VideoOutput are in <openlive/types.h> (shared with the pusher preview).

// Where decoded audio goes.
struct AudioOutput {
  enum class Kind { None, Device, Wav } kind = Kind::Device;
  // Wav: the file path. Device: the speaker, a DeviceKind::Speaker id of listDevices() ("pulse:<sink>") or an
  // SDL device name; "" = the default. A speaker that is not there plays on the default one (with a warning).
  std::string path;
};

// The session's state as the app sees it (state(), setStateCallback()).
enum class PlayState {
  Idle,          // not started, or stopped
  Connecting,    // connecting (first time or after resume)
  Playing,       // connected and reading (includes buffering, 2007)
  Reconnecting,  // the link was lost: waiting before the next attempt (2103)
  Paused,        // pause(): nothing is read, the last picture stays
  Ended,         // the stream ended and was played out (2006)
  Failed,        // a final error (-2301, -2303, -2308)
};
OPENLIVE_API std::string_view toString(PlayState state) noexcept;

struct PlayConfig {
  // Cache (media time). Auto adjust moves the target between min and max from the measured arrival jitter; off
  // means a fixed cacheTime. Defaults: auto mode (1-5 s). Ignored in RTC mode.
  bool autoAdjustCache = true;
  std::chrono::milliseconds cacheTime{5000};     // used when autoAdjustCache is false
  std::chrono::milliseconds minCacheTime{1000};  // > 0
  std::chrono::milliseconds maxCacheTime{5000};  // >= minCacheTime
  // Reconnect: attempts (1-10) and interval (3-30 s per TX; shorter intervals are accepted for tests).
  int connectRetryCount = 3;
  std::chrono::milliseconds connectRetryInterval{3000};
  // Render gap above which 2105 is reported.
  std::chrono::milliseconds videoBlockThreshold{800};
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
  // Movable: the moved-from player is empty (start() answers NotStarted, the rest are no-ops).
  LivePlayer(LivePlayer&&) noexcept;
  LivePlayer& operator=(LivePlayer&&) noexcept;

  // Config changes take effect at the next start().
  void setConfig(const PlayConfig& config);
  PlayConfig config() const;

  // Starts playing. Fails at once with InvalidUrl (not rtmp(s):// or http(s)://, or a scheme that does not
  // match `type`) or AlreadyStarted; everything later is reported through events and state changes.
  Result start(const std::string& url, PlayType type = PlayType::Auto);
  // Stops and joins every session thread (within 200 ms). No callback runs after it returns. Idempotent.
  void stop();
  bool isActive() const;  // started and not yet Ended / Failed
  PlayState state() const;
  // pause(): stops pulling media and keeps the last frame on screen; resume() reconnects at the live edge.
  void pause();
  void resume();

  void setMute(bool mute);
  void setVolume(int volume);  // 0..100 (default 100)
  void setRenderMode(RenderMode mode);
  void setRenderRotation(int degrees);  // 0, 90, 180, 270
  void setMirror(bool mirror);
  // The debug overlay (TX showDebugView, the mini-program `debug` attribute): text over the video in the window
  // (the SDK's or the app's): resolution, fps, bitrates, cache and its target, jitter, A/V interval, drops,
  // stalls, CPU, the server's address and the last three events, redrawn every second from the same NET_STATUS
  // values and events the app gets. Off by default; the 'd' key in the SDK's window toggles it. Any state, any
  // thread; kept across start()s. Drawn with SDL2_ttf in fontconfig's "monospace" font (fonts-dejavu-core);
  // with no font it stays off, with a warning in the log. Not drawn into a Y4m file or the frame callbacks.
  void showDebugView(bool show);
  // The window the video is drawn into, changed in any state (TX setRenderFrame). updateRenderWindow(window):
  // draw into the app's window from now on: while playing the next picture (or the one on screen while paused)
  // appears there and the previous window is let go (the SDK-owned one closes, an app's is left as it is); later
  // starts use it too (config().video becomes {NativeWindow, window}). updateRenderWindow(0) = closeRenderWindow().
  // closeRenderWindow(): stop drawing into any window; the video goes on to the frame callbacks; later starts
  // have no window (config().video.kind = None). A Y4m output is replaced by updateRenderWindow and left alone
  // by closeRenderWindow.
  // Threading: both return at once, from any thread (also from a callback): they only post the change to the
  // session's render thread, which makes it (SDL calls happen there only) within a few ms while playing. The app
  // must not destroy a window before the change away from it is made; destroying it while in use is survived
  // (X errors about it are caught; 2110 reports it) but may lose the last picture. A window that does not exist
  // gives 2110 PLAY_WARNING_RENDER_WINDOW_FAIL (EVT_DESCRIPTION: which window and why), never a crash.
  void updateRenderWindow(NativeWindowHandle window);
  void closeRenderWindow();

  void setEventCallback(EventCallback cb);
  void setNetStatusCallback(NetStatusCallback cb);
  // Each change of state(), in order with the events, on the callback thread.
  void setStateCallback(std::function<void(PlayState)> cb);
  // Pull-style events for apps with their own UI loop: once enabled, every event is also queued (at most
  // `capacity`; when full the oldest droppable event goes, counted; errors and 2006 are never dropped).
  // pollEvent waits up to `timeout` (0: does not wait). The wakeup runs on an SDK thread when an event is
  // queued: it must return fast and must not call the player.
  void enableEventQueue(size_t capacity = 256);
  std::optional<Event> pollEvent(std::chrono::milliseconds timeout = std::chrono::milliseconds(0));
  void setEventWakeup(std::function<void()> wakeup);
  // Decoded frames as they are shown / played (I420 / interleaved s16). Plane pointers are valid during the call.
  void setVideoFrameCallback(std::function<void(const VideoFrame&)> cb);
  void setAudioFrameCallback(std::function<void(const AudioFrame&)> cb);
  // The H.264 access units as they go to the decoder (decode order, AVCC with their configuration record), on
  // the frame lane: for relaying the stream without re-encoding (LivePusher::sendEncodedVideo). A packet after
  // a loss (a new connection, a jump, or the lane dropped packets) has `discontinuity` set.
  void setEncodedVideoCallback(std::function<void(const EncodedVideoPacket&)> cb);
  // The AAC frames as they go to the decoder (as played, with their AudioSpecificConfig), on the frame lane: for
  // relaying the sound without re-encoding (LivePusher::sendEncodedAudio). `discontinuity` as for video (also
  // after the player skipped sound to catch up). MP3 is not handed out.
  void setEncodedAudioCallback(std::function<void(const EncodedAudioPacket&)> cb);

  // Snapshot of the picture on screen (the next one shown; the last one while paused), written by an SDK
  // worker as JPEG (.jpg / .jpeg) or PNG (.png). Returns at once (BadPath, FileExists, Busy: one pending,
  // NotStarted); the result is 1022 EVT_SNAPSHOT_RESULT as for the pusher (EVT_PARAM1 "0" / "-1", EVT_PARAM2
  // "WxH", EVT_DESCRIPTION the path).
  Result captureVideoSnapshot(const std::string& path);
  // Records the stream as received (no re-encode) into a fragmented .mp4 or an .flv, from the next IDR, with
  // the same slicing, events (1030 progress, 1029 result: the TX recording codes, from the player too) and
  // overflow policy as LivePusher::startLocalRecord. A reconnect keeps recording into the same file when the
  // stream's configuration is unchanged; a new configuration begins a new file. Only while playing (NotStarted
  // otherwise; BadPath, FileExists, Busy); stop() also finishes the file (without a 1029, in the background
  // when the disk is slow: stop() stays bounded).
  Result startLocalRecord(const std::string& path, std::chrono::seconds slice = std::chrono::seconds(0));
  void stopLocalRecord();
  bool isRecording() const;

  static PlayType inferType(std::string_view url);

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace openlive
