#include "pusher/audio_pipeline.h"

#include "mux/flv_mux.h"

namespace openlive::detail {

bool AudioPipeline::open(std::string* error) {
  std::lock_guard lk(mu_);
  if (!encoder_.open(options_, error)) return false;
  asc_ = encoder_.extradata();
  if (asc_.empty()) asc_ = makeAudioSpecificConfig(options_.sampleRate, options_.channels);
  return true;
}

void AudioPipeline::emit(std::vector<EncodedPacket>& packets, bool flushing) {
  for (auto& p : packets) {
    d_.record.audio(p);
    d_.stats.addAudio(p.data.size());
    d_.out.push(std::move(p), flushing);
  }
  packets.clear();
}

bool AudioPipeline::submit(const int16_t* samples, int frames, int rate, int channels, int64_t firstPtsMs) {
  std::lock_guard lk(mu_);
  if (failed_ || finished_) return false;
  std::vector<EncodedPacket> out;
  std::string err;
  if (!encoder_.encode(samples, frames, rate, channels, firstPtsMs, out, &err)) {
    failed_ = true;
    d_.events.fatal(EventCode::PUSH_ERR_AUDIO_ENCODE_FAIL, "audio encoding failed: " + err);
    return false;
  }
  emit(out, false);
  return true;
}

void AudioPipeline::finish() {
  std::lock_guard lk(mu_);
  if (finished_.exchange(true)) return;
  if (!failed_ && encoder_.isOpen()) {
    std::vector<EncodedPacket> out;
    encoder_.flush(out);
    emit(out, true);
  }
  d_.out.endTrack(EncodedPacket::Kind::Audio);
}

}  // namespace openlive::detail
