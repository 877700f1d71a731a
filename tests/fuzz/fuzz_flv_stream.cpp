// Fuzzes the HTTP-FLV byte-stream path: FlvStreamParser (header, tags, resync) feeding the FlvDemuxer (codec
// configs, NALUs, SEI, timestamps). Input is split into chunks at positions taken from the data itself so
// partial reads are exercised too.
#include "demux/flv_demuxer.h"
#include "demux/flv_parser.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace openlive::demux;
  FlvDemuxer demuxer(FlvDemuxer::Callbacks{[](MediaPacket&&) {}, [](const amf0::Value&) {},
                                            [](std::vector<uint8_t>, int64_t) {}, [](const std::string&) {}});
  FlvStreamParser parser([&](uint8_t type, uint32_t ts, const uint8_t* body, size_t n) { demuxer.pushTag(type, ts, body, n); },
                         [](const std::string&) {});
  size_t off = 0;
  size_t step = size ? (data[0] % 97) + 1 : 1;
  while (off < size) {
    size_t n = std::min(step, size - off);
    parser.feed(data + off, n);
    off += n;
    step = (step * 7 + 13) % 4099 + 1;
  }
  return 0;
}
