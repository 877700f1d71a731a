// Player tests through the fault proxy: the proxied RTMP URL and a headless player config per cache mode.
#pragma once

#include <openlive/live_player.h>

#include <string>

#include "faults/fault_proxy.h"

namespace openlive::test {

inline std::string viaProxy(const FaultProxy& proxy, const std::string& stream) {
  return "rtmp://127.0.0.1:" + std::to_string(proxy.port()) + "/live/" + stream;
}

// No window, no sound device: what the renderer decides is observed through events and callbacks.
inline PlayConfig headlessPlay(CacheMode mode) {
  PlayConfig c;
  c.setCacheMode(mode);
  c.video = {VideoOutput::Kind::None, ""};
  c.audio = {AudioOutput::Kind::None, ""};
  return c;
}

}  // namespace openlive::test
