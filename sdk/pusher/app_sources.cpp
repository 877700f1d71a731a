#include "pusher/app_sources.h"

#include "encode/audio_encoder.h"

#include <vector>

namespace openlive::detail {

Result AppVideoSource::push(const VideoFrame& f) {
  if (f.width <= 0 || f.height <= 0 || f.width > 4096 || f.height > 4096 || (f.width % 2) || (f.height % 2)) {
    const std::string why = "custom frame " + std::to_string(f.width) + "x" + std::to_string(f.height) + " not supported";
    d_.events.emit(EventCode::PUSH_ERR_UNSUPPORTED_RESOLUTION, why);
    return Result::failure(ResultCode::UnsupportedResolution, why, EventCode::PUSH_ERR_UNSUPPORTED_RESOLUTION);
  }
  PlaneView view;
  for (int i = 0; i < 3; ++i) {
    view.data[i] = f.planes[i];
    view.stride[i] = f.strides[i];
  }
  view.width = f.width;
  view.height = f.height;
  if (!view.valid()) return Result::failure(ResultCode::InvalidArgument, "a plane pointer or stride is missing");
  if (d_.preview) d_.preview->offer(view);
  if (!d_.clock.started()) return Result::failure(ResultCode::NotReady, "not yet published (wait for 1002)");
  const int64_t arrivedUs = steadyNowUs();
  int64_t pts;
  {
    std::lock_guard lk(mu_);
    if (base_ == INT64_MIN) base_ = d_.clock.nowMs() - f.ptsMs;
    pts = f.ptsMs + base_;
  }
  if (!pipeline_.submit(view, pts, arrivedUs, d_.controls.mirror))
    return Result::failure(ResultCode::Failed, "the frame was not encoded");
  return Result::success();
}

Result AppVideoSource::pushEncoded(const EncodedVideoPacket& packet) {
  if (!d_.clock.started()) return Result::failure(ResultCode::NotReady, "not yet published (wait for 1002)");
  return pipeline_.submitRelayed(packet, steadyNowUs());
}

Result AppAudioSource::push(const AudioFrame& f) {
  if (!isSupportedInputSampleRate(f.sampleRate)) {
    const std::string why = "custom PCM at " + std::to_string(f.sampleRate) + " Hz not supported";
    d_.events.emit(EventCode::PUSH_ERR_UNSUPPORTED_SAMPLERATE, why);
    return Result::failure(ResultCode::UnsupportedSampleRate, why, EventCode::PUSH_ERR_UNSUPPORTED_SAMPLERATE);
  }
  if (f.channels < 1 || f.channels > 2 || f.frames <= 0 || !f.samples)
    return Result::failure(ResultCode::InvalidArgument, "PCM needs 1 or 2 channels, frames and samples");
  if (!d_.clock.started()) return Result::failure(ResultCode::NotReady, "not yet published (wait for 1002)");
  std::vector<int16_t> silence;
  const int16_t* data = f.samples;
  if (d_.controls.muted || d_.controls.paused()) {
    silence.assign(static_cast<size_t>(f.frames) * f.channels, 0);
    data = silence.data();
  }
  if (!pipeline_.submit(data, f.frames, f.sampleRate, f.channels, d_.clock.nowMs()))
    return Result::failure(ResultCode::Failed, "the PCM was not encoded");
  return Result::success();
}

Result AppAudioSource::pushEncoded(const EncodedAudioPacket& packet) {
  if (!d_.clock.started()) return Result::failure(ResultCode::NotReady, "not yet published (wait for 1002)");
  if (d_.controls.muted || d_.controls.paused())
    return Result::failure(ResultCode::NotReady, "muted or paused: PCM goes out as silence");
  return pipeline_.submitRelayed(packet, d_.clock.nowMs());
}

}  // namespace openlive::detail
