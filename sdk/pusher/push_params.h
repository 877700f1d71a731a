// What a PushConfig resolves to: the quality mode's table (documented in include/openlive/live_pusher.h) with
// the app's overrides applied, for video, audio and the interleaver.
#pragma once

#include <openlive/live_pusher.h>

#include "encode/video_params.h"
#include "pusher/interleaver.h"

namespace openlive::detail {

// The encode parameters plus the adaptive-bitrate policy (resolved: never AutoAdjust::ModeDefault).
struct ResolvedVideoParams : VideoEncodeParams {
  AutoAdjust autoAdjust = AutoAdjust::None;
};
ResolvedVideoParams resolveVideoParams(const PushConfig& config);

// Audio encode parameters: High 48 kHz (mono 64 / stereo 128 kbps), Low 16 kHz mono 32 kbps.
inline int audioRateFor(const PushConfig& c) { return c.audioQuality == AudioQuality::Low ? 16000 : 48000; }
inline int audioChannelsFor(const PushConfig& c) {
  return c.audioQuality == AudioQuality::Low ? 1 : (c.audioChannels >= 2 ? 2 : 1);
}
inline int audioKbpsFor(const PushConfig& c) {
  if (c.audioQuality == AudioQuality::Low) return 32;
  return audioChannelsFor(c) == 2 ? 128 : 64;
}

// Audio may lead the video produced so far by one video frame, video the audio by three AAC frames (the AAC
// encoder's delay); neither waits longer than twice the video encoder's delay (lookahead + B-frames + frame
// threads).
Interleaver::Options interleaverOptionsFor(const PushConfig& config, int fps);

}  // namespace openlive::detail
