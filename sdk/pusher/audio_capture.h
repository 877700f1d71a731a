// The audio capture thread of a publishing session ("ol-push-audio"): opens the configured pull source, waits
// for the media clock, then feeds the audio pipeline in 20 ms chunks, a Live source as they arrive, a Realtime
// one when each is due. Muted or paused: silence. At the source's end, or when the session drains, the
// pipeline hands over what the encoder buffered.
#pragma once

#include <openlive/live_pusher.h>

#include "pusher/audio_pipeline.h"
#include "pusher/media_clock.h"
#include "pusher/push_controls.h"
#include "pusher/push_events.h"
#include "pusher/run_signal.h"
#include "pusher/source_switch.h"

#include <memory>

namespace openlive::detail {

class AudioSource;

class AudioCapture {
 public:
  struct Deps {
    AudioPipeline& pipeline;
    MediaClock& clock;
    RunSignal& signal;
    PushEvents& events;
    const PushControls& controls;
    SourceEndNotice& sourceEnd;
    SourceSwitch<AudioSource>& micSwitch;  // LivePusher::switchMicrophone
  };
  AudioCapture(const PushConfig& config, Deps deps) : config_(config), d_(deps) {}

  void run();  // the thread body

 private:
  // Feeds the pipeline until the session drains or stops (false) or the source ends (true). A switched-to
  // microphone replaces `source` between chunks.
  bool loop(std::unique_ptr<AudioSource>& source, EventCode readFailCode);

  const PushConfig& config_;
  Deps d_;
};

}  // namespace openlive::detail
