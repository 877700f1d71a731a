#include "pusher/audio_capture.h"

#include "common/logging.h"
#include "pusher/source_factory.h"

#include <pthread.h>

#include <algorithm>

namespace openlive::detail {
namespace {
using Clock = std::chrono::steady_clock;
using std::chrono::microseconds;
}  // namespace

void AudioCapture::run() {
  pthread_setname_np(pthread_self(), "ol-push-audio");
  const AudioEncoderOptions& enc = d_.pipeline.options();
  OpenedSource<AudioSource> src =
      openAudioSource(config_, enc.sampleRate, enc.channels, d_.signal.stopFlag(), d_.events);
  if (!src.source) return;
  if (!d_.clock.waitStarted()) return;
  const bool ended = loop(src.source, src.readFailCode);
  if (!d_.signal.stopping()) d_.pipeline.finish();  // the source ended or the session drains
  if (ended) d_.sourceEnd.ended = true;             // after the last packets were handed over
  d_.signal.notify();                               // a draining stop() waits for the track's end
}

bool AudioCapture::loop(std::unique_ptr<AudioSource>& source, EventCode readFailCode) {
  const int rate = source->sampleRate(), channels = source->channels();  // a switched-to one is opened alike
  const int chunk = rate / 50;  // 20 ms
  const bool paced = source->pacing() == SourcePacing::Realtime;
  const auto start = Clock::now();
  const int64_t firstPts = d_.clock.nowMs();
  int64_t framesDone = 0;
  std::vector<int16_t> buf;
  std::string err;
  while (d_.signal.running()) {
    if (auto next = d_.micSwitch.take()) {
      source = std::move(next);  // the old microphone closes here
      // The encoder counts samples: the time the switch took is filled with silence, so the sound stays on
      // the wall clock (and in sync with the picture).
      const int64_t due = std::chrono::duration_cast<microseconds>(Clock::now() - start).count() * rate / 1000000;
      if (due > framesDone) {
        buf.assign(static_cast<size_t>(due - framesDone) * channels, 0);
        if (!d_.pipeline.submit(buf.data(), static_cast<int>(due - framesDone), rate, channels, firstPts)) return false;
        framesDone = due;
      }
      OL_LOGI("push", "microphone switched");
    }
    if (paced && !d_.signal.sleepUntil(start + microseconds(framesDone * 1000000 / rate))) break;
    buf.clear();
    const SourceRead r = source->read(chunk, buf, d_.signal.stopFlag(), &err);
    if (r == SourceRead::Cancelled) break;
    if (r == SourceRead::End) {
      OL_LOGI("push", "audio source ended");
      return true;
    }
    if (r == SourceRead::Failed) {
      d_.events.fatal(readFailCode, "microphone capture stopped: " + err);
      return false;
    }
    const int got = static_cast<int>(buf.size()) / channels;
    if (got == 0) continue;
    if (d_.controls.muted || d_.controls.paused()) std::fill(buf.begin(), buf.end(), 0);
    if (!d_.pipeline.submit(buf.data(), got, rate, channels, firstPts)) return false;
    framesDone += got;
  }
  return false;
}

}  // namespace openlive::detail
