// Fuzzes one FLV tag body through the demuxer (the RTMP path hands it message bodies directly).
// First byte: tag type selector; next 4: timestamp; rest: body. Several tags per input, so configs persist.
#include "demux/flv_demuxer.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace openlive::demux;
  FlvDemuxer demuxer(FlvDemuxer::Callbacks{[](MediaPacket&&) {}, [](const amf0::Value&) {},
                                            [](std::vector<uint8_t>, int64_t) {}, [](const std::string&) {}});
  size_t off = 0;
  while (off + 7 <= size) {
    static const uint8_t kTypes[4] = {8, 9, 18, 9};
    uint8_t type = kTypes[data[off] & 3];
    uint32_t ts = uint32_t(data[off + 1]) << 24 | uint32_t(data[off + 2]) << 16 | uint32_t(data[off + 3]) << 8 | data[off + 4];
    size_t len = (size_t(data[off + 5]) << 8 | data[off + 6]);
    off += 7;
    len = std::min(len, size - off);
    demuxer.pushTag(type, ts, data + off, len);
    off += len;
  }
  return 0;
}
