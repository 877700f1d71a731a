// Fuzzes the AVCDecoderConfigurationRecord and AAC AudioSpecificConfig parsers.
#include "demux/flv_demuxer.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto v = openlive::demux::parseAvcConfig(data, size);
  auto a = openlive::demux::parseAacConfig(data, size);
  (void)v;
  (void)a;
  return 0;
}
