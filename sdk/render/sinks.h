// Output sinks (render stage). Video sinks get each I420 picture at the moment it is shown; audio sinks get the
// PCM as it is played. All calls come from the session's render thread.
#pragma once

#include "decode/audio_decoder.h"
#include "decode/video_decoder.h"

#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

struct SwsContext;

namespace openlive::render {

struct ViewOptions {
  bool fill = false;    // fill (crop) instead of fit (letterbox)
  int rotation = 0;     // 0, 90, 180, 270
  bool mirror = false;
  bool fullscreen = false;
};

// What a window reports back from its event loop.
struct WindowInput {
  bool quit = false, togglePause = false, toggleMute = false;
  bool toggleDebug = false;  // the debug overlay's key ('d')
  bool windowLost = false;  // an app's window went away (native_window_sink.h); `why` says how
  std::string why;
};

class VideoSink {
 public:
  virtual ~VideoSink() = default;
  virtual bool show(const AVFrame* i420) = 0;
  virtual void setView(const ViewOptions&) {}
  virtual WindowInput pollInput() { return {}; }
  virtual void refresh() {}  // redraw the last picture (window exposure, resize)
  // Window sinks: the debug overlay's lines over the picture from the next draw (none: off).
  virtual void setOverlay(std::vector<std::string>) {}
};

class AudioSink {
 public:
  virtual ~AudioSink() = default;
  virtual bool play(const decode::PcmBlock& pcm) = 0;
  // Device sinks: media time (ms) of the sample being heard now, for the audio master clock.
  virtual std::optional<int64_t> playedMediaMs(double) const { return std::nullopt; }
  // How far ahead of the clock PCM should be handed over (device buffer), ms.
  virtual int64_t leadMs() const { return 0; }
  virtual void flush() {}
};

class NullVideoSink final : public VideoSink {
 public:
  bool show(const AVFrame*) override { return true; }
};
class NullAudioSink final : public AudioSink {
 public:
  bool play(const decode::PcmBlock&) override { return true; }
};

// YUV4MPEG2 to a file or stdout ("-"). The size is fixed by the first picture; later pictures of another
// size are scaled to it (the stream format cannot change size).
class Y4mSink final : public VideoSink {
 public:
  Y4mSink(std::string path, int fpsHint);
  ~Y4mSink() override;
  bool ok() const { return f_ != nullptr; }
  bool show(const AVFrame* f) override;

 private:
  std::string path_;
  FILE* f_ = nullptr;
  bool ownFile_ = false;
  int fps_ = 30, w_ = 0, h_ = 0;
  SwsContext* sws_ = nullptr;
  decode::FramePtr scaled_;
};

// RIFF WAVE (s16) of the PCM as played; the header is rewritten at the end (and periodically).
class WavSink final : public AudioSink {
 public:
  explicit WavSink(std::string path);
  ~WavSink() override;
  bool ok() const { return f_ != nullptr; }
  bool play(const decode::PcmBlock& pcm) override;

 private:
  void writeHeader();
  FILE* f_ = nullptr;
  int rate_ = 0, channels_ = 0;
  uint64_t dataBytes_ = 0;
  int sinceHeader_ = 0;
};

// SDL2 window owned by the SDK (resizable, fit/fill, rotation, mirror; keys f / space / m / d / q / Esc). nullptr when SDL video is
// unavailable (no display); `why` says why.
std::unique_ptr<VideoSink> createSdlWindow(const std::string& title, const ViewOptions& view, std::string* why);
// SDL2 audio output (queue-based). nullptr when no audio device opens.
// `device`: an SDL output device name ("" = the default). A named device that cannot be opened falls back to
// the default, with a warning.
std::unique_ptr<AudioSink> createSdlAudio(const std::string& device, std::string* why);

}  // namespace openlive::render
