// RTMP aggregate messages (type 22): FLV tags back to back (header, body, back pointer), split into individual
// messages. Transport stage; pure function, unit-tested (tests/unit/test_rtmp_protocol.cpp).
#pragma once

#include "transport/rtmp_message.h"

#include <cstddef>
#include <cstdint>
#include <functional>

namespace openlive::transport {

// Calls `out` for each audio, video or script-data tag in `body`, in order. Timestamps: the aggregate's own
// timestamp plus each tag's offset from the first tag. Stops at the first truncated tag. Returns the number of
// messages delivered.
size_t unpackAggregate(const uint8_t* body, size_t size, uint32_t timestamp, uint32_t streamId,
                       const std::function<void(RtmpMessage&&)>& out);

}  // namespace openlive::transport
