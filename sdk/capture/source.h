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
};

}  // namespace openlive::detail
