// The H.264 configuration a relayed stream brings (mux stage of the push side): what the pusher needs to know
// about an AVCDecoderConfigurationRecord it did not make itself: the NAL length size, the record rewritten for
// 4-byte lengths (what the pusher's packetiser and SEI insertion use), and the picture size, which is read by
// libavcodec's H.264 parser from the SPS and an IDR access unit.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace openlive::detail {

struct AvcConfigInfo {
  std::vector<uint8_t> record;  // the record with lengthSizeMinusOne = 3
  int nalLengthSize = 4;        // the lengths the stream's access units use (1, 2 or 4)
};
// nullopt for a record that is too short, not version 1, has no SPS or PPS, or a length size of 3.
std::optional<AvcConfigInfo> readAvcConfig(const uint8_t* record, size_t size);

// An AVCC access unit with `nalLengthSize`-byte lengths rewritten with 4-byte lengths. nullopt when a length
// runs past the end.
std::optional<std::vector<uint8_t>> toFourByteLengths(const uint8_t* data, size_t size, int nalLengthSize);

// The picture size (after cropping) of an IDR access unit `au` (AVCC, 4-byte lengths) decoded with `record`.
// False when libavcodec's parser cannot tell.
bool probeAvcPictureSize(const std::vector<uint8_t>& record, const uint8_t* au, size_t size, int* width, int* height);

// True when the access unit's first slice has nal_ref_idc 0 (AVCC, 4-byte lengths).
bool isNonReferenceAvcc(const uint8_t* au, size_t size);

}  // namespace openlive::detail
