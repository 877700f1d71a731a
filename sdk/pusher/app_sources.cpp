#include "pusher/app_sources.h"

#include "encode/audio_encoder.h"

#include <vector>

namespace openlive::detail {

bool AppVideoSource::push(const VideoFrame& f) {
  if (f.width <= 0 || f.height <= 0 || f.width > 4096 || f.height > 4096 || (f.width % 2) || (f.height % 2)) {
    d_.events.emit(EventCode::PUSH_ERR_UNSUPPORTED_RESOLUTION,
                 "custom frame " + std::to_string(f.width) + "x" + std::to_string(f.height) + " not supported");
    return false;
  }
  PlaneView view;
  for (int i = 0; i < 3; ++i) {
    view.data[i] = f.planes[i];
    view.stride[i] = f.strides[i];
  }
  view.width = f.width;
  view.height = f.height;
  if (!view.valid() || !d_.clock.started()) return false;
  const int64_t arrivedUs = steadyNowUs();
  int64_t pts;
  {
    std::lock_guard lk(mu_);
    if (base_ == INT64_MIN) base_ = d_.clock.nowMs() - f.ptsMs;
    pts = f.ptsMs + base_;
  }
  return pipeline_.submit(view, pts, arrivedUs, d_.controls.mirror);
}

bool AppAudioSource::push(const AudioFrame& f) {
  if (!isSupportedInputSampleRate(f.sampleRate)) {
    d_.events.emit(EventCode::PUSH_ERR_UNSUPPORTED_SAMPLERATE,
                 "custom PCM at " + std::to_string(f.sampleRate) + " Hz not supported");
    return false;
  }
  if (f.channels < 1 || f.channels > 2 || f.frames <= 0 || !f.samples || !d_.clock.started()) return false;
  std::vector<int16_t> silence;
  const int16_t* data = f.samples;
  if (d_.controls.muted || d_.controls.paused()) {
    silence.assign(static_cast<size_t>(f.frames) * f.channels, 0);
    data = silence.data();
  }
  return pipeline_.submit(data, f.frames, f.sampleRate, f.channels, d_.clock.nowMs());
}

}  // namespace openlive::detail
