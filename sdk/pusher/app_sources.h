// Push-style sources: the app's own frames (LivePusher::sendCustomVideoFrame / sendCustomPCM), processed and
// encoded at once on the app's calling thread (no capture thread, no tick to wait for). They check what the
// app hands in (a bad size: -1305, a bad sample rate: -1306) and map the app's timestamps to media time: the
// first frame is stamped "now" on the media clock, later ones keep the app's spacing.
#pragma once

#include <openlive/result.h>

#include <openlive/types.h>

#include <cstdint>
#include <mutex>

#include "pusher/audio_pipeline.h"
#include "pusher/media_clock.h"
#include "pusher/preview_feed.h"
#include "pusher/push_controls.h"
#include "pusher/push_events.h"
#include "pusher/video_pipeline.h"

namespace openlive::detail {

// What both read: the media clock, the app's controls, where to report a bad frame.
struct AppSourceDeps {
  const MediaClock& clock;
  PushEvents& events;
  const PushControls& controls;
  PreviewFeed* preview = nullptr;  // the local preview's tap (video only; never blocks)
};

class AppVideoSource {
 public:
  AppVideoSource(VideoPipeline& pipeline, AppSourceDeps deps) : pipeline_(pipeline), d_(deps) {}
  // False when not accepted: not yet published (the clock has not started), a bad frame, or the pipeline ended.
  Result push(const VideoFrame& frame);
  // An H.264 access unit relayed without re-encoding (the pipeline's relay stage); not shown in the preview.
  Result pushEncoded(const EncodedVideoPacket& packet);

 private:
  VideoPipeline& pipeline_;
  AppSourceDeps d_;
  std::mutex mu_;
  int64_t base_ = INT64_MIN;  // guarded by mu_: app pts -> media pts
};

class AppAudioSource {
 public:
  AppAudioSource(AudioPipeline& pipeline, AppSourceDeps deps) : pipeline_(pipeline), d_(deps) {}
  Result push(const AudioFrame& frame);
  // An AAC frame relayed without re-encoding (the pipeline's relay).
  Result pushEncoded(const EncodedAudioPacket& packet);

 private:
  AudioPipeline& pipeline_;
  AppSourceDeps d_;
};

}  // namespace openlive::detail
