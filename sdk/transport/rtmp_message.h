// One RTMP message as the player side receives it (transport stage), and how a read ended.
#pragma once

#include "transport/rtmp_protocol.h"

#include <cstdint>
#include <string>
#include <vector>

namespace openlive::transport {

struct RtmpMessage {
  uint8_t type = 0;           // the RTMP message type id; kind() names it (media: isMedia())
  uint32_t timestamp = 0;     // raw 32-bit RTMP timestamp (ms); unwrap above this layer
  uint32_t streamId = 0;
  std::vector<uint8_t> body;  // media and data: the FLV tag body

  // CommandAmf0 (onStatus): the typed status code; None for every other message.
  StreamStatus status = StreamStatus::None;
  StatusMeaning statusMeaning = StatusMeaning::Info;  // what `status` means (meaningOf, with the level)
  // UserControl: StreamBegin / StreamEOF / StreamDry as a typed event; None for every other message.
  StreamEvent event = StreamEvent::None;

  // DEPRECATED (kept until the player switches to `status` / `event`): the onStatus code as sent, and the
  // made-up "UserControl.StreamEOF" for a StreamEOF user control event. Empty for StreamBegin and StreamDry.
  std::string statusCode;

  RtmpMessageType kind() const { return static_cast<RtmpMessageType>(type); }
  bool isMedia() const { return isMediaType(type); }  // audio, video, script data
};

enum class ReadStatus {
  Message,    // `out` holds a message
  Timeout,    // nothing arrived within the I/O timeout (no-data path)
  Closed,     // the server closed the connection -> 3004
  Error,      // socket read failed -> 3005
  Cancelled,  // cancel() was called
};
const char* toString(ReadStatus s);

}  // namespace openlive::transport
