#include "demux/flv_demuxer.h"

#include "common/sei_uuids.h"
#include "demux/flv_types.h"
#include "demux/sei.h"

#include <algorithm>
#include <cstring>

namespace openlive::demux {

int64_t TimestampUnwrapper::unwrap(uint32_t ts) {
  if (have_) {
    // A forward wrap: the new value is far below the last one (more than half the range).
    if (ts < last_ && last_ - ts > 0x80000000u) base_ += int64_t(1) << 32;
    // A late packet from before a wrap.
    else if (ts > last_ && ts - last_ > 0x80000000u && base_ > 0) return base_ - (int64_t(1) << 32) + ts;
  }
  have_ = true;
  last_ = ts;
  return base_ + ts;
}

std::shared_ptr<VideoConfig> parseAvcConfig(const uint8_t* p, size_t n) {
  // version(1) profile(1) compat(1) level(1) 0b111111xx lengthSizeMinusOne, 0b111xxxxx numSps, ...
  if (n < 7 || p[0] != 1) return nullptr;
  auto c = std::make_shared<VideoConfig>();
  c->profile = p[1];
  c->level = p[3];
  c->nalLengthSize = (p[4] & 3) + 1;
  if (c->nalLengthSize == 3) return nullptr;
  size_t off = 5;
  int numSps = p[off++] & 0x1f;
  if (numSps == 0) return nullptr;
  for (int i = 0; i < numSps; ++i) {
    if (off + 2 > n) return nullptr;
    size_t len = (size_t(p[off]) << 8) | p[off + 1];
    off += 2 + len;
    if (off > n) return nullptr;
  }
  if (off + 1 > n) return nullptr;
  int numPps = p[off++];
  for (int i = 0; i < numPps; ++i) {
    if (off + 2 > n) return nullptr;
    size_t len = (size_t(p[off]) << 8) | p[off + 1];
    off += 2 + len;
    if (off > n) return nullptr;
  }
  c->avcc.assign(p, p + n);
  return c;
}

std::shared_ptr<AudioConfig> parseAacConfig(const uint8_t* p, size_t n) {
  static const int kRates[] = {96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050,
                               16000, 12000, 11025, 8000,  7350};
  if (n < 2) return nullptr;
  auto c = std::make_shared<AudioConfig>();
  uint32_t bits = (uint32_t(p[0]) << 8) | p[1];
  c->objectType = int(bits >> 11);
  int idx = int((bits >> 7) & 0x0f);
  c->channels = int((bits >> 3) & 0x0f);
  if (c->objectType == 31 || c->objectType == 0) return nullptr;
  if (idx == 15) {
    if (n < 5) return nullptr;
    c->sampleRate = int(((p[1] & 0x7f) << 17) | (p[2] << 9) | (p[3] << 1) | (p[4] >> 7));
    c->channels = (p[4] >> 3) & 0x0f;
  } else if (idx < 13) {
    c->sampleRate = kRates[idx];
  } else {
    return nullptr;
  }
  if (c->sampleRate <= 0) return nullptr;
  c->asc.assign(p, p + n);
  return c;
}

void FlvDemuxer::reset() {
  videoTs_.reset();
  audioTs_.reset();
  video_.reset();
  audio_.reset();
  videoWithoutConfig_ = audioWithoutConfig_ = 0;
  reportedVideo_ = reportedAudio_ = false;
}

void FlvDemuxer::warn(const std::string& m) {
  if (cb_.onWarning) cb_.onWarning(m);
}

void FlvDemuxer::trackProblem(MediaPacket::Kind kind, const std::string& detail) {
  bool& reported = kind == MediaPacket::Kind::Video ? reportedVideo_ : reportedAudio_;
  if (reported) return;
  reported = true;
  warn(detail);
  if (cb_.onTrackProblem) cb_.onTrackProblem(kind, detail);
}

void FlvDemuxer::missingConfig(MediaPacket::Kind kind) {
  ++droppedBeforeConfig_;
  const bool video = kind == MediaPacket::Kind::Video;
  uint64_t& n = video ? videoWithoutConfig_ : audioWithoutConfig_;
  if (++n == kMissingConfigPackets)
    trackProblem(kind, std::string(video ? "no AVC sequence header" : "no AAC sequence header") + " after " +
                           std::to_string(n) + " " + (video ? "video" : "audio") + " packets; the track is not played");
}

void FlvDemuxer::pushTag(uint8_t type, uint32_t ts, const uint8_t* body, size_t size) {
  switch (type) {
    case uint8_t(FlvTagType::Audio): onAudio(ts, body, size); break;
    case uint8_t(FlvTagType::Video): onVideo(ts, body, size); break;
    case uint8_t(FlvTagType::Script): {
      std::string name;
      amf0::Value v;
      if (amf0::parseScriptTag(body, size, name, v)) {
        if (name == "onMetaData" && cb_.onMetadata) cb_.onMetadata(v);
      } else {
        ++malformed_;
        warn("FLV: malformed script tag");
      }
      break;
    }
    default: break;
  }
}

void FlvDemuxer::onVideo(uint32_t ts, const uint8_t* p, size_t n) {
  if (n < 1) return;
  int frameType = p[0] >> 4, codec = p[0] & 0x0f;
  if (frameType == int(FlvFrameType::InfoOrCommand)) return;
  if (codec != int(FlvVideoCodec::Avc)) {
    trackProblem(MediaPacket::Kind::Video, "unsupported video codec " + videoCodecName(codec));
    return;
  }
  if (n < 5) {
    ++malformed_;
    warn("FLV: truncated AVC tag");
    return;
  }
  int pktType = p[1];
  int32_t cts = int32_t((uint32_t(p[2]) << 16) | (uint32_t(p[3]) << 8) | p[4]);
  if (cts & 0x800000) cts -= 0x1000000;
  if (pktType == int(FlvAvcPacketType::SequenceHeader)) {
    auto c = parseAvcConfig(p + 5, n - 5);
    if (!c) {
      ++malformed_;
      warn("FLV: malformed AVC sequence header");
      return;
    }
    if (!video_ || video_->avcc != c->avcc) video_ = std::move(c);
    return;
  }
  if (pktType != int(FlvAvcPacketType::Nalu)) return;  // end of sequence
  int64_t dts = videoTs_.unwrap(ts);
  if (!video_) {
    missingConfig(MediaPacket::Kind::Video);
    return;
  }
  MediaPacket pkt;
  pkt.kind = MediaPacket::Kind::Video;
  pkt.dtsMs = dts;
  pkt.ptsMs = dts + cts;
  pkt.keyframe = frameType == int(FlvFrameType::Key);
  pkt.data.assign(p + 5, p + n);
  pkt.videoConfig = video_;
  for (auto& sei : parseSeiFromAvcc(pkt.data.data(), pkt.data.size(), video_->nalLengthSize)) {
    if (std::equal(sei.uuid.begin(), sei.uuid.end(), detail::kSeiUuidCaptureTime.begin()) &&
        sei.payload.size() >= 8) {
      int64_t ms = 0;
      for (int i = 0; i < 8; ++i) ms = (ms << 8) | sei.payload[i];
      pkt.captureTimeMs = ms;
    } else if (std::equal(sei.uuid.begin(), sei.uuid.end(), detail::kSeiUuidAppMessage.begin())) {
      if (cb_.onAppMessage) cb_.onAppMessage(std::move(sei.payload), pkt.ptsMs);
    }
  }
  if (cb_.onPacket) cb_.onPacket(std::move(pkt));
}

void FlvDemuxer::onAudio(uint32_t ts, const uint8_t* p, size_t n) {
  if (n < 1) return;
  const int format = p[0] >> 4;
  switch (static_cast<FlvSoundFormat>(format)) {
    case FlvSoundFormat::Aac: onAacTag(ts, p, n); return;
    case FlvSoundFormat::Mp3:
    case FlvSoundFormat::Mp3At8k: onMp3Tag(ts, p, n); return;
    default: trackProblem(MediaPacket::Kind::Audio, "unsupported audio format " + soundFormatName(format));
  }
}

void FlvDemuxer::onAacTag(uint32_t ts, const uint8_t* p, size_t n) {
  if (n < 2) {
    ++malformed_;
    return;
  }
  if (p[1] == uint8_t(FlvAacPacketType::SequenceHeader)) {
    auto c = parseAacConfig(p + 2, n - 2);
    if (!c) {
      ++malformed_;
      warn("FLV: malformed AAC sequence header");
      return;
    }
    if (c->channels == 0) c->channels = flvSoundChannels(p[0]);
    if (!audio_ || !audio_->sameAs(*c)) audio_ = std::move(c);
    return;
  }
  const int64_t dts = audioTs_.unwrap(ts);
  if (!audio_ || audio_->codec != AudioCodec::Aac) {
    missingConfig(MediaPacket::Kind::Audio);
    return;
  }
  emitAudio(dts, p + 2, n - 2);
}

void FlvDemuxer::onMp3Tag(uint32_t ts, const uint8_t* p, size_t n) {
  if (n < 2) {
    ++malformed_;
    return;
  }
  auto c = std::make_shared<AudioConfig>();
  c->codec = AudioCodec::Mp3;
  c->sampleRate = (p[0] >> 4) == int(FlvSoundFormat::Mp3At8k) ? 8000 : flvSoundRate(p[0]);
  c->channels = flvSoundChannels(p[0]);
  if (!audio_ || !audio_->sameAs(*c)) audio_ = std::move(c);
  emitAudio(audioTs_.unwrap(ts), p + 1, n - 1);
}

void FlvDemuxer::emitAudio(int64_t ts, const uint8_t* data, size_t n) {
  if (n == 0) return;
  MediaPacket pkt;
  pkt.kind = MediaPacket::Kind::Audio;
  pkt.dtsMs = pkt.ptsMs = ts;
  pkt.keyframe = true;
  pkt.data.assign(data, data + n);
  pkt.audioConfig = audio_;
  if (cb_.onPacket) cb_.onPacket(std::move(pkt));
}

}  // namespace openlive::demux
