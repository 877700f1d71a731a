// The audio pipeline of a publishing session: PCM (any rate / channel count) -> AAC -> packets into the
// interleaver, with the recording tap. Sources submit from their thread (capture) or the app's (custom PCM);
// one lock. An encoder error fails the session (PUSH_ERR_AUDIO_ENCODE_FAIL).
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "encode/audio_encoder.h"
#include "pusher/interleaver.h"
#include "pusher/push_events.h"
#include "pusher/push_recording.h"
#include "pusher/push_stats.h"

namespace openlive::detail {

class AudioPipeline {
 public:
  struct Deps {
    Interleaver& out;
    PushEvents& events;
    PushStats& stats;
    RecordTap& record;
  };
  AudioPipeline(AudioEncoderOptions options, Deps deps) : options_(options), d_(deps) {}

  // Opens the encoder; the AudioSpecificConfig is then known (asc()).
  bool open(std::string* error);
  const std::vector<uint8_t>& asc() const { return asc_; }
  const AudioEncoderOptions& options() const { return options_; }
  // Interleaved s16 PCM. The first call sets the time base: packets are stamped `firstPtsMs` + samples so far.
  bool submit(const int16_t* samples, int frames, int rate, int channels, int64_t firstPtsMs);
  // End of stream: what the encoder buffered goes out; the audio track ends there. Idempotent.
  void finish();

 private:
  void emit(std::vector<EncodedPacket>& packets, bool flushing);

  const AudioEncoderOptions options_;
  Deps d_;
  std::vector<uint8_t> asc_;  // immutable after open()
  std::mutex mu_;
  AudioEncoder encoder_;  // guarded by mu_
  bool failed_ = false;   // guarded by mu_
  std::atomic<bool> finished_{false};
};

}  // namespace openlive::detail
