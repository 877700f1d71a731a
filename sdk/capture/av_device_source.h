// Live device sources through libavdevice: V4L2 cameras, X11 screens (x11grab), PulseAudio / ALSA microphones.
// Reads honour a cancel flag through FFmpeg's interrupt callback and non-blocking reads, so a stop request is
// seen within ~20 ms.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "capture/test_pattern.h"

namespace openlive::detail {

class AvDeviceVideoSource {
 public:
  AvDeviceVideoSource();
  ~AvDeviceVideoSource();
  AvDeviceVideoSource(const AvDeviceVideoSource&) = delete;
  AvDeviceVideoSource& operator=(const AvDeviceVideoSource&) = delete;

  // format "v4l2" (device "/dev/videoN") or "x11grab" (device ":0.0+X,Y"). width/height/fps are requests.
  bool open(const std::string& format, const std::string& device, int width, int height, int fps,
            const std::atomic<bool>& cancel, std::string* error);
  // Next frame converted to I420 at its native size; false on end, error or cancel.
  bool read(I420Image& out, const std::atomic<bool>& cancel, std::string* error);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

class AvDeviceAudioSource {
 public:
  AvDeviceAudioSource();
  ~AvDeviceAudioSource();
  AvDeviceAudioSource(const AvDeviceAudioSource&) = delete;
  AvDeviceAudioSource& operator=(const AvDeviceAudioSource&) = delete;

  // Tries "pulse" then "alsa" (device "default" when empty). Delivers s16 interleaved at `rate` / `channels`.
  bool open(const std::string& device, int rate, int channels, const std::atomic<bool>& cancel, std::string* error);
  // Appends captured samples; returns frames appended (0 on timeout), -1 on error.
  int read(std::vector<int16_t>& out, const std::atomic<bool>& cancel, std::string* error);
  int sampleRate() const;
  int channels() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace openlive::detail
