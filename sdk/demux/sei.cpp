#include "demux/sei.h"
#include "demux/avcc_nal.h"

#include <cstring>

namespace openlive::demux {

std::vector<uint8_t> unescapeRbsp(const uint8_t* data, size_t size) {
  std::vector<uint8_t> out;
  out.reserve(size);
  int zeros = 0;
  for (size_t i = 0; i < size; ++i) {
    uint8_t b = data[i];
    if (zeros >= 2 && b == 0x03) {
      zeros = 0;
      continue;
    }
    zeros = b == 0 ? zeros + 1 : 0;
    out.push_back(b);
  }
  return out;
}

std::vector<SeiUserData> parseSeiNal(const uint8_t* nal, size_t size) {
  std::vector<SeiUserData> out;
  if (size < 2 || nalType(nal[0]) != kNalSei) return out;
  std::vector<uint8_t> rbsp = unescapeRbsp(nal + 1, size - 1);
  size_t p = 0, n = rbsp.size();
  while (p < n) {
    if (rbsp[p] == 0x80 && p + 1 == n) break;  // rbsp trailing bits
    size_t type = 0, len = 0;
    while (p < n && rbsp[p] == 0xff) type += 255, ++p;
    if (p >= n) break;
    type += rbsp[p++];
    while (p < n && rbsp[p] == 0xff) len += 255, ++p;
    if (p >= n) break;
    len += rbsp[p++];
    if (len > n - p) break;
    if (type == 5 && len >= 16) {
      SeiUserData d;
      std::memcpy(d.uuid.data(), rbsp.data() + p, 16);
      d.payload.assign(rbsp.begin() + static_cast<std::ptrdiff_t>(p + 16),
                       rbsp.begin() + static_cast<std::ptrdiff_t>(p + len));
      out.push_back(std::move(d));
    }
    p += len;
  }
  return out;
}

std::vector<SeiUserData> parseSeiFromAvcc(const uint8_t* data, size_t size, int nalLengthSize) {
  std::vector<SeiUserData> out;
  forEachAvccNal(data, size, nalLengthSize, [&](const uint8_t* nal, size_t len) {
    if (nalType(nal[0]) == kNalSei)
      for (auto& m : parseSeiNal(nal, len)) out.push_back(std::move(m));
    return true;
  });
  return out;
}

}  // namespace openlive::demux
