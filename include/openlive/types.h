// OpenLive SDK - value types shared by the pusher and the player.
#pragma once

#include <openlive/events.h>
#include <openlive/export.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace openlive {

// TX-style parameter keys carried by events.
namespace evt {
inline constexpr std::string_view kMsg = "EVT_MSG";
inline constexpr std::string_view kTime = "EVT_TIME";  // ms since the Unix epoch
inline constexpr std::string_view kParam1 = "EVT_PARAM1";
inline constexpr std::string_view kParam2 = "EVT_PARAM2";
inline constexpr std::string_view kParam3 = "EVT_PARAM3";
inline constexpr std::string_view kDescription = "EVT_DESCRIPTION";
inline constexpr std::string_view kPlayProgress = "EVT_PLAY_PROGRESS";
inline constexpr std::string_view kPlayDuration = "EVT_PLAY_DURATION";
inline constexpr std::string_view kVideoWidth = "EVT_PARAM_VIDEO_WIDTH";
inline constexpr std::string_view kVideoHeight = "EVT_PARAM_VIDEO_HEIGHT";
inline constexpr std::string_view kEncodeBitrate = "EVT_PARAM_ENCODE_BITRATE";
inline constexpr std::string_view kGetMsg = "EVT_GET_MSG";
inline constexpr std::string_view kGetMsgLength = "EVT_GET_MSG_LENGTH";
}  // namespace evt

// TX-style NET_STATUS keys (units as in docs/EVENTS.md).
namespace net {
inline constexpr std::string_view kCpuUsage = "CPU_USAGE";            // process %, 0..100*cores
inline constexpr std::string_view kVideoWidth = "VIDEO_WIDTH";        // px
inline constexpr std::string_view kVideoHeight = "VIDEO_HEIGHT";      // px
inline constexpr std::string_view kVideoFps = "VIDEO_FPS";            // fps
inline constexpr std::string_view kVideoGop = "VIDEO_GOP";            // s
inline constexpr std::string_view kVideoBitrate = "VIDEO_BITRATE";    // kbps
inline constexpr std::string_view kAudioBitrate = "AUDIO_BITRATE";    // kbps
inline constexpr std::string_view kNetSpeed = "NET_SPEED";            // kbps sent (push) / received (play)
inline constexpr std::string_view kSetVideoBitrate = "SET_VIDEO_BITRATE";  // kbps target
inline constexpr std::string_view kNetJitter = "NET_JITTER";          // ms
inline constexpr std::string_view kCacheSize = "CACHE_SIZE";          // push: ms of media queued to send
inline constexpr std::string_view kDropSize = "DROP_SIZE";            // push: frames dropped (total)
// push: ms from a video frame's arrival in the source to its FLV tag written to the socket, median over the
// last second (absent while nothing was sent)
inline constexpr std::string_view kCaptureToWire = "CAPTURE_TO_WIRE_MS";
inline constexpr std::string_view kVideoCache = "VIDEO_CACHE";        // play: ms buffered
inline constexpr std::string_view kAudioCache = "AUDIO_CACHE";        // play: ms buffered
inline constexpr std::string_view kVideoDrop = "VIDEO_DROP";          // play: frames dropped (total)
inline constexpr std::string_view kAvPlayInterval = "AV_PLAY_INTERVAL";  // ms, video - audio at render
inline constexpr std::string_view kAudioPlaySpeed = "AUDIO_PLAY_SPEED";  // ratio
inline constexpr std::string_view kAudioCacheThreshold = "AUDIO_CACHE_THRESHOLD";  // s, current target
inline constexpr std::string_view kStallCount = "STALL_COUNT";        // play: stalls so far
inline constexpr std::string_view kStallMs = "STALL_MS";              // play: total stalled ms
inline constexpr std::string_view kLatency = "E2E_LATENCY";           // play: ms, from the pusher's SEI clock
inline constexpr std::string_view kServerIp = "SERVER_IP";            // text
inline constexpr std::string_view kAudioInfo = "AUDIO_INFO";          // "rate,channels"
inline constexpr std::string_view kFirstPictureMs = "FIRST_PICTURE_MS";  // play: ms from start() to the first picture
inline constexpr std::string_view kFirstSoundMs = "FIRST_SOUND_MS";      // play: ms from start() to the first sound
inline constexpr std::string_view kFrameCallbackDrop = "FRAME_CALLBACK_DROP";  // decoded frames the app's
                                                                           // callback did not take in time (total)
inline constexpr std::string_view kPlayState = "PLAY_STATE";            // play: session state (text)
}  // namespace net

using ParamMap = std::map<std::string, std::string, std::less<>>;

// One event as delivered to the app.
struct Event {
  EventCode code{};
  ParamMap params;  // always holds EVT_MSG and EVT_TIME
  std::string_view name() const noexcept { return eventName(code); }
  std::string message() const { return get(evt::kMsg); }
  std::string get(std::string_view key) const {
    auto it = params.find(key);
    return it == params.end() ? std::string() : it->second;
  }
};

// Periodic statistics (TX NET_STATUS): key -> value as text, numbers in the documented units.
struct NetStatus {
  ParamMap values;
  std::string get(std::string_view key) const {
    auto it = values.find(key);
    return it == values.end() ? std::string() : it->second;
  }
  // The value as a number, or std::nullopt if missing or not numeric.
  OPENLIVE_API std::optional<double> number(std::string_view key) const;
};

// A planar I420 picture. Plane pointers stay valid only for the duration of the call they are passed to.
struct VideoFrame {
  int width = 0;
  int height = 0;
  const uint8_t* planes[3] = {nullptr, nullptr, nullptr};
  int strides[3] = {0, 0, 0};
  int64_t ptsMs = 0;  // media time, ms
};

// Interleaved signed 16-bit PCM. `samples` points at frames*channels values.
struct AudioFrame {
  const int16_t* samples = nullptr;
  int frames = 0;       // samples per channel
  int channels = 0;     // 1 or 2
  int sampleRate = 0;   // Hz
  int64_t ptsMs = 0;    // media time, ms
};

// One compressed H.264 access unit as an FLV stream carries it, for relaying a stream without re-encoding
// (LivePlayer::setEncodedVideoCallback -> LivePusher::sendEncodedVideo). Pointers are valid during the call.
struct EncodedVideoPacket {
  const uint8_t* data = nullptr;    // AVCC: NAL units, each after a big-endian length of the record's size
  size_t size = 0;
  const uint8_t* config = nullptr;  // the AVCDecoderConfigurationRecord in force (SPS, PPS, length size)
  size_t configSize = 0;
  std::chrono::milliseconds dts{0};  // decode time (only differences matter)
  std::chrono::milliseconds pts{0};  // presentation time (>= dts with B-frames)
  bool keyframe = false;             // an IDR access unit
  bool discontinuity = false;        // packets before this one were lost (a reconnect, a full lane): wait for a keyframe
};

// One compressed AAC frame as an FLV stream carries it, for relaying a stream's sound without re-encoding
// (LivePlayer::setEncodedAudioCallback -> LivePusher::sendEncodedAudio). Pointers are valid during the call.
struct EncodedAudioPacket {
  const uint8_t* data = nullptr;    // one raw AAC frame (no ADTS header)
  size_t size = 0;
  const uint8_t* config = nullptr;  // the AudioSpecificConfig in force
  size_t configSize = 0;
  std::chrono::milliseconds pts{0};  // presentation time (only differences matter)
  bool discontinuity = false;        // packets before this one were lost (a reconnect, a skip, a full lane)
};


enum class RenderMode { Fit, Fill };  // Fit: letterbox; Fill: crop to fill the window

// A window of the app's, for the SDK to draw into: an X11 `Window` id (XID) on the X display named by DISPLAY.
// (A Wayland surface is a later step; SDL must run on its x11 video driver.)
using NativeWindowHandle = uint64_t;

// Where video is shown: the player's decoded video (its frame callbacks get it in every case), and the pusher's
// local preview (LivePusher::startPreview: Window or NativeWindow only).
struct VideoOutput {
  // None: nowhere else. Window: a window the SDK opens and owns (SDL2; keys f / space / m / q). Y4m: a file.
  // NativeWindow: the app's window `nativeWindow`: the SDK draws the video into it (fit / fill, rotation, mirror),
  // follows its size when the app resizes it, and never destroys, moves or resizes it. The app keeps the window
  // alive while the SDK draws into it, or calls closeRenderWindow() first; a window that does not exist or goes
  // away is reported (player: 2110, preview: 1105) and playback or pushing goes on without it.
  enum class Kind { None, Window, Y4m, NativeWindow } kind = Kind::Window;
  std::string path;                    // Y4m: file path, or "-" for stdout
  NativeWindowHandle nativeWindow = 0;  // NativeWindow: the X11 window id
};

using EventCallback = std::function<void(const Event&)>;
using NetStatusCallback = std::function<void(const NetStatus&)>;

}  // namespace openlive
