// The audio pipeline of a publishing session: PCM (any rate / channel count) -> AAC -> packets into the
// interleaver, with the recording tap. Sources submit from their thread (capture) or the app's (custom PCM);
// one lock. An encoder error fails the session (PUSH_ERR_AUDIO_ENCODE_FAIL).
// Relaying (submitRelayed: AAC the app already has, LivePusher::sendEncodedAudio) bypasses the encoder when the
// frames have the stream's configuration: the encoder's buffered sound goes out first (flushed), then the
// relayed frames on the RelayTimeline shared with relayed video; the next PCM ends the relay with a fresh
// encoder (stamped from that PCM on). Audio timestamps never go back.
#pragma once

#include <openlive/result.h>
#include <openlive/types.h>

#include <atomic>
#include <climits>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "demux/media_packet.h"
#include "encode/audio_encoder.h"
#include "pusher/interleaver.h"
#include "pusher/push_events.h"
#include "pusher/push_recording.h"
#include "pusher/push_stats.h"
#include "pusher/relay_timeline.h"

namespace openlive::detail {

class AudioPipeline {
 public:
  struct Deps {
    Interleaver& out;
    PushEvents& events;
    PushStats& stats;
    RecordTap& record;
    RelayTimeline& relayTimeline;  // shared with the relayed video
  };
  AudioPipeline(AudioEncoderOptions options, Deps deps) : options_(options), d_(deps) {}

  // Opens the encoder; the AudioSpecificConfig is then known (asc()).
  bool open(std::string* error);
  const std::vector<uint8_t>& asc() const { return asc_; }
  const AudioEncoderOptions& options() const { return options_; }
  // Interleaved s16 PCM. The first call sets the time base: packets are stamped `firstPtsMs` + samples so far.
  bool submit(const int16_t* samples, int frames, int rate, int channels, int64_t firstPtsMs);
  // Relays one AAC frame arriving at `nowMs` (media clock). UnsupportedSampleRate when its AudioSpecificConfig
  // is not the stream's, NotReady when it would start before the sound already sent (dropped), InvalidArgument
  // without data or config, Failed once the pipeline ended.
  Result submitRelayed(const EncodedAudioPacket& packet, int64_t nowMs);
  bool relaying() const { return relaying_.load(); }
  // End of stream: what the encoder buffered goes out; the audio track ends there. Idempotent.
  void finish();

 private:
  void emit(std::vector<EncodedPacket>& packets, bool flushing);
  int64_t frameMsLocked() const;  // one AAC frame's duration
  bool sameConfigLocked(const EncodedAudioPacket& in);
  bool reopenLocked(std::string* error);  // a fresh encoder after a relay

  const AudioEncoderOptions options_;
  Deps d_;
  std::vector<uint8_t> asc_;  // immutable after open()
  std::mutex mu_;
  std::unique_ptr<AudioEncoder> encoder_ = std::make_unique<AudioEncoder>();  // guarded by mu_
  bool failed_ = false;                   // guarded by mu_
  int64_t lastPts_ = INT64_MIN;           // guarded by mu_: the last audio packet's
  int64_t lastEndMs_ = INT64_MIN;         // guarded by mu_: where the sound sent so far ends
  std::shared_ptr<const demux::AudioConfig> ascInfo_;  // asc_ parsed; immutable after open()
  std::vector<uint8_t> relayedConfig_;    // guarded by mu_: the last config a relayed frame brought ...
  bool relayedConfigIsOurs_ = false;      // guarded by mu_: ... and whether it describes asc_'s sound
  std::atomic<bool> finished_{false}, relaying_{false};
};

}  // namespace openlive::detail
