// The audio capture thread of a publishing session ("ol-push-audio"): opens the configured pull source, waits
// for the media clock, then feeds the audio pipeline in 20 ms chunks, a Live source as they arrive, a Realtime
// one when each is due. Muted or paused: silence. At the source's end, or when the session drains, the
// pipeline hands over what the encoder buffered.
#pragma once

#include <openlive/live_pusher.h>

#include "pusher/audio_pipeline.h"
#include "pusher/device_retry.h"
#include "pusher/media_clock.h"
#include "pusher/push_controls.h"
#include "pusher/push_events.h"
#include "pusher/run_signal.h"
#include "pusher/source_switch.h"

#include <memory>
#include <vector>

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
  // A microphone whose read fails (unplugged, removed) is not the session's end: 3401, silence, and the same
  // device again once a second until it is back (3402) or the app switches microphones.
  bool loop(std::unique_ptr<AudioSource>& source, EventCode readFailCode);

  struct Timeline {  // the capture's sample count against the wall clock since the first chunk
    std::chrono::steady_clock::time_point start;
    int rate = 0, channels = 0;
    int64_t firstPts = 0;     // media time (ms) of sample 0
    int64_t framesDone = 0;   // sample frames handed to the pipeline
    int64_t dueNow() const;   // sample frames the wall clock says are due by now
    std::chrono::steady_clock::time_point lostAt;  // while the microphone is gone: since when,
    int64_t lostFrom = 0;                          // and the sample count then
    int64_t dueSinceLost() const;                  // lostFrom + the wall clock's samples since lostAt
  };
  bool silenceUntil(Timeline& t, int64_t frames);
  void micLost(std::unique_ptr<AudioSource>& source, DeviceRetry<AudioSource>& retry, const std::string& err,
               Timeline& t);
  bool stepWhileLost(std::unique_ptr<AudioSource>& source, DeviceRetry<AudioSource>& retry, Timeline& t);
  std::vector<int16_t> silence_;  // silenceUntil's buffer (capture thread only)

  const PushConfig& config_;
  Deps d_;
};

}  // namespace openlive::detail
