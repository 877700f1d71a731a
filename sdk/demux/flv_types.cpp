#include "demux/flv_types.h"

namespace openlive::demux {

std::string soundFormatName(int format) {
  const char* n = "unknown";
  switch (static_cast<FlvSoundFormat>(format)) {
    case FlvSoundFormat::PcmPlatform: n = "linear PCM, platform endian"; break;
    case FlvSoundFormat::Adpcm: n = "ADPCM"; break;
    case FlvSoundFormat::Mp3: n = "MP3"; break;
    case FlvSoundFormat::PcmLittleEndian: n = "linear PCM, little endian"; break;
    case FlvSoundFormat::Nellymoser16kMono: n = "Nellymoser 16 kHz mono"; break;
    case FlvSoundFormat::Nellymoser8kMono: n = "Nellymoser 8 kHz mono"; break;
    case FlvSoundFormat::Nellymoser: n = "Nellymoser"; break;
    case FlvSoundFormat::G711ALaw: n = "G.711 A-law"; break;
    case FlvSoundFormat::G711MuLaw: n = "G.711 mu-law"; break;
    case FlvSoundFormat::Aac: n = "AAC"; break;
    case FlvSoundFormat::Speex: n = "Speex"; break;
    case FlvSoundFormat::Mp3At8k: n = "MP3 8 kHz"; break;
    case FlvSoundFormat::DeviceSpecific: n = "device-specific"; break;
  }
  return std::string(n) + " (" + std::to_string(format) + ")";
}

std::string videoCodecName(int codec) {
  const char* n = "unknown";
  switch (static_cast<FlvVideoCodec>(codec)) {
    case FlvVideoCodec::SorensonH263: n = "Sorenson H.263"; break;
    case FlvVideoCodec::ScreenVideo: n = "Screen video"; break;
    case FlvVideoCodec::Vp6: n = "On2 VP6"; break;
    case FlvVideoCodec::Vp6Alpha: n = "On2 VP6 with alpha"; break;
    case FlvVideoCodec::ScreenVideo2: n = "Screen video 2"; break;
    case FlvVideoCodec::Avc: n = "H.264"; break;
    case FlvVideoCodec::Hevc: n = "HEVC"; break;
  }
  return std::string(n) + " (" + std::to_string(codec) + ")";
}

int flvSoundRate(uint8_t flags) {
  static const int kRates[] = {5512, 11025, 22050, 44100};
  return kRates[(flags >> 2) & 3];
}

}  // namespace openlive::demux
