// FLV vocabulary (demux stage): tag types, sound formats and video codec ids as named values, with the names
// used in warnings. One place for the numbers of the FLV specification (v10.1, E.4).
#pragma once

#include <cstdint>
#include <string>

namespace openlive::demux {

enum class FlvTagType : uint8_t { Audio = 8, Video = 9, Script = 18 };

// SoundFormat, the upper 4 bits of an audio tag's first byte.
enum class FlvSoundFormat : uint8_t {
  PcmPlatform = 0,
  Adpcm = 1,
  Mp3 = 2,
  PcmLittleEndian = 3,
  Nellymoser16kMono = 4,
  Nellymoser8kMono = 5,
  Nellymoser = 6,
  G711ALaw = 7,
  G711MuLaw = 8,
  Aac = 10,
  Speex = 11,
  Mp3At8k = 14,
  DeviceSpecific = 15,
};

// CodecID, the lower 4 bits of a video tag's first byte.
enum class FlvVideoCodec : uint8_t {
  SorensonH263 = 2,
  ScreenVideo = 3,
  Vp6 = 4,
  Vp6Alpha = 5,
  ScreenVideo2 = 6,
  Avc = 7,
  Hevc = 12,  // not in the specification; the common "enhanced" extension
};

// FrameType, the upper 4 bits of a video tag's first byte.
enum class FlvFrameType : uint8_t { Key = 1, Inter = 2, DisposableInter = 3, Generated = 4, InfoOrCommand = 5 };

// AVCPacketType / AACPacketType (the byte after the flags).
enum class FlvAvcPacketType : uint8_t { SequenceHeader = 0, Nalu = 1, EndOfSequence = 2 };
enum class FlvAacPacketType : uint8_t { SequenceHeader = 0, Raw = 1 };

std::string soundFormatName(int format);  // "Speex (11)", "unknown (9)"
std::string videoCodecName(int codec);    // "VP6 (4)"

// SoundRate (bits 2-3) for formats that use it (MP3, PCM): 5.5 / 11 / 22 / 44 kHz.
int flvSoundRate(uint8_t flags);
// SoundType (bit 0): 1 mono, 2 stereo.
inline int flvSoundChannels(uint8_t flags) { return (flags & 1) ? 2 : 1; }

}  // namespace openlive::demux
