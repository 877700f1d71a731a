// FLV tag bodies for RTMP publishing: AMF0 onMetaData, AVC sequence header (AVCDecoderConfigurationRecord),
// AAC AudioSpecificConfig, H.264 and AAC frames, and the H.264 SEI user-data messages of common/sei_uuids.h.
// Everything here is pure byte work (no I/O, no FFmpeg), unit-tested in tests/unit/test_flv_mux.cpp.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace openlive::detail {

using Bytes = std::vector<uint8_t>;

// ---- AMF0 ----
class Amf0Writer {
 public:
  void string(std::string_view s);  // type 0x02 (short string)
  void number(double v);            // type 0x00
  void boolean(bool v);             // type 0x01
  void beginEcmaArray(uint32_t count);  // type 0x08
  void key(std::string_view k);     // property name inside an object / ECMA array
  void endObject();                 // 00 00 09
  const Bytes& bytes() const { return b_; }

 private:
  Bytes b_;
};

struct StreamMetadata {
  int width = 0, height = 0;
  double fps = 0;
  int videoKbps = 0, audioKbps = 0;
  int audioSampleRate = 0, audioChannels = 0;
  bool hasVideo = true, hasAudio = true;
  std::string encoder = "OpenLive";
};
// "@setDataFrame" "onMetaData" {ECMA array}: the body of an RTMP data message (type 18).
Bytes buildMetadataBody(const StreamMetadata& m);

// ---- H.264 ----
// Splits an Annex B buffer into NAL units (without start codes).
std::vector<std::pair<const uint8_t*, size_t>> splitAnnexB(const uint8_t* data, size_t size);
// True for an access unit (Annex B) nothing refers to: its first slice has nal_ref_idc 0 (a disposable B-frame).
bool isNonReferenceAccessUnit(const uint8_t* data, size_t size);
// Annex B -> 4-byte length-prefixed NAL units (AVCC). Drops AUD NALs (type 9).
Bytes annexBToAvcc(const uint8_t* data, size_t size);
// AVCDecoderConfigurationRecord from SPS/PPS in Annex B (or returned as is when already a record). nullopt
// when no SPS or PPS is found.
std::optional<Bytes> buildAvcDecoderConfig(const uint8_t* extradata, size_t size);
// FLV VIDEODATA for AVC: [frame type | codec 7][AVCPacketType][composition time, 24-bit signed][payload]
Bytes videoSequenceHeaderBody(const Bytes& avcDecoderConfig);
Bytes videoFrameBody(const Bytes& avccPayload, bool keyframe, int32_t compositionTimeMs);

// A complete SEI NAL (header 0x06, payloadType 5 user_data_unregistered, uuid + data, emulation prevention,
// rbsp trailing bits), without start code or length prefix.
Bytes buildSeiUserDataNal(const std::array<uint8_t, 16>& uuid, const uint8_t* data, size_t size);
// Prepends NAL `nal` (4-byte length) to an AVCC payload.
void prependNal(Bytes& avccPayload, const Bytes& nal);
// The 8-byte big-endian ms payload of the capture-time SEI.
Bytes captureTimePayload(int64_t wallClockMs);

// ---- AAC ----
// FLV AUDIODATA for AAC: 0xAF, then 0 + AudioSpecificConfig (sequence header) or 1 + raw frame.
Bytes audioSequenceHeaderBody(const Bytes& audioSpecificConfig);
Bytes audioFrameBody(const uint8_t* data, size_t size);
// A 2-byte AAC-LC AudioSpecificConfig for `sampleRate` / `channels` (used when the encoder gave none).
Bytes makeAudioSpecificConfig(int sampleRate, int channels);

}  // namespace openlive::detail
