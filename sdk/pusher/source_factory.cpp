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

OpenedSource<VideoSource> openDevice(const VideoSourceConfig& src, const ResolvedVideoParams& video,
                                     const std::atomic<bool>& cancel, PushEvents& events) {
  const bool camera = src.type == VideoSourceType::Camera;
  const EventCode fail = camera ? EventCode::PUSH_ERR_OPEN_CAMERA_FAIL : EventCode::PUSH_ERR_SCREEN_CAPTURE_FAIL;
  // A camera is a device id (include/openlive/devices.h: "v4l2:<path>") or a plain path.
  const std::string dev = camera ? (src.path.empty() ? "/dev/video0" : parseDeviceId(src.path).name) : screenDevice(src);
  const int w = camera || !src.regionWidth ? video.width : src.regionWidth;
  const int h = camera || !src.regionHeight ? video.height : src.regionHeight;
  auto device = std::make_unique<AvDeviceVideoSource>();
  std::string err;
  if (!device->open(camera ? "v4l2" : "x11grab", dev, w, h, video.fps, cancel, &err)) {
    events.fatal(fail, (camera ? "camera " : "screen ") + dev + ": " + err);
    return {nullptr, fail};
  }
  if (camera)
    events.emit(EventCode::PUSH_EVT_OPEN_CAMERA_SUCC, "camera " + dev + " opened");
  else
    events.emit(EventCode::PUSH_EVT_SCREEN_CAPTURE_SUCC, "screen " + dev + " captured");
  return {std::move(device), fail};
}

}  // namespace

SourcePacing pacingFor(SourcePacingMode mode, const std::string& path) {
  if (mode == SourcePacingMode::Live) return SourcePacing::Live;
  if (mode == SourcePacingMode::Realtime) return SourcePacing::Realtime;
  return pacingOfPath(path);
}

OpenedSource<VideoSource> openVideoSource(const PushConfig& config, const ResolvedVideoParams& video,
                                          const std::atomic<bool>& cancel, PushEvents& events) {
  const VideoSourceConfig& src = config.video;
  switch (src.type) {
    case VideoSourceType::TestPattern:
      return {std::make_unique<TestPatternSource>(video.width, video.height, video.fps), EventCode{}};
    case VideoSourceType::Y4m: {
      const std::string path = src.path.empty() ? "-" : src.path;
      auto y4m = std::make_unique<Y4mSource>();
      std::string err;
      if (!y4m->open(path, pacingFor(src.pacing, path), &err)) {
        events.fatal(EventCode::PUSH_ERR_OPEN_CAMERA_FAIL, err);
        return {nullptr, EventCode::PUSH_ERR_OPEN_CAMERA_FAIL};
      }
      return {std::move(y4m), EventCode::PUSH_ERR_OPEN_CAMERA_FAIL};
    }
    case VideoSourceType::Camera:
    case VideoSourceType::Screen: return openDevice(src, video, cancel, events);
    default: return {};
  }
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
