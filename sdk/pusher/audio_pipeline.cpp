#include "pusher/audio_pipeline.h"

#include "common/logging.h"
#include "demux/flv_demuxer.h"
#include "mux/flv_mux.h"

#include <algorithm>

namespace openlive::detail {

bool AudioPipeline::open(std::string* error) {
  std::lock_guard lk(mu_);
  if (!encoder_->open(options_, error)) return false;
  asc_ = encoder_->extradata();
  if (asc_.empty()) asc_ = makeAudioSpecificConfig(options_.sampleRate, options_.channels);
  ascInfo_ = demux::parseAacConfig(asc_.data(), asc_.size());
  return true;
}

int64_t AudioPipeline::frameMsLocked() const {
  return int64_t(encoder_->frameSize() > 0 ? encoder_->frameSize() : 1024) * 1000 / options_.sampleRate;
}

void AudioPipeline::emit(std::vector<EncodedPacket>& packets, bool flushing) {
  const int64_t frameMs = frameMsLocked();
  for (auto& p : packets) {
    if (lastPts_ != INT64_MIN && p.dtsMs <= lastPts_) p.ptsMs = p.dtsMs = lastPts_ + 1;  // never back
    lastPts_ = p.dtsMs;
    lastEndMs_ = std::max(lastEndMs_, p.dtsMs + frameMs);
    d_.record.audio(p);
    d_.stats.addAudio(p.data.size());
    d_.out.push(std::move(p), flushing);
  }
  packets.clear();
}

bool AudioPipeline::reopenLocked(std::string* error) {
  auto fresh = std::make_unique<AudioEncoder>();
  if (!fresh->open(options_, error)) return false;
  encoder_ = std::move(fresh);
  relaying_ = false;
  OL_LOGI("push", "audio relay ended: encoding again");
  return true;
}

bool AudioPipeline::submit(const int16_t* samples, int frames, int rate, int channels, int64_t firstPtsMs) {
  std::lock_guard lk(mu_);
  if (failed_ || finished_) return false;
  std::vector<EncodedPacket> out;
  std::string err;
  if ((relaying_ && !reopenLocked(&err)) || !encoder_->encode(samples, frames, rate, channels, firstPtsMs, out, &err)) {
    failed_ = true;
    d_.events.fatal(EventCode::PUSH_ERR_AUDIO_ENCODE_FAIL, "audio encoding failed: " + err);
    return false;
  }
  emit(out, false);
  return true;
}

bool AudioPipeline::sameConfigLocked(const EncodedAudioPacket& in) {
  if (relayedConfig_.size() == in.configSize && std::equal(relayedConfig_.begin(), relayedConfig_.end(), in.config))
    return relayedConfigIsOurs_;  // the source's config seldom changes: parsed once per change
  relayedConfig_.assign(in.config, in.config + in.configSize);
  const auto theirs = demux::parseAacConfig(in.config, in.configSize);
  relayedConfigIsOurs_ = theirs && ascInfo_ && theirs->objectType == ascInfo_->objectType &&
                         theirs->sampleRate == ascInfo_->sampleRate && theirs->channels == ascInfo_->channels;
  return relayedConfigIsOurs_;
}

Result AudioPipeline::submitRelayed(const EncodedAudioPacket& in, int64_t nowMs) {
  if (!in.data || in.size == 0 || !in.config || in.configSize == 0)
    return Result::failure(ResultCode::InvalidArgument, "an AAC frame needs its data and AudioSpecificConfig");
  std::lock_guard lk(mu_);
  if (failed_ || finished_) return Result::failure(ResultCode::Failed, "the audio pipeline has ended");
  if (!sameConfigLocked(in))
    return Result::failure(ResultCode::UnsupportedSampleRate, "the AAC configuration is not the stream's: send PCM");
  const int64_t src = in.pts.count();
  const int64_t mediaMs = src + d_.relayTimeline.offsetFor(RelayTimeline::Track::Audio, src, nowMs, true);
  if (!relaying_) {  // the encoder's buffered sound goes first; the next PCM reopens it
    std::vector<EncodedPacket> out;
    encoder_->flush(out);
    emit(out, false);
    relaying_ = true;
    OL_LOGI("push", "relaying the app's AAC without re-encoding");
  }
  if (lastEndMs_ != INT64_MIN && mediaMs < lastEndMs_ - frameMsLocked() / 2)
    return Result::failure(ResultCode::NotReady, "this sound starts before the sound already sent");
  std::vector<EncodedPacket> out(1);
  out[0].kind = EncodedPacket::Kind::Audio;
  out[0].data.assign(in.data, in.data + in.size);
  out[0].ptsMs = out[0].dtsMs = mediaMs;
  out[0].keyframe = true;
  emit(out, false);
  return Result::success();
}

void AudioPipeline::finish() {
  std::lock_guard lk(mu_);
  if (finished_.exchange(true)) return;
  if (!failed_ && !relaying_ && encoder_->isOpen()) {
    std::vector<EncodedPacket> out;
    encoder_->flush(out);
    emit(out, true);
  }
  d_.out.endTrack(EncodedPacket::Kind::Audio);
}

}  // namespace openlive::detail
