// What the H.264 encoder is asked for (the pusher resolves it from its quality mode and overrides).
#pragma once

namespace openlive::detail {

struct VideoEncodeParams {
  int width = 0, height = 0, fps = 0;
  double gopSeconds = 0;
  int bitrateKbps = 0, minBitrateKbps = 0, maxBitrateKbps = 0;
  bool lowLatency = false;  // zerolatency, no B-frames, no lookahead
};

}  // namespace openlive::detail
