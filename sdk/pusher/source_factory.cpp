#include "pusher/source_factory.h"

#include "capture/av_device_source.h"
#include "capture/device_ids.h"
#include "capture/pull_sources.h"
#include "encode/audio_encoder.h"

#include <cstdlib>

namespace openlive::detail {
namespace {

std::string screenDevice(const VideoSourceConfig& src) {
  std::string display = src.path;
  if (display.empty()) {
    const char* env = std::getenv("DISPLAY");
    display = env ? env : ":0";
  }
  return display + "+" + std::to_string(src.regionX) + "," + std::to_string(src.regionY);
}

std::unique_ptr<VideoSource> openDevice(const VideoSourceConfig& src, const ResolvedVideoParams& video,
                                        const std::atomic<bool>& cancel, VideoOpenError* error) {
  const bool camera = src.type == VideoSourceType::Camera;
  // A camera is a device id (include/openlive/devices.h: "v4l2:<path>") or a plain path.
  const std::string dev = camera ? (src.path.empty() ? "/dev/video0" : parseDeviceId(src.path).name) : screenDevice(src);
  const int w = camera || !src.regionWidth ? video.width : src.regionWidth;
  const int h = camera || !src.regionHeight ? video.height : src.regionHeight;
  auto device = std::make_unique<AvDeviceVideoSource>();
  std::string err;
  if (!device->open(camera ? "v4l2" : "x11grab", dev, w, h, video.fps, cancel, &err)) {
    error->message = (camera ? "camera " : "screen ") + dev + ": " + err;
    return nullptr;
  }
  error->message = (camera ? "camera " : "screen ") + dev + (camera ? " opened" : " captured");
  return device;
}

}  // namespace

SourcePacing pacingFor(SourcePacingMode mode, const std::string& path) {
  if (mode == SourcePacingMode::Live) return SourcePacing::Live;
  if (mode == SourcePacingMode::Realtime) return SourcePacing::Realtime;
  return pacingOfPath(path);
}

EventCode videoReadFailCode(VideoSourceType type) {
  return type == VideoSourceType::Screen ? EventCode::PUSH_ERR_SCREEN_CAPTURE_FAIL : EventCode::PUSH_ERR_OPEN_CAMERA_FAIL;
}

std::unique_ptr<VideoSource> tryOpenVideoSource(const PushConfig& config, const ResolvedVideoParams& video,
                                                const std::atomic<bool>& cancel, VideoOpenError* error) {
  const VideoSourceConfig& src = config.video;
  error->code = videoReadFailCode(src.type);
  switch (src.type) {
    case VideoSourceType::TestPattern: return std::make_unique<TestPatternSource>(video.width, video.height, video.fps);
    case VideoSourceType::Y4m: {
      const std::string path = src.path.empty() ? "-" : src.path;
      auto y4m = std::make_unique<Y4mSource>();
      if (!y4m->open(path, pacingFor(src.pacing, path), &error->message)) return nullptr;
      return y4m;
    }
    case VideoSourceType::Camera:
    case VideoSourceType::Screen: return openDevice(src, video, cancel, error);
    default: error->message = "no pull source"; return nullptr;
  }
}

OpenedSource<VideoSource> openVideoSource(const PushConfig& config, const ResolvedVideoParams& video,
                                          const std::atomic<bool>& cancel, PushEvents& events) {
  const VideoSourceType type = config.video.type;
  if (type != VideoSourceType::TestPattern && type != VideoSourceType::Y4m && type != VideoSourceType::Camera &&
      type != VideoSourceType::Screen)
    return {};
  VideoOpenError error;
  auto source = tryOpenVideoSource(config, video, cancel, &error);
  if (!source) {
    events.fatal(error.code, error.message);
    return {nullptr, error.code};
  }
  if (type == VideoSourceType::Camera) events.emit(EventCode::PUSH_EVT_OPEN_CAMERA_SUCC, error.message);
  if (type == VideoSourceType::Screen) events.emit(EventCode::PUSH_EVT_SCREEN_CAPTURE_SUCC, error.message);
  return {std::move(source), error.code};
}

OpenedSource<AudioSource> openAudioSource(const PushConfig& config, int rate, int channels,
                                          const std::atomic<bool>& cancel, PushEvents& events) {
  const AudioSourceConfig& src = config.audio;
  const EventCode fail = EventCode::PUSH_ERR_OPEN_MIC_FAIL;
  std::string err;
  switch (src.type) {
    case AudioSourceType::Tone: return {std::make_unique<ToneSource>(rate, channels), fail};
    case AudioSourceType::Wav: {
      const std::string path = src.path.empty() ? "-" : src.path;
      auto wav = std::make_unique<WavSource>();
      if (!wav->open(path, pacingFor(src.pacing, path), &err)) {
        events.fatal(fail, err);
        return {nullptr, fail};
      }
      if (!isSupportedInputSampleRate(wav->sampleRate())) {
        events.fatal(EventCode::PUSH_ERR_UNSUPPORTED_SAMPLERATE,
                     "WAV sample rate " + std::to_string(wav->sampleRate()) + " Hz is not supported");
        return {nullptr, fail};
      }
      return {std::move(wav), fail};
    }
    case AudioSourceType::Microphone: {
      auto mic = std::make_unique<AvDeviceAudioSource>();
      if (!mic->open(src.path, rate, channels, cancel, &err)) {
        events.fatal(fail, "microphone " + (src.path.empty() ? std::string("default") : src.path) + ": " + err);
        return {nullptr, fail};
      }
      return {std::move(mic), fail};
    }
    default: return {};
  }
}

}  // namespace openlive::detail
