// Capture stage: the sources a pusher reads pictures and samples from.
//
// Pull-style sources (this interface) are read by a capture thread: read() blocks until the next frame or
// chunk arrives, the source ends, fails, or `cancel` is set (a stop request; honoured within ~50 ms). Push-style
// sources (the app's own frames, LivePusher::sendCustomVideoFrame / sendCustomPCM) hand their frames to the
// pipelines directly on the app's thread (sdk/pusher/app_sources.h).
//
// Pacing says how the capture thread times a source:
//   Live      the source delivers at its own rate (a camera, a microphone, a pipe, FIFO or stdin fed live):
//             each frame is stamped and encoded when it arrives, nothing waits for a tick;
//   Realtime  the source could deliver faster than real time (a test pattern, a tone, a regular file): the
//             capture thread reads each frame when it is due at the source's nominal rate (like ffmpeg -re).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/picture.h"

namespace openlive::detail {

enum class SourcePacing { Live, Realtime };
enum class SourceRead { Ok, End, Failed, Cancelled };

class VideoSource {
 public:
  virtual ~VideoSource() = default;
  // The next picture (any size; the pipeline scales it). `error` says why on Failed.
  virtual SourceRead read(I420Image& out, const std::atomic<bool>& cancel, std::string* error) = 0;
  virtual SourcePacing pacing() const = 0;
  virtual double fps() const = 0;  // nominal frame rate
  // A device (camera, screen) that failed: a fresh source on the same device, opened with the same request;
  // null while it cannot be opened (still unplugged) or for sources that are not devices (`why` says why).
  virtual std::unique_ptr<VideoSource> reopen(const std::atomic<bool>& cancel, std::string* why) const {
    if (why) *why = "not a device";
    return nullptr;
  }
  virtual bool isCamera() const { return false; }  // a camera, whose loss the capture survives (reopen)
  virtual void release() {}  // a lost camera: closes it now, keeping what reopen() needs
};

class AudioSource {
 public:
  virtual ~AudioSource() = default;
  // Appends interleaved s16 samples to `out`: exactly `frames` sample frames for a Realtime source, what has
  // arrived (at most `frames`, at least one) for a Live one. `error` says why on Failed.
  virtual SourceRead read(int frames, std::vector<int16_t>& out, const std::atomic<bool>& cancel,
                          std::string* error) = 0;
  virtual SourcePacing pacing() const = 0;
  virtual int sampleRate() const = 0;
  virtual int channels() const = 0;
  // A microphone that failed: a fresh source on the same device at the same format; null while it cannot be
  // opened (still unplugged) or for sources that are not devices.
  virtual std::unique_ptr<AudioSource> reopen(const std::atomic<bool>& cancel, std::string* why) const {
    if (why) *why = "not a device";
    return nullptr;
  }
  virtual bool isDevice() const { return false; }  // a microphone, whose loss the capture survives (reopen)
  // A lost device: closes it now (PulseAudio has moved its stream to another microphone), keeping what
  // reopen() needs.
  virtual void release() {}
  virtual std::string deviceName() const { return {}; }
};

}  // namespace openlive::detail
