// Machine-readable capture time burned into a picture (the test pattern stamps it, any player reads it back
// from its decoded output to measure glass-to-glass latency).
//
// Layout: a band at the top of the luma plane, 2 rows x 32 cells = 64 bits, cell width = width / 32 (at least
// 4 px), cell height = max(8, cell width). Black (Y=16) = 0, white (Y=235) = 1, MSB first, row-major:
//   bits  0..7   sync byte 0xB2
//   bits  8..55  wall-clock ms since the Unix epoch, 48 bits (good until year 10889)
//   bits 56..63  CRC-8 (poly 0x07, init 0) over the 6 time bytes
// The reader averages the centre half of each cell and thresholds at mid-grey, so blurring from H.264 at the
// preset bitrates does not flip bits; a wrong sync byte or CRC yields std::nullopt.
#pragma once

#include <cstdint>
#include <optional>

namespace openlive::detail {

inline constexpr int kTimecodeColumns = 32;
inline constexpr int kTimecodeRows = 2;

// Height in pixels of the band stampTimecode() writes for a picture `width` pixels wide.
int timecodeBandHeight(int width);

// Writes the band into the luma plane. No-op when the picture is smaller than 128x32.
void stampTimecode(uint8_t* y, int strideY, int width, int height, int64_t wallClockMs);

// Reads the band back; nullopt when absent or corrupted.
std::optional<int64_t> readTimecode(const uint8_t* y, int strideY, int width, int height);

uint8_t crc8(const uint8_t* data, int size);

}  // namespace openlive::detail

namespace openlive {
using detail::readTimecode;
using detail::stampTimecode;
}  // namespace openlive
