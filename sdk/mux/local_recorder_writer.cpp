#include "mux/local_recorder_writer.h"

#include "common/logging.h"

#include <pthread.h>

namespace openlive::detail {
namespace {

bool sameVideo(const RecVideoConfig* a, const RecVideoConfig* b) {
  if (a == b) return true;
  return a && b && a->avcc == b->avcc;
}
bool sameAudio(const RecAudioConfig* a, const RecAudioConfig* b) {
  if (a == b) return true;
  return a && b && a->asc == b->asc;
}

}  // namespace

LocalRecorder::Writer::Writer(Options options, Callbacks callbacks)
    : opt(std::move(options)),
      cb(std::move(callbacks)),
      gate(opt.reportGate ? opt.reportGate : std::make_shared<RecordReportGate>()) {
  audioCfg_ = opt.audioConfig;
  trackVideo_ = opt.hasVideo;
  trackAudio_ = opt.hasAudio;
  tracksDecided_ = !opt.detectTracks;
}

void LocalRecorder::Writer::requestStop() {
  std::lock_guard lk(mu);
  stopping = true;
  ended = true;
  cv.notify_all();
}

void LocalRecorder::Writer::cut() {
  std::lock_guard lk(mu);
  stopping = cutting = ended = true;
  cv.notify_all();
}

bool LocalRecorder::Writer::waitFinished(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lk(mu);
  return doneCv.wait_until(lk, deadline, [&] { return done; });
}

bool LocalRecorder::Writer::finished() const {
  std::lock_guard lk(mu);
  return done;
}

void LocalRecorder::Writer::markDone() {
  std::lock_guard lk(mu);
  ended = done = true;
  doneCv.notify_all();
}

void LocalRecorder::Writer::report(const RecordResult& r) {
  gate->deliver([&] {
    if (cb.onResult) cb.onResult(r);
  });
}

bool LocalRecorder::Writer::openSlice(const RecPacket& first, std::string* err) {
  ++sliceNo_;
  slicePath_ = slicePath(opt.path, sliceNo_);
  std::string why;
  if (sliceNo_ > 1 && checkPath(slicePath_, &why) != 0) {
    *err = "cannot start slice " + std::to_string(sliceNo_) + ": " + why;
    return false;
  }
  const RecVideoConfig* v = trackVideo_ ? videoCfg_.get() : nullptr;
  const RecAudioConfig* a = trackAudio_ ? audioCfg_.get() : nullptr;
  if (!mux_.open(slicePath_, v, a, first.video ? &first : nullptr, err)) return false;
  sliceStartDts_ = first.dtsMs;
  lastProgressMs_ = first.dtsMs;
  newSliceAtNextKey_ = false;
  OL_LOGI("record", "recording to %s", slicePath_.c_str());
  return true;
}

void LocalRecorder::Writer::finishSlice(bool ok, const std::string& error) {
  if (!mux_.isOpen() && ok) return;
  RecordResult r;
  r.path = slicePath_;
  std::string closeErr;
  const bool wasOpen = mux_.isOpen();
  r.bytes = mux_.bytesWritten();
  if (wasOpen) {
    std::lock_guard lk(mu);
    skipped += mux_.droppedNonMonotonic();
  }
  const bool closed = mux_.close(&closeErr);
  r.durationMs = wasOpen ? mux_.durationMs() : 0;
  r.ok = ok && closed;
  r.error = !ok ? error : closeErr;
  if (r.ok)
    OL_LOGI("record", "finished %s: %lld ms", r.path.c_str(), static_cast<long long>(r.durationMs));
  else
    OL_LOGW("record", "recording %s ended: %s", r.path.c_str(), r.error.c_str());
  report(r);
}

// The next packet to write; false when the writer is to finish (stopped and drained, cut, or overflowed:
// then the failure has been reported).
bool LocalRecorder::Writer::next(RecPacket* p) {
  std::unique_lock lk(mu);
  cv.wait(lk, [&] { return stopping || overflowed || !queue.empty(); });
  if (overflowed || cutting) {
    const bool failed = overflowed;
    queue.clear();
    queuedBytes = 0;
    lk.unlock();
    if (failed) {
      if (slicePath_.empty()) slicePath_ = opt.path;
      finishSlice(false, "the disk does not keep up: more than " + std::to_string(opt.maxQueuedBytes / 1024) +
                             " KiB waiting to be written");
    } else {
      OL_LOGW("record", "recording %s cut short: the rest of its queue is dropped", opt.path.c_str());
    }
    return false;
  }
  if (queue.empty()) return false;  // stopping, everything written
  *p = std::move(queue.front());
  queue.pop_front();
  queuedBytes -= p->data.size();
  return true;
}

void LocalRecorder::Writer::noteConfigs(const RecPacket& p) {
  if (p.video && p.videoConfig && !sameVideo(p.videoConfig.get(), videoCfg_.get())) {
    if (mux_.isOpen()) newSliceAtNextKey_ = true;  // a track cannot change its SPS: a new file at this IDR
    videoCfg_ = p.videoConfig;
  }
  if (!p.video && p.audioConfig && !sameAudio(p.audioConfig.get(), audioCfg_.get())) {
    if (mux_.isOpen()) newSliceAtNextKey_ = true;
    audioCfg_ = p.audioConfig;
  }
  if (!tracksDecided_) {
    if (firstSeenDts_ == INT64_MIN) firstSeenDts_ = p.dtsMs;
    if ((videoCfg_ && audioCfg_) || p.dtsMs - firstSeenDts_ >= 1000) {
      trackVideo_ = videoCfg_ != nullptr;
      trackAudio_ = audioCfg_ != nullptr;
      tracksDecided_ = trackVideo_ || trackAudio_;
    }
  }
}

bool LocalRecorder::Writer::fail(const std::string& error) {
  finishSlice(false, error);
  return false;
}

bool LocalRecorder::Writer::writePacket(const RecPacket& p) {
  noteConfigs(p);
  // A file starts (and a new slice begins) at a video IDR; audio-only recordings at any audio frame.
  const bool startPoint = tracksDecided_ && (trackVideo_ ? (p.video && p.keyframe) : !p.video);
  const bool configsKnown = (!trackVideo_ || videoCfg_) && (!trackAudio_ || audioCfg_);
  std::string err;
  if (mux_.isOpen() && startPoint &&
      (newSliceAtNextKey_ || (opt.slice.count() > 0 && p.dtsMs - sliceStartDts_ >= opt.slice.count() * 1000))) {
    finishSlice(true, "");
    if (!openSlice(p, &err)) return fail(err);
  } else if (!mux_.isOpen()) {
    if (!startPoint || !configsKnown) {
      std::lock_guard lk(mu);
      ++skipped;
      return true;
    }
    if (!openSlice(p, &err)) return fail(err);
  }
  if (opt.beforeWrite) opt.beforeWrite(p);
  if (!mux_.write(p, &err)) return fail(err);
  if (p.dtsMs - lastProgressMs_ >= 1000) {
    lastProgressMs_ = p.dtsMs;
    gate->deliver([&] {
      if (cb.onProgress) cb.onProgress(slicePath_, mux_.durationMs());
    });
  }
  return true;
}

void LocalRecorder::Writer::run() {
  pthread_setname_np(pthread_self(), "ol-record");
  RecPacket p;
  bool failed = false;
  while (!failed && next(&p)) failed = !writePacket(p);
  {
    std::lock_guard lk(mu);
    ended = true;
    failed = failed || overflowed;
  }
  if (!failed && sliceNo_ == 0) {  // stopped before anything could be written
    slicePath_ = opt.path;
    finishSlice(false, "stopped before the first keyframe: nothing was recorded");
  } else if (!failed) {
    finishSlice(true, "");
  }
  markDone();
}

}  // namespace openlive::detail
