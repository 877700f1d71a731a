// Fuzzes the SDK's signalling input: Server-Sent Events framing (split at an input-chosen point, as TCP may split
// it) and the message envelopes inside the events.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "room/room_json.h"
#include "room/sse_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  std::string_view s(reinterpret_cast<const char*>(data + 1), size - 1);
  const size_t cut = s.empty() ? 0 : data[0] % (s.size() + 1);
  openlive::room::SseParser parser(
      [](const openlive::room::SseEvent& e) {
        auto j = nlohmann::json::parse(e.data, nullptr, false);
        (void)openlive::room::parse::signalMessage(j);
      },
      4096);
  parser.feed(s.substr(0, cut));
  parser.feed(s.substr(cut));
  return 0;
}
