// The two H.264 SEI user_data_unregistered (payloadType 5) messages OpenLive puts in a stream.
// The pusher (mux stage) writes them, the player (demux stage) reads them.
#pragma once

#include <array>
#include <cstdint>

namespace openlive::detail {

// App messages from LivePusher::sendMessage(): payload = 16-byte UUID + the app's bytes -> player 2012.
inline constexpr std::array<uint8_t, 16> kSeiUuidAppMessage = {0x6f, 0x70, 0x65, 0x6e, 0x6c, 0x69, 0x76, 0x65,
                                                               0x2d, 0x6d, 0x73, 0x67, 0x00, 0x00, 0x00, 0x01};
// Capture clock: payload = UUID + 8-byte big-endian capture time in ms since the Unix epoch (CLOCK_REALTIME),
// sent with every IDR and at least once a second; the player derives end-to-end latency from it.
inline constexpr std::array<uint8_t, 16> kSeiUuidCaptureTime = {0x6f, 0x70, 0x65, 0x6e, 0x6c, 0x69, 0x76, 0x65,
                                                                0x2d, 0x63, 0x6c, 0x6b, 0x00, 0x00, 0x00, 0x01};

}  // namespace openlive::detail
