#include "transport/rtmp_aggregate.h"

namespace openlive::transport {
namespace {
constexpr size_t kTagHeaderBytes = 11;
constexpr size_t kBackPointerBytes = 4;
}  // namespace

size_t unpackAggregate(const uint8_t* d, size_t n, uint32_t timestamp, uint32_t streamId,
                       const std::function<void(RtmpMessage&&)>& out) {
  size_t off = 0, delivered = 0;
  uint32_t base = 0;
  bool first = true;
  while (d && off + kTagHeaderBytes <= n) {
    const uint8_t type = d[off];
    const size_t size = (size_t(d[off + 1]) << 16) | (size_t(d[off + 2]) << 8) | d[off + 3];
    const uint32_t ts =
        (uint32_t(d[off + 7]) << 24) | (uint32_t(d[off + 4]) << 16) | (uint32_t(d[off + 5]) << 8) | d[off + 6];
    if (size > n - off - kTagHeaderBytes) break;
    if (first) {
      base = ts;
      first = false;
    }
    if (isMediaType(type)) {
      RtmpMessage m;
      m.type = type;
      m.timestamp = timestamp + (ts - base);
      m.streamId = streamId;
      m.body.assign(d + off + kTagHeaderBytes, d + off + kTagHeaderBytes + size);
      out(std::move(m));
      ++delivered;
    }
    off += kTagHeaderBytes + size + kBackPointerBytes;
  }
  return delivered;
}

}  // namespace openlive::transport
