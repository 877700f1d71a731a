// Fuzzes SEI parsing: a raw SEI NAL, AVCC-framed access units with each NAL length size, and RBSP unescaping.
#include "demux/sei.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace openlive::demux;
  (void)parseSeiNal(data, size);
  for (int lengthSize : {1, 2, 4}) (void)parseSeiFromAvcc(data, size, lengthSize);
  (void)unescapeRbsp(data, size);
  return 0;
}
