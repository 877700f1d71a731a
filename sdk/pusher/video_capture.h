// The video capture thread of a publishing session ("ol-push-video"): opens the configured pull source and the
// encoder, waits for the media clock, then feeds the video pipeline picture by picture: a Live source as its
// pictures arrive, a Realtime one when each is due at its rate (skipping ahead when it fell more than a second
// behind). While paused it sends the pause picture at `pauseFps` instead (nothing past `pauseMaxTime`). At the
// source's end, or when the session drains, the pipeline hands over its delayed frames.
#pragma once

#include <openlive/live_pusher.h>

#include <memory>

#include "pusher/media_clock.h"
#include "pusher/push_controls.h"
#include "pusher/push_events.h"
#include "pusher/preview_feed.h"
#include "pusher/push_params.h"
#include "pusher/run_signal.h"
#include "pusher/device_retry.h"
#include "pusher/source_switch.h"
#include "pusher/video_pipeline.h"

namespace openlive::detail {

class VideoSource;

class VideoCapture {
 public:
  struct Deps {
    VideoPipeline& pipeline;
    MediaClock& clock;
    RunSignal& signal;
    PushEvents& events;
    const PushControls& controls;
    SourceEndNotice& sourceEnd;
    SourceSwitch<VideoSource>& cameraSwitch;  // LivePusher::switchCamera
    PreviewFeed* preview = nullptr;  // the local preview's tap (never blocks): pictures and the pause card
  };
  VideoCapture(const PushConfig& config, const ResolvedVideoParams& video, Deps deps)
      : config_(config), video_(video), d_(deps) {}

  void run();  // the thread body

 private:
  // Feeds the pipeline until the session drains or stops (false) or the source ends (true). A switched-to
  // camera replaces `source` between pictures.
  // A camera whose read fails (unplugged) is not the session's end: 1023, the pause card, and the same camera
  // again once a second until it is back (1024) or the app switches cameras.
  bool loop(std::unique_ptr<VideoSource>& source, EventCode readFailCode);
  bool sendPauseCard(I420Image& card);  // false when the session stops
  void ensurePauseCard(I420Image& card);  // makes the card on first use
  bool waitCardInterval();
  bool submitCard(const I420Image& card);
  bool stepWhileCameraLost(std::unique_ptr<VideoSource>& source, DeviceRetry<VideoSource>& retry, I420Image& card);

  const PushConfig& config_;
  const ResolvedVideoParams video_;
  Deps d_;
};

}  // namespace openlive::detail
