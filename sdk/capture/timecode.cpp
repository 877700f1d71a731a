#include "capture/timecode.h"

#include <algorithm>
#include <cstring>

namespace openlive::detail {
namespace {

constexpr uint8_t kSync = 0xB2;
constexpr uint8_t kBlack = 16;
constexpr uint8_t kWhite = 235;

int cellWidth(int width) { return std::max(4, width / kTimecodeColumns); }
int cellHeight(int width) { return std::max(8, cellWidth(width)); }
bool fits(int width, int height) {
  return width >= 128 && height >= 32 && cellWidth(width) * kTimecodeColumns <= width &&
         cellHeight(width) * kTimecodeRows <= height;
}

}  // namespace

uint8_t crc8(const uint8_t* data, int size) {
  uint8_t crc = 0;
  for (int i = 0; i < size; ++i) {
    crc ^= data[i];
    for (int b = 0; b < 8; ++b) crc = static_cast<uint8_t>((crc & 0x80) ? (crc << 1) ^ 0x07 : crc << 1);
  }
  return crc;
}

int timecodeBandHeight(int width) { return cellHeight(width) * kTimecodeRows; }

void stampTimecode(uint8_t* y, int strideY, int width, int height, int64_t wallClockMs) {
  if (!y || !fits(width, height)) return;
  uint8_t bytes[8];
  bytes[0] = kSync;
  for (int i = 0; i < 6; ++i) bytes[1 + i] = static_cast<uint8_t>(static_cast<uint64_t>(wallClockMs) >> (40 - 8 * i));
  bytes[7] = crc8(bytes + 1, 6);
  const int cw = cellWidth(width), ch = cellHeight(width);
  for (int bit = 0; bit < 64; ++bit) {
    const bool one = (bytes[bit / 8] >> (7 - bit % 8)) & 1;
    const int cx = (bit % kTimecodeColumns) * cw, cy = (bit / kTimecodeColumns) * ch;
    for (int r = 0; r < ch; ++r) std::memset(y + static_cast<ptrdiff_t>(cy + r) * strideY + cx, one ? kWhite : kBlack, cw);
  }
}

std::optional<int64_t> readTimecode(const uint8_t* y, int strideY, int width, int height) {
  if (!y || !fits(width, height)) return std::nullopt;
  const int cw = cellWidth(width), ch = cellHeight(width);
  uint8_t bytes[8] = {};
  for (int bit = 0; bit < 64; ++bit) {
    const int cx = (bit % kTimecodeColumns) * cw, cy = (bit / kTimecodeColumns) * ch;
    int sum = 0, n = 0;
    for (int r = cy + ch / 4; r < cy + ch - ch / 4; ++r)
      for (int c = cx + cw / 4; c < cx + cw - cw / 4; ++c, ++n) sum += y[static_cast<ptrdiff_t>(r) * strideY + c];
    if (n && sum / n > (kBlack + kWhite) / 2) bytes[bit / 8] |= static_cast<uint8_t>(1u << (7 - bit % 8));
  }
  if (bytes[0] != kSync || crc8(bytes + 1, 6) != bytes[7]) return std::nullopt;
  uint64_t v = 0;
  for (int i = 0; i < 6; ++i) v = (v << 8) | bytes[1 + i];
  return static_cast<int64_t>(v);
}

}  // namespace openlive::detail
