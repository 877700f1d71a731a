#include "player/audio_stage.h"

namespace openlive::player {

void AudioStage::play(jitter::JitterBuffer& buffer, int64_t nowMs, double speed, int volume) {
  while (auto p = buffer.popIfDue(demux::MediaPacket::Kind::Audio, nowMs + sink_.leadMs()))
    playPacket(std::move(*p), nowMs, speed, volume);
}

uint64_t AudioStage::skipTo(jitter::JitterBuffer& buffer, int64_t toMs) {
  uint64_t n = 0;
  while (buffer.popIfDue(demux::MediaPacket::Kind::Audio, toMs)) ++n;
  flush();
  return n;
}

void AudioStage::playPacket(demux::MediaPacket&& p, int64_t nowMs, double speed, int volume) {
  if (listener_.onPacket && p.audioConfig && p.audioConfig->codec == demux::AudioCodec::Aac) {
    listener_.onPacket(p, gap_);
    gap_ = false;
  }
  auto r = decoder_.decode(p);
  if (r.failed && listener_.onDecodeError) listener_.onDecodeError(r.error);
  for (auto& b : r.blocks) {
    if (b.ptsMs + b.durationMs() < nowMs - kTooLateMs) continue;
    lastPts_ = b.ptsMs;
    rate_ = b.sampleRate;
    channels_ = b.channels;
    for (auto& out : tempo_.process(std::move(b), speed)) {
      if (volume != 100)
        for (auto& x : out.samples) x = static_cast<int16_t>(int(x) * volume / 100);
      sink_.play(out);
      if (!started_) {
        started_ = true;
        if (listener_.onFirstSound) listener_.onFirstSound();
      }
      if (listener_.onPcm) listener_.onPcm(out);
    }
  }
}

}  // namespace openlive::player
