// The play side's audio stage (decode + render stages, driven by the render thread): takes the audio that is due
// from the jitter buffer, decodes it (AAC, MP3), changes its tempo when the clock runs faster or slower than 1x
// (pitch kept), applies volume and mute, and hands the PCM to the sink and the app's audio callback.
// Render thread only.
#pragma once

#include "decode/audio_decoder.h"
#include "jitter/jitter_buffer.h"
#include "render/audio_tempo.h"
#include "render/sinks.h"

#include <cstdint>
#include <functional>
#include <string>

namespace openlive::player {

class AudioStage {
 public:
  static constexpr int64_t kTooLateMs = 200;  // PCM that would be heard this late (after a stall) is skipped

  struct Listener {
    std::function<void()> onFirstSound;                     // 2026
    std::function<void(const std::string&)> onDecodeError;  // 2102
    std::function<void(const decode::PcmBlock&)> onPcm;     // the app's audio callback (as played)
    // Each AAC packet as it goes to the decoder; `discontinuity` after a skip, a flush or a new epoch.
    std::function<void(const demux::MediaPacket&, bool discontinuity)> onPacket;
  };
  AudioStage(render::AudioSink& sink, Listener listener) : sink_(sink), listener_(std::move(listener)) {}

  // Plays every packet due by nowMs + the sink's lead, at `speed`. volume 0..100.
  void play(jitter::JitterBuffer& buffer, int64_t nowMs, double speed, int volume);
  // Drops the audio due before `toMs` without playing it (a skip to the live edge); returns how many packets.
  uint64_t skipTo(jitter::JitterBuffer& buffer, int64_t toMs);
  void flush() {
    sink_.flush();
    gap_ = true;
  }
  void markGap() { gap_ = true; }  // the packets that follow do not continue the ones before (a new epoch)

  bool started() const { return started_; }
  int64_t lastPts() const { return lastPts_; }
  int sampleRate() const { return rate_; }
  int channels() const { return channels_; }

 private:
  void playPacket(demux::MediaPacket&& p, int64_t nowMs, double speed, int volume);
  render::AudioSink& sink_;
  Listener listener_;
  decode::AudioDecoder decoder_;
  render::AudioTempo tempo_;
  bool started_ = false;
  bool gap_ = true;  // the next packet follows a skip or a flush
  int64_t lastPts_ = 0;
  int rate_ = 0, channels_ = 0;
};

}  // namespace openlive::player
