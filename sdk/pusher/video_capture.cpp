#include "pusher/video_capture.h"

#include "common/logging.h"
#include "process/video_processor.h"
#include "pusher/source_factory.h"

#include <pthread.h>

#include <algorithm>
#include <cmath>

namespace openlive::detail {
namespace {
using Clock = std::chrono::steady_clock;
using std::chrono::microseconds;
using std::chrono::milliseconds;
}  // namespace

void VideoCapture::run() {
  pthread_setname_np(pthread_self(), "ol-push-video");
  OpenedSource<VideoSource> src = openVideoSource(config_, video_, d_.signal.stopFlag(), d_.events);
  if (!src.source) return;
  const double fps = config_.video.type == VideoSourceType::Y4m && !config_.fps ? src.source->fps() : video_.fps;
  if (!d_.pipeline.open(std::max(1, static_cast<int>(std::lround(fps)))))
    return d_.events.fatal(EventCode::PUSH_ERR_VIDEO_ENCODE_FAIL, "cannot open the H.264 encoder");
  d_.signal.notify();  // the publisher waits for the encoder's stream header
  if (!d_.clock.waitStarted()) return d_.pipeline.finish();
  const bool ended = loop(src.source, src.readFailCode);
  if (!d_.signal.stopping()) d_.pipeline.finish();  // the source ended or the session drains
  if (ended) d_.sourceEnd.ended = true;             // after the last packets were handed over
  d_.signal.notify();                               // a draining stop() waits for the track's end
}

// The pause card (the configured image, or the generated one), made once per session.
void VideoCapture::ensurePauseCard(I420Image& card) {
  if (card.width == 0) {
    std::string err;
    card = makePauseCard(video_.width, video_.height, config_.pauseImagePath, &err);
    if (!err.empty()) OL_LOGW("push", "%s; using the generated card", err.c_str());
  }
}

// Waits one pause-card interval (pauseFps); false when the session stops or drains.
bool VideoCapture::waitCardInterval() {
  return d_.signal.sleepUntil(Clock::now() + milliseconds(1000 / std::max(1, config_.pauseFps)));
}

// The card to the preview and the encoder, stamped now.
bool VideoCapture::submitCard(const I420Image& card) {
  if (d_.preview) d_.preview->offer(card.view());
  return d_.pipeline.submit(card.view(), d_.clock.nowMs(), steadyNowUs(), false);
}

bool VideoCapture::sendPauseCard(I420Image& card) {
  ensurePauseCard(card);
  if (!waitCardInterval()) return false;
  const int64_t since = d_.controls.pausedSinceUs.load();
  if (since < 0 || steadyNowUs() - since > std::chrono::duration_cast<microseconds>(config_.pauseMaxTime).count())
    return true;  // resumed meanwhile, or past the limit: send nothing
  return submitCard(card);
}

// One pause-card interval while the camera is gone: the viewers see the pause card (the stream and its
// connection go on), and the camera is asked again once a second. False when the session stops or drains.
bool VideoCapture::stepWhileCameraLost(std::unique_ptr<VideoSource>& source, DeviceRetry<VideoSource>& retry,
                                       I420Image& card) {
  std::string why;
  if (auto back = retry.poll(Clock::now(), d_.signal.stopFlag(), &why)) {
    source = std::move(back);
    d_.events.emit(EventCode::PUSH_EVT_CAMERA_AVAILABLE, "after " + std::to_string(retry.attempts()) + " tries");
    return true;
  }
  ensurePauseCard(card);
  return waitCardInterval() && submitCard(card);
}

bool VideoCapture::loop(std::unique_ptr<VideoSource>& source, EventCode readFailCode) {
  I420Image frame, pauseCard;
  DeviceRetry<VideoSource> retry;  // a camera that went away (1023) until it is back (1024)
  bool first = true;
  const bool paced = source->pacing() == SourcePacing::Realtime;  // a camera (the only switchable source): live
  const double frameUs = 1e6 / std::max(1.0, source->fps());
  auto start = Clock::now();
  int64_t index = 0;
  std::string err;
  while (d_.signal.running()) {
    if (d_.controls.paused()) {
      if (!sendPauseCard(pauseCard)) break;
      continue;
    }
    if (paced) {
      const auto due = start + microseconds(static_cast<int64_t>(index * frameUs));
      if (!d_.signal.sleepUntil(due)) break;
      if (Clock::now() - due > milliseconds(1000)) {  // fell behind: skip ahead
        start = Clock::now();
        index = 0;
      }
    }
    if (auto next = d_.cameraSwitch.take()) {
      source = std::move(next);  // the old camera closes here; pictures of another size are scaled
      retry.reset();
      d_.events.emit(EventCode::PUSH_EVT_OPEN_CAMERA_SUCC, "switched camera opened");
    }
    if (retry.active()) {
      if (!stepWhileCameraLost(source, retry, pauseCard)) break;
      continue;
    }
    const SourceRead r = source->read(frame, d_.signal.stopFlag(), &err);
    const auto arrived = Clock::now();
    if (r == SourceRead::Cancelled) break;
    if (r == SourceRead::End) {
      OL_LOGI("push", "video source ended after %lld frames", static_cast<long long>(index));
      return true;
    }
    if (r == SourceRead::Failed && source->isCamera()) {
      d_.events.emit(EventCode::PUSH_EVT_CAMERA_REMOVED, "camera: " + err);
      retry.lost(std::move(source), Clock::now());
      continue;
    }
    if (r == SourceRead::Failed) {
      d_.events.fatal(readFailCode, "capture stopped: " + err);
      return false;
    }
    if (first) d_.events.emit(EventCode::PUSH_EVT_FIRST_FRAME_AVAILABLE, "");
    first = false;
    const int64_t arrivedUs = std::chrono::duration_cast<microseconds>(arrived.time_since_epoch()).count();
    if (d_.preview) d_.preview->offer(frame.view());  // unmirrored: the preview has its own mirror
    if (!d_.pipeline.submit(frame.view(), d_.clock.msAt(arrived), arrivedUs, d_.controls.mirror)) return false;
    ++index;
  }
  return false;
}

}  // namespace openlive::detail
