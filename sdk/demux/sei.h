// H.264 SEI user_data_unregistered (payloadType 5) extraction (demux stage).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace openlive::demux {

struct SeiUserData {
  std::array<uint8_t, 16> uuid{};
  std::vector<uint8_t> payload;  // after the UUID
};

// Parses one SEI NAL unit (header byte included, emulation prevention bytes present). Malformed input yields
// whatever complete messages came before the damage.
std::vector<SeiUserData> parseSeiNal(const uint8_t* nal, size_t size);

// Walks AVCC length-prefixed NAL units; calls parseSeiNal on every SEI (type 6). Stops at the first
// inconsistent length.
std::vector<SeiUserData> parseSeiFromAvcc(const uint8_t* data, size_t size, int nalLengthSize);

// Removes emulation prevention bytes (00 00 03 -> 00 00).
std::vector<uint8_t> unescapeRbsp(const uint8_t* data, size_t size);

}  // namespace openlive::demux
