// OpenLive SDK - LivePusher: capture -> H.264/AAC -> RTMP publish (TXLivePusher-style, our own design).
//
// Threads: start() only validates and launches the session; capture, encode, network I/O and statistics
// run on SDK threads ("ol-push-video", "ol-push-audio", "ol-push-io", "ol-push-stat"). Events and net status
// are delivered on the session's callback thread ("ol-push-cb"), in order, one at a time, never while an SDK
// lock is held. stop() returns within 200 ms in every state; once it (or the destructor) returns no
// callback runs. Calling stop() or destroying the pusher from inside a callback is allowed.
// Verbs shared with LivePlayer: start / stop / pause / resume / isActive / state / setStateCallback /
// enableEventQueue + pollEvent. TX names: startPush = start, stopPush = stop, pausePusher = pause.
//
// Quality modes (after the mini-program <live-pusher mode> table; landscape 16:9 sizes, portrait swaps them,
// 4:3 keeps the height and narrows the width; audio AAC-LC):
//
//   mode | resolution | fps | GOP | target / min / max kbps | x264
//   SD   |  640x360   | 15  | 1 s |  600 / 300 /  800       | veryfast, 2 B-frames, lookahead 10
//   HD   |  960x540   | 24  | 1 s | 1000 / 600 / 1200       | veryfast, 2 B-frames, lookahead 10
//   FHD  | 1280x720   | 30  | 1 s | 1500 / 600 / 1800       | veryfast, 2 B-frames, lookahead 10
//   RTC  |  640x360   | 15  | 1 s |  700 / 150 / 1200       | veryfast + zerolatency (no B-frames, no lookahead)
//   LinkMicMain | 960x540 | 15 | 1 s | 1000 / 600 / 1500 | zerolatency; the main anchor while co-anchors are linked
//   LinkMicSub  | 480x320 | 15 | 1 s |  350 / 350 /  350 | zerolatency; a co-anchor's small picture (fixed rate)
//
// A keyframe every second in every mode: a viewer joining through a server without GOP cache (nginx-rtmp,
// wait_key on) gets the sound at once and the picture at the next keyframe; players with a 1 s queue
// (GStreamer's flvdemux pipeline) stall when that gap is longer. Set gopSeconds for longer GOPs.
//
// Rate control: ABR at the target with VBV maxrate = max and a 1 s buffer (0.5 s in RTC mode, so a bitrate cut
// takes effect within ~0.5 s), so the average stays in [min, max].
// Every field below overrides the mode's value when set (non-zero).
//
// Adaptive bitrate (PushConfig::autoAdjust; default per mode: SD/HD/FHD bitrate only, so viewers keep the size
// they were promised; RTC bitrate and resolution, where fluency matters more than size): the stream starts at
// the target and moves between min and max as the uplink congests and clears (down fast, up slowly).
// LinkMicMain adjusts bitrate and resolution like RTC; LinkMicSub keeps its fixed rate. Each
// change: 1006 (PARAM1 = kbps) and NET_STATUS SET_VIDEO_BITRATE; with resolution adjustment the size follows a
// ladder of 1, 3/4 and 1/2 of the configured size, each new size starting at an IDR with new stream headers:
// 1005 (PARAM1 = kbps, PARAM2 = "WxH"). AutoAdjust::None keeps the target bitrate fixed. How congestion is
// measured and answered is internal and may change.
#pragma once

#include <openlive/events.h>
#include <openlive/export.h>
#include <openlive/result.h>
#include <openlive/types.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace openlive {

enum class PushMode { SD, HD, FHD, RTC, LinkMicMain, LinkMicSub };
enum class AspectRatio { R16x9, R4x3 };
enum class AudioQuality {
  High,  // 48 kHz, 128 kbps stereo / 64 kbps mono
  Low,   // 16 kHz mono, 32 kbps
};

enum class VideoSourceType {
  TestPattern,  // moving picture, clock, frame counter, machine-readable capture time (default)
  Y4m,          // YUV4MPEG2 4:2:0 file, or "-" for stdin; read as VideoSourceConfig::pacing says
  Camera,       // V4L2 through libavdevice; device default /dev/video0
  Screen,       // X11 through libavdevice x11grab; device = display (":0"), region optional
  Custom,       // frames from sendCustomVideoFrame()
  None,         // audio-only
};

enum class AudioSourceType {
  Tone,        // 1 kHz sine with a beep each second (default)
  Wav,         // 16-bit PCM WAV file, or "-" for stdin
  Microphone,  // PulseAudio, then ALSA, through libavdevice; device "default" unless given
  Custom,      // PCM from sendCustomPCM()
  None,        // video-only
};

// How a file source (VideoSourceType::Y4m, AudioSourceType::Wav) is read.
enum class SourcePacingMode {
  Auto,      // by what the path is: a pipe, FIFO, socket or stdin from one of them is Live, a regular file Realtime
  Live,      // each frame is stamped and encoded as soon as it arrives (a live feed: a camera piped in)
  Realtime,  // frames are read at the file's frame rate (like ffmpeg -re)
};

enum class AutoAdjust {
  ModeDefault,           // SD / HD / FHD: BitrateOnly; RTC: BitrateAndResolution
  None,                  // fixed bitrate (the target)
  BitrateOnly,           // bitrate between min and max
  BitrateAndResolution,  // bitrate between min and max, and the resolution ladder
};

struct VideoSourceConfig {
  VideoSourceType type = VideoSourceType::TestPattern;
  std::string path;  // Y4m: path or "-"; Camera: device ("/dev/video0"); Screen: display (":0" or $DISPLAY)
  int regionX = 0, regionY = 0;  // Screen: top-left of the captured region
  int regionWidth = 0, regionHeight = 0;  // Screen: region size, 0 = the encode size
  SourcePacingMode pacing = SourcePacingMode::Auto;  // Y4m only
};

struct AudioSourceConfig {
  AudioSourceType type = AudioSourceType::Tone;
  std::string path;  // Wav: path or "-"; Microphone: device name ("default")
  SourcePacingMode pacing = SourcePacingMode::Auto;  // Wav only
};

struct PushConfig {
  PushMode mode = PushMode::RTC;
  // Overrides of the mode (0 = the mode's value).
  int width = 0, height = 0;   // even, 2..4096, else -1305
  int fps = 0;                 // 1..60
  double gopSeconds = 0;       // keyframe interval
  int bitrateKbps = 0, minBitrateKbps = 0, maxBitrateKbps = 0;
  AspectRatio aspect = AspectRatio::R16x9;
  bool landscape = true;
  AutoAdjust autoAdjust = AutoAdjust::ModeDefault;  // adaptive bitrate (see the table above)
  std::chrono::milliseconds autoAdjustUpInterval{4000};  // calm time before each +20 % step

  AudioQuality audioQuality = AudioQuality::High;
  int audioChannels = 1;  // 1 or 2 (Low quality is always mono)

  VideoSourceConfig video;
  AudioSourceConfig audio;
  bool mirror = false;  // mirror the encoded picture horizontally

  // Pause: the picture is replaced by `pauseImagePath` (a still image any FFmpeg decoder reads; empty = a
  // generated "PAUSED" card) at `pauseFps`, audio by silence, for at most `pauseMaxTime` (then the push stops
  // sending video until resumed).
  std::string pauseImagePath;
  int pauseFps = 5;
  std::chrono::seconds pauseMaxTime{300};

  // Reconnect: after a failed connect or a lost link, `connectRetryCount` more attempts `connectRetryInterval`
  // apart (1102 each), then -1307. A refusal by a server still holding our old session ("already publishing",
  // NetStream.Publish.BadName) is retried like a lost link.
  int connectRetryCount = 3;
  std::chrono::milliseconds connectRetryInterval{3000};
  std::chrono::milliseconds connectTimeout{5000};  // TCP connect deadline
  std::chrono::milliseconds ioTimeout{8000};       // socket send/receive timeout; handshake budget

  // rtmps:// only: the server certificate is checked against the system trust store plus `tlsCaFile` and
  // against the URL's host name. tlsAllowSelfSigned accepts an untrusted issuer (tests only; the name is still
  // checked). A certificate problem is reported as 3003 with the reason in EVT_MSG.
  bool tlsAllowSelfSigned = false;
  std::string tlsCaFile;  // PEM file of extra trusted CAs ("" = system store only)

  std::chrono::milliseconds netStatusInterval{1000};
  // Send queue, measured in media time. When the oldest queued non-key video frame has waited more than
  // `dropThreshold` (newest video dts - its dts, as OBS measures it), every queued non-key video frame is
  // dropped and video is refused until the next IDR (which is requested); audio and IDRs are never dropped by
  // that rule, and do not re-trigger it (one drop costs one forced IDR).
  // Past `maxCache` the oldest media is dropped whatever it is (policy "drop-oldest"). All drops are counted
  // in DROP_SIZE.
  std::chrono::milliseconds dropThreshold{900};
  std::chrono::milliseconds maxCache{5000};
  // Before that, past `nonRefDropThreshold` the queued non-reference video frames (nal_ref_idc 0: B-frames
  // nothing refers to) are dropped, which breaks no reference chain. Counted in DROP_SIZE too.
  std::chrono::milliseconds nonRefDropThreshold{700};
  // 1101 PUSH_WARNING_NET_BUSY when the queue holds more than this much media; at most once per 5 s.
  std::chrono::milliseconds netBusyThreshold{500};

  // First RTMP timestamp of the stream (default 0). Lets tests start just below the 24-bit timestamp limit
  // (0xFFFFFF ms, about 4 h 40 min) where extended timestamps take over.
  std::chrono::milliseconds timestampOffset{0};
};

OPENLIVE_API std::string_view toString(PushMode mode) noexcept;
OPENLIVE_API bool parsePushMode(std::string_view text, PushMode* out) noexcept;

enum class PushState { Idle, Connecting, Publishing, Reconnecting, Paused, Failed };
OPENLIVE_API std::string_view toString(PushState state) noexcept;

// The local preview's view (LivePusher::startPreview).
struct PreviewOptions {
  RenderMode renderMode = RenderMode::Fit;  // Fit: letterbox; Fill: crop
  int rotation = 0;                         // 0, 90, 180, 270 (clockwise)
  bool mirror = false;                      // mirrors the preview only (not the pushed stream)
};

class OPENLIVE_API LivePusher final {
 public:
  explicit LivePusher(PushConfig config = {});
  ~LivePusher();
  LivePusher(const LivePusher&) = delete;
  LivePusher& operator=(const LivePusher&) = delete;
  // Movable: the moved-from pusher is empty (start() answers NotStarted, the rest are no-ops).
  LivePusher(LivePusher&&) noexcept;
  LivePusher& operator=(LivePusher&&) noexcept;

  // Handlers may be set at any time; they run on the callback thread.
  void setEventCallback(EventCallback cb);
  void setNetStatusCallback(NetStatusCallback cb);
  // Each change of state(), in order with the events, on the callback thread.
  void setStateCallback(std::function<void(PushState)> cb);
  // Called once when a file/stdin source reached its end and everything read was sent (the app then usually
  // calls stop()).
  void setSourceEndCallback(std::function<void()> cb);
  // Pull-style events for apps with their own UI loop: once enabled, every event is also queued (at most
  // `capacity`; when full the oldest droppable event goes, counted; errors are never dropped). pollEvent waits
  // up to `timeout` (0: does not wait). The wakeup runs on an SDK thread when an event is queued: it must
  // return fast and must not call the pusher.
  void enableEventQueue(size_t capacity = 256);
  std::optional<Event> pollEvent(std::chrono::milliseconds timeout = std::chrono::milliseconds(0));
  void setEventWakeup(std::function<void()> wakeup);

  // Replaces the configuration used by the next start().
  void setConfig(const PushConfig& config);
  PushConfig config() const;

  // Starts publishing to rtmp[s]://host[:port]/app/stream. Fails at once with InvalidUrl (event -1313), an
  // UnsupportedResolution (-1305) or UnsupportedSampleRate (-1306, also for a channel count other than 1 or 2),
  // NoMedia (neither video nor audio), AlreadyStarted, or Failed (an encoder does not open). Everything later
  // is reported through events and state changes.
  Result start(const std::string& url);
  // Stops and releases everything within 200 ms; no callback runs once it returns. Idempotent.
  void stop();
  bool isActive() const;  // started and not Failed
  PushState state() const;

  // Pause: keeps the connection and sends the pause image at low fps with silence.
  void pause();
  void resume();
  // Changes the video quality while pushing, and the configuration of the next start(): the encode size,
  // bitrate range, GOP, latency tuning and adaptive policy of `quality` (its mode's table with its overrides:
  // mode, width, height, landscape, aspect, bitrates, gopSeconds, autoAdjust; the frame rate stays the
  // source's). Applied within ~200 ms: the old encoder's delayed frames go out, then new stream headers and an
  // IDR, so viewers switch at a keyframe; 1005 PUSH_EVT_CHANGE_RESOLUTION (PARAM1 = kbps, PARAM2 = "WxH").
  // UnsupportedResolution as in start(); NothingToCapture when the stream has no video.
  Result setVideoQuality(const PushConfig& quality);
  // The same with `mode`'s table and no overrides (TX setVideoQuality): a LiveRoom's main anchor switches to
  // PushMode::LinkMicMain while co-anchors are linked and back after.
  Result setVideoQuality(PushMode mode);

  // Switches the microphone (a device id of listDevices(), or a PulseAudio / ALSA name) while pushing, without
  // touching the connection or the encoder: the new device is opened on the calling thread (a few ms, bounded
  // by stop()), then the capture continues from it within 20 ms, the gap filled with silence. Failed (event
  // -1302's code in Result::event) when it cannot be opened: the old microphone keeps going. WrongSource when
  // the sound does not come from a microphone. Not pushing: the microphone of the next start().
  Result switchMicrophone(const std::string& deviceId);
  // The same for the camera (a "v4l2:" id or a device path): opened at the stream's size and rate, taken before
  // the next picture (1003 when it is), pictures of another size scaled; the encoder and the connection stay.
  // Failed with -1301's code when it cannot be opened (the old camera goes on); WrongSource when the picture does
  // not come from a camera.
  Result switchCamera(const std::string& deviceId);

  // Mute: the stream keeps its audio track, with silence.
  void setMute(bool mute);
  // Mirrors the encoded (pushed) picture; the local preview has its own mirror (PreviewOptions::mirror).
  void setMirror(bool mirror);

  // Local preview: the picture the pusher captures (PushConfig::video: camera, screen, test pattern, Y4M file,
  // app frames), unencoded and before the encoded mirror, drawn in `view`: VideoOutput::Kind::Window (a window
  // the SDK opens and owns) or Kind::NativeWindow (the app's X11 window; see VideoOutput). The pause card is
  // shown while paused. Before start() the preview opens the video source itself (not a stdin Y4M: "-" is
  // read once, by the push; Custom frames show once pushing); start() takes the source over (a camera is
  // closed and opened again by the push) and the preview goes on with the push's pictures; after stop(), or
  // once a push has failed (Failed: its capture ended), the preview opens the source again and stays live. It is independent of the push: it never blocks capture (a 1-slot
  // latest-wins hand-over, older pictures dropped and counted) and a failing window never stops the push.
  //
  // Threading: callable from any thread, also from inside a pusher callback (the preview thread runs no app
  // code and takes no lock a callback holds). All window work runs on the preview's own thread ("ol-push-preview"). startPreview returns
  // once the window is open (or failed to), within ~1 s; Failed with Result::event 1105
  // PUSH_WARNING_BEAUTYSURFACE_VIEW_INIT_FAIL when the window cannot be opened (no display, no such window),
  // InvalidArgument for another VideoOutput kind. A window that goes away later is reported as 1105 while
  // pushing (logged otherwise) and the preview ends. A second startPreview replaces the first.
  // stopPreview() returns within 200 ms; the app's window is left black; idempotent.
  Result startPreview(const VideoOutput& view, const PreviewOptions& options = {});
  void stopPreview();
  bool isPreviewing() const;
  // Changes the preview's view while it runs (and of the next startPreview); takes effect at the next picture.
  void setPreviewOptions(const PreviewOptions& options);
  void setPreviewMirror(bool mirror);  // TX setLocalVideoMirror-style: the preview's mirror only
  // The debug overlay over the preview (TX showDebugView): resolution, fps, bitrates and their target, send
  // queue, drops, capture-to-wire time, CPU, the server's address and the last three events, redrawn every
  // second from the same NET_STATUS values and events the app gets ("not pushing" before start()). Off by
  // default; the 'd' key in the SDK's preview window toggles it. Any state, any thread; drawn as the player's
  // (LivePlayer::showDebugView). Never in the pushed stream.
  void showDebugView(bool show);
  // Pictures the preview skipped because a newer one arrived before it drew (latest-wins), since startPreview.
  uint64_t previewDroppedFrames() const;

  // Custom source (VideoSourceType::Custom / AudioSourceType::Custom), from any one app thread. The frame is
  // processed and encoded on the calling thread; ptsMs is the app's media time (only differences matter).
  // Not accepted: WrongSource (the source is not Custom), NotReady (before 1002; earlier frames would be lost
  // anyway), NotStarted, InvalidArgument (missing planes or samples), UnsupportedResolution (odd, zero or
  // > 4096; also event -1305), UnsupportedSampleRate (also -1306). Frames of another size are scaled.
  Result sendCustomVideoFrame(const VideoFrame& frame);
  Result sendCustomPCM(const AudioFrame& frame);
  // Relays H.264 the app already has (a stream it plays: LivePlayer::setEncodedVideoCallback) without
  // re-encoding, on the Custom video source, from the same app thread as sendCustomVideoFrame. The relay starts
  // at a keyframe (NotReady until one comes, and again after a packet with `discontinuity`); a new configuration
  // record, which must come with a keyframe, is sent as new stream headers (players go on with 2009 when the size
  // changed). The source's timestamps keep their spacing on the session's media clock (re-anchored at a
  // keyframe after a jump). The next sendCustomVideoFrame ends the relay: a fresh encoder starts with its own
  // headers and an IDR, so a stream may switch between relayed and encoded pictures (mixing off / on) under one
  // connection. While relaying, bitrate and resolution changes wait for the encoder, the capture time in the
  // stream is the source's own (its SEI), and the preview, mirror and snapshots do not see the pictures.
  // Also: InvalidArgument (not AVCC, a bad record), WrongSource, NotStarted.
  Result sendEncodedVideo(const EncodedVideoPacket& packet);
  // Relays AAC the app already has (LivePlayer::setEncodedAudioCallback) without re-encoding, on the Custom
  // audio source, from the same app thread as sendCustomPCM. Only sound that the stream's AudioSpecificConfig
  // describes goes out as it is (the same object type, sample rate and channel count as this pusher's audio
  // settings; otherwise UnsupportedSampleRate, and the app sends PCM instead: one AAC configuration per
  // stream). It goes on the media clock with the relayed video's mapping (sendEncodedVideo), so the two keep
  // the source's sync; a frame that would start before the sound already sent is dropped (NotReady). The next
  // sendCustomPCM ends the relay with a fresh encoder. While muted or paused it is refused (NotReady): send
  // PCM, which goes out as silence.
  // Also: InvalidArgument (no data or no config), WrongSource, NotStarted.
  Result sendEncodedAudio(const EncodedAudioPacket& packet);

  // Sends `data` (1..4096 bytes) as an H.264 SEI user-data message with the next video frame (player: 2012).
  // InvalidArgument for another size, NothingToCapture without video, Busy with 64 messages pending.
  Result sendMessage(const std::vector<uint8_t>& data);

  // True once the stream is published (1002 seen) and not since lost.
  bool isPublished() const;

  // Snapshot of the next picture encoded (after scaling and mirroring; the pause card while paused), written
  // by an SDK worker as JPEG (.jpg / .jpeg) or PNG (.png). Returns at once; the result is 1022
  // EVT_SNAPSHOT_RESULT: EVT_PARAM1 "0" written / "-1" failed (EVT_MSG why), EVT_PARAM2 "WxH", EVT_DESCRIPTION
  // the path. NothingToCapture: no video track; Busy: a snapshot is still pending; BadPath, FileExists,
  // NotStarted.
  Result captureVideoSnapshot(const std::string& path);
  // Local recording of the encoded stream (the H.264 + AAC being published, not re-encoded) into a fragmented
  // .mp4 (playable even if the app dies mid-file) or an .flv, from the next IDR (one is requested). With
  // `slice` > 0 a new file begins at the first IDR after each `slice`: `path`, then `<stem>_2.<ext>`, ...; a
  // resolution change (adaptive ladder) also begins a new file. Frames the send queue drops on a slow network
  // are still recorded. Events: 1030 PUSH_EVT_LOCAL_RECORD_PROGRESS about once a second (EVT_PARAM1 = ms in
  // the current file, EVT_DESCRIPTION its path); 1029 PUSH_EVT_LOCAL_RECORD_RESULT for every file finished
  // (EVT_PARAM1 "0" ok / "-1" failed, EVT_PARAM2 duration ms, EVT_DESCRIPTION the path, EVT_MSG the reason).
  // If the disk falls more than 32 MiB behind, the recording ends with a failed 1029 (never blocks the push).
  // Only while pushing (NotStarted; BadPath, FileExists, Busy); stop() also finishes the file (without a 1029:
  // no callback runs after it returns; a slow disk finishes it in the background, stop() stays bounded).
  Result startLocalRecord(const std::string& path, std::chrono::seconds slice = std::chrono::seconds(0));
  // Finishes the current file (1029). No-op when not recording.
  void stopLocalRecord();
  bool isRecording() const;

 private:
  Result switchDevice(const std::string& deviceId, bool camera);
  void restartPreviewSource();  // after the push released the video source
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace openlive
