// Live device sources through libavdevice: V4L2 cameras, X11 screens (x11grab), PulseAudio / ALSA microphones.
// Reads block in the device until its next frame or audio fragment (no polling); a cancel request is seen by
// FFmpeg's interrupt callback while opening and at the next frame or fragment (a camera or screen delivers one
// every 1/fps, a microphone every few ms).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "capture/pulse_source_watch.h"
#include "capture/source.h"
#include "common/picture.h"

namespace openlive::detail {

class AvDeviceVideoSource final : public VideoSource {
 public:
  AvDeviceVideoSource();
  ~AvDeviceVideoSource();
  AvDeviceVideoSource(const AvDeviceVideoSource&) = delete;
  AvDeviceVideoSource& operator=(const AvDeviceVideoSource&) = delete;

  // format "v4l2" (device "/dev/videoN") or "x11grab" (device ":0.0+X,Y"). width/height/fps are requests.
  bool open(const std::string& format, const std::string& device, int width, int height, int fps,
            const std::atomic<bool>& cancel, std::string* error);
  // Next frame converted to I420 at its native size.
  SourceRead read(I420Image& out, const std::atomic<bool>& cancel, std::string* error) override;
  SourcePacing pacing() const override { return SourcePacing::Live; }
  double fps() const override { return fps_; }
  std::unique_ptr<VideoSource> reopen(const std::atomic<bool>& cancel, std::string* why) const override;
  bool isCamera() const override { return format_ == "v4l2"; }
  void release() override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  double fps_ = 0;
  std::string format_, device_;  // what open() was asked for (reopen)
  int width_ = 0, height_ = 0;
};

class AvDeviceAudioSource final : public AudioSource {
 public:
  AvDeviceAudioSource();
  ~AvDeviceAudioSource();
  AvDeviceAudioSource(const AvDeviceAudioSource&) = delete;
  AvDeviceAudioSource& operator=(const AvDeviceAudioSource&) = delete;

  // Tries "pulse" then "alsa" (device "default" when empty). Delivers s16 interleaved at `rate` / `channels`.
  bool open(const std::string& device, int rate, int channels, const std::atomic<bool>& cancel, std::string* error);
  // Appends what the next captured fragment holds (`frames` is not a limit here: a fragment is a few ms).
  SourceRead read(int frames, std::vector<int16_t>& out, const std::atomic<bool>& cancel, std::string* error) override;
  SourcePacing pacing() const override { return SourcePacing::Live; }
  int sampleRate() const override;
  int channels() const override;
  std::unique_ptr<AudioSource> reopen(const std::atomic<bool>& cancel, std::string* why) const override;
  bool isDevice() const override { return true; }
  void release() override;
  std::string deviceName() const override { return device_.empty() ? "default" : device_; }

 private:
  void watchPulseSource(const std::string& name);
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::string device_;
  std::unique_ptr<PulseSourceWatch> watch_;  // a named PulseAudio source: its removal fails read()
};

}  // namespace openlive::detail
