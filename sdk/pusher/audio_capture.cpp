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

// Silence up to the wall clock's sample count (`frames` of the capture's own timeline): the encoder counts
// samples, so time without sound (a switch, a lost microphone) stays on the wall clock, in sync with the picture.
bool AudioCapture::silenceUntil(Timeline& t, int64_t frames) {
  if (frames <= t.framesDone) return true;
  silence_.assign(static_cast<size_t>(frames - t.framesDone) * t.channels, 0);  // reused: every 20 ms while lost
  if (!d_.pipeline.submit(silence_.data(), static_cast<int>(frames - t.framesDone), t.rate, t.channels, t.firstPts))
    return false;
  t.framesDone = frames;
  return true;
}

int64_t AudioCapture::Timeline::dueNow() const {
  return std::chrono::duration_cast<microseconds>(Clock::now() - start).count() * rate / 1000000;
}

int64_t AudioCapture::Timeline::dueSinceLost() const {
  return lostFrom + std::chrono::duration_cast<microseconds>(Clock::now() - lostAt).count() * rate / 1000000;
}

// The microphone failed mid-push: 3401, and the stream goes on with silence while the device is asked again
// once a second (DeviceRetry). The silence runs on from where the sound stopped, at the wall clock's pace.
void AudioCapture::micLost(std::unique_ptr<AudioSource>& source, DeviceRetry<AudioSource>& retry,
                           const std::string& err, Timeline& t) {
  d_.events.emit(EventCode::PUSH_WARNING_MIC_LOST, "microphone " + source->deviceName() + ": " + err);
  t.lostAt = Clock::now();
  t.lostFrom = t.framesDone;
  retry.lost(std::move(source), t.lostAt);
}

// One 20 ms step while the microphone is gone: waits for the step's time, asks the device again when a try is
// due, else sends the step's silence. False when the session stops or drains.
bool AudioCapture::stepWhileLost(std::unique_ptr<AudioSource>& source, DeviceRetry<AudioSource>& retry,
                                 Timeline& t) {
  const int64_t target = t.framesDone + t.rate / 50;
  if (!d_.signal.sleepUntil(t.lostAt + microseconds((target - t.lostFrom) * 1000000 / t.rate))) return false;
  std::string why;
  if (auto back = retry.poll(Clock::now(), d_.signal.stopFlag(), &why)) {
    source = std::move(back);
    d_.events.emit(EventCode::PUSH_EVT_MIC_AVAILABLE, "after " + std::to_string(retry.attempts()) + " tries");
    return silenceUntil(t, t.dueSinceLost());  // the time the open took
  }
  return silenceUntil(t, std::max(target, t.dueSinceLost()));
}

bool AudioCapture::loop(std::unique_ptr<AudioSource>& source, EventCode readFailCode) {
  Timeline t{Clock::now(), source->sampleRate(), source->channels(), d_.clock.nowMs(), 0};
  const int chunk = t.rate / 50;  // 20 ms
  const bool paced = source->pacing() == SourcePacing::Realtime;
  DeviceRetry<AudioSource> retry;
  std::vector<int16_t> buf;
  std::string err;
  while (d_.signal.running()) {
    if (auto next = d_.micSwitch.take()) {
      source = std::move(next);  // the old microphone closes here; a switched-to one is opened alike
      retry.reset();
      if (!silenceUntil(t, t.dueNow())) return false;  // the time the switch took
      OL_LOGI("push", "microphone switched");
    }
    if (retry.active()) {
      if (!stepWhileLost(source, retry, t)) break;
      continue;
    }
    if (paced && !d_.signal.sleepUntil(t.start + microseconds(t.framesDone * 1000000 / t.rate))) break;
    buf.clear();
    const SourceRead r = source->read(chunk, buf, d_.signal.stopFlag(), &err);
    if (r == SourceRead::Cancelled) break;
    if (r == SourceRead::End) {
      OL_LOGI("push", "audio source ended");
      return true;
    }
    if (r == SourceRead::Failed && source->isDevice()) {
      micLost(source, retry, err, t);
      continue;
    }
    if (r == SourceRead::Failed) {
      d_.events.fatal(readFailCode, "microphone capture stopped: " + err);
      return false;
    }
    const int got = static_cast<int>(buf.size()) / t.channels;
    if (got == 0) continue;
    if (d_.controls.muted || d_.controls.paused()) std::fill(buf.begin(), buf.end(), 0);
    if (!d_.pipeline.submit(buf.data(), got, t.rate, t.channels, t.firstPts)) return false;
    t.framesDone += got;
  }
  return false;
}

}  // namespace openlive::detail
