// Walking AVCC (length-prefixed) H.264 access units, as FLV carries them (demux stage).
#pragma once

#include <cstddef>
#include <cstdint>

namespace openlive::demux {

// Calls fn(nal, size) for each NAL unit (header byte first) until fn returns false or a length is
// inconsistent (zero, or past the end). nalLengthSize outside 1..4 walks nothing.
template <class Fn>
void forEachAvccNal(const uint8_t* data, size_t size, int nalLengthSize, Fn&& fn) {
  if (nalLengthSize < 1 || nalLengthSize > 4) return;
  size_t p = 0;
  while (p + size_t(nalLengthSize) <= size) {
    size_t len = 0;
    for (int i = 0; i < nalLengthSize; ++i) len = (len << 8) | data[p + size_t(i)];
    p += size_t(nalLengthSize);
    if (len == 0 || len > size - p) return;
    if (!fn(data + p, len)) return;
    p += len;
  }
}

// nal_unit_type of an H.264 NAL header byte.
inline int nalType(uint8_t header) { return header & 0x1f; }
inline constexpr int kNalIdrSlice = 5;
inline constexpr int kNalSei = 6;

// True when the access unit holds an IDR slice (an instantaneous decoding refresh: no later picture refers to,
// or is output before, any picture before it).
inline bool hasIdrSlice(const uint8_t* data, size_t size, int nalLengthSize) {
  bool idr = false;
  forEachAvccNal(data, size, nalLengthSize, [&](const uint8_t* nal, size_t) {
    idr = nalType(nal[0]) == kNalIdrSlice;
    return !idr;
  });
  return idr;
}

}  // namespace openlive::demux
