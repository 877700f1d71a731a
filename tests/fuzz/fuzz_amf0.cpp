// Fuzzes the AMF0 reader used for onMetaData and other script data.
#include "demux/amf0.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string name;
  openlive::demux::amf0::Value value;
  openlive::demux::amf0::parseScriptTag(data, size, name, value);
  return 0;
}
