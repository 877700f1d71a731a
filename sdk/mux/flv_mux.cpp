#include "mux/flv_mux.h"

#include <cstring>

namespace openlive::detail {
namespace {
void put16(Bytes& b, uint32_t v) {
  b.push_back(static_cast<uint8_t>(v >> 8));
  b.push_back(static_cast<uint8_t>(v));
}
void put24(Bytes& b, uint32_t v) {
  b.push_back(static_cast<uint8_t>(v >> 16));
  put16(b, v);
}
void put32(Bytes& b, uint32_t v) {
  b.push_back(static_cast<uint8_t>(v >> 24));
  put24(b, v);
}
}  // namespace

void Amf0Writer::string(std::string_view s) {
  b_.push_back(0x02);
  put16(b_, static_cast<uint32_t>(s.size()));
  b_.insert(b_.end(), s.begin(), s.end());
}
void Amf0Writer::number(double v) {
  b_.push_back(0x00);
  uint64_t bits;
  std::memcpy(&bits, &v, 8);
  for (int i = 7; i >= 0; --i) b_.push_back(static_cast<uint8_t>(bits >> (8 * i)));
}
void Amf0Writer::boolean(bool v) {
  b_.push_back(0x01);
  b_.push_back(v ? 1 : 0);
}
void Amf0Writer::beginEcmaArray(uint32_t count) {
  b_.push_back(0x08);
  put32(b_, count);
}
void Amf0Writer::key(std::string_view k) {
  put16(b_, static_cast<uint32_t>(k.size()));
  b_.insert(b_.end(), k.begin(), k.end());
}
void Amf0Writer::endObject() { put24(b_, 0x000009); }

Bytes buildMetadataBody(const StreamMetadata& m) {
  Amf0Writer w;
  w.string("@setDataFrame");
  w.string("onMetaData");
  uint32_t count = 2 + (m.hasVideo ? 5 : 0) + (m.hasAudio ? 5 : 0);
  w.beginEcmaArray(count);
  w.key("duration");
  w.number(0);
  if (m.hasVideo) {
    w.key("width");
    w.number(m.width);
    w.key("height");
    w.number(m.height);
    w.key("framerate");
    w.number(m.fps);
    w.key("videodatarate");
    w.number(m.videoKbps);
    w.key("videocodecid");
    w.number(7);
  }
  if (m.hasAudio) {
    w.key("audiodatarate");
    w.number(m.audioKbps);
    w.key("audiosamplerate");
    w.number(m.audioSampleRate);
    w.key("audiosamplesize");
    w.number(16);
    w.key("stereo");
    w.boolean(m.audioChannels > 1);
    w.key("audiocodecid");
    w.number(10);
  }
  w.key("encoder");
  w.string(m.encoder);
  w.endObject();
  return w.bytes();
}

std::vector<std::pair<const uint8_t*, size_t>> splitAnnexB(const uint8_t* d, size_t n) {
  std::vector<std::pair<const uint8_t*, size_t>> out;
  size_t i = 0, start = SIZE_MAX;
  while (i + 3 <= n) {
    if (d[i] == 0 && d[i + 1] == 0 && (d[i + 2] == 1 || (i + 4 <= n && d[i + 2] == 0 && d[i + 3] == 1))) {
      size_t sc = d[i + 2] == 1 ? 3 : 4;
      if (start != SIZE_MAX) {
        size_t end = i;
        while (end > start && d[end - 1] == 0) --end;  // trailing_zero_8bits
        if (end > start) out.emplace_back(d + start, end - start);
      }
      i += sc;
      start = i;
    } else {
      ++i;
    }
  }
  if (start != SIZE_MAX && start < n) {
    size_t end = n;
    while (end > start && d[end - 1] == 0) --end;
    if (end > start) out.emplace_back(d + start, end - start);
  }
  return out;
}

bool isNonReferenceAccessUnit(const uint8_t* au, size_t n) {
  for (size_t i = 0; i + 3 < n; ++i) {
    if (au[i] != 0 || au[i + 1] != 0) continue;
    const size_t h = au[i + 2] == 1 ? i + 3 : (au[i + 2] == 0 && au[i + 3] == 1 ? i + 4 : 0);
    if (h == 0 || h >= n) continue;
    const int type = au[h] & 0x1f;
    if (type == 1 || type == 5) return ((au[h] >> 5) & 3) == 0;
    i = h;
  }
  return false;
}

Bytes annexBToAvcc(const uint8_t* data, size_t size) {
  Bytes out;
  out.reserve(size + 16);
  for (auto [p, len] : splitAnnexB(data, size)) {
    if ((p[0] & 0x1f) == 9) continue;  // access unit delimiter: not wanted in FLV
    put32(out, static_cast<uint32_t>(len));
    out.insert(out.end(), p, p + len);
  }
  return out;
}

std::optional<Bytes> buildAvcDecoderConfig(const uint8_t* extradata, size_t size) {
  if (size >= 7 && extradata[0] == 1) return Bytes(extradata, extradata + size);
  std::vector<std::pair<const uint8_t*, size_t>> sps, pps;
  for (auto nal : splitAnnexB(extradata, size)) {
    int type = nal.first[0] & 0x1f;
    if (type == 7 && nal.second >= 4) sps.push_back(nal);
    if (type == 8) pps.push_back(nal);
  }
  if (sps.empty() || pps.empty()) return std::nullopt;
  Bytes b;
  b.push_back(1);
  b.push_back(sps[0].first[1]);  // profile_idc
  b.push_back(sps[0].first[2]);  // constraint flags
  b.push_back(sps[0].first[3]);  // level_idc
  b.push_back(0xFF);             // 6 bits reserved + lengthSizeMinusOne = 3
  b.push_back(static_cast<uint8_t>(0xE0 | sps.size()));
  for (auto [p, len] : sps) {
    put16(b, static_cast<uint32_t>(len));
    b.insert(b.end(), p, p + len);
  }
  b.push_back(static_cast<uint8_t>(pps.size()));
  for (auto [p, len] : pps) {
    put16(b, static_cast<uint32_t>(len));
    b.insert(b.end(), p, p + len);
  }
  const int profile = sps[0].first[1];
  if (profile == 100 || profile == 110 || profile == 122 || profile == 144) {
    // High profiles: chroma_format_idc 1 (4:2:0), 8-bit, no SPS extensions.
    b.push_back(0xFC | 1);
    b.push_back(0xF8 | 0);
    b.push_back(0xF8 | 0);
    b.push_back(0);
  }
  return b;
}

Bytes videoSequenceHeaderBody(const Bytes& cfg) {
  Bytes b{0x17, 0x00, 0x00, 0x00, 0x00};
  b.insert(b.end(), cfg.begin(), cfg.end());
  return b;
}

Bytes videoFrameBody(const Bytes& avcc, bool keyframe, int32_t cts) {
  Bytes b;
  b.reserve(avcc.size() + 5);
  b.push_back(keyframe ? 0x17 : 0x27);
  b.push_back(0x01);
  put24(b, static_cast<uint32_t>(cts) & 0xFFFFFF);
  b.insert(b.end(), avcc.begin(), avcc.end());
  return b;
}

Bytes buildSeiUserDataNal(const std::array<uint8_t, 16>& uuid, const uint8_t* data, size_t size) {
  Bytes rbsp;
  rbsp.push_back(5);  // payloadType user_data_unregistered
  size_t payloadSize = 16 + size;
  while (payloadSize >= 255) {
    rbsp.push_back(0xFF);
    payloadSize -= 255;
  }
  rbsp.push_back(static_cast<uint8_t>(payloadSize));
  rbsp.insert(rbsp.end(), uuid.begin(), uuid.end());
  rbsp.insert(rbsp.end(), data, data + size);
  rbsp.push_back(0x80);  // rbsp_stop_one_bit + alignment
  Bytes nal{0x06};
  int zeros = 0;
  for (uint8_t v : rbsp) {
    if (zeros >= 2 && v <= 3) {
      nal.push_back(0x03);  // emulation_prevention_three_byte
      zeros = 0;
    }
    nal.push_back(v);
    zeros = v == 0 ? zeros + 1 : 0;
  }
  return nal;
}

void prependNal(Bytes& avcc, const Bytes& nal) {
  Bytes head;
  head.reserve(4 + nal.size());
  put32(head, static_cast<uint32_t>(nal.size()));
  head.insert(head.end(), nal.begin(), nal.end());
  avcc.insert(avcc.begin(), head.begin(), head.end());
}

Bytes captureTimePayload(int64_t ms) {
  Bytes b(8);
  for (int i = 0; i < 8; ++i) b[i] = static_cast<uint8_t>(static_cast<uint64_t>(ms) >> (56 - 8 * i));
  return b;
}

Bytes audioSequenceHeaderBody(const Bytes& asc) {
  Bytes b{0xAF, 0x00};
  b.insert(b.end(), asc.begin(), asc.end());
  return b;
}

Bytes audioFrameBody(const uint8_t* data, size_t size) {
  Bytes b{0xAF, 0x01};
  b.insert(b.end(), data, data + size);
  return b;
}

Bytes makeAudioSpecificConfig(int sampleRate, int channels) {
  static const int kRates[] = {96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350};
  int idx = 4;
  for (int i = 0; i < 13; ++i)
    if (kRates[i] == sampleRate) idx = i;
  const int aot = 2;  // AAC-LC
  return Bytes{static_cast<uint8_t>((aot << 3) | (idx >> 1)), static_cast<uint8_t>(((idx & 1) << 7) | (channels << 3))};
}

}  // namespace openlive::detail
