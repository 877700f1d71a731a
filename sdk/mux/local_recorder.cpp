#include "mux/local_recorder.h"

#include "common/logging.h"
#include "common/output_path.h"

#include <pthread.h>

#include <filesystem>

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

int LocalRecorder::checkPath(const std::string& path, std::string* why) {
  if (!path.empty() && recordFormatFor(path).empty()) {
    *why = "unsupported file type (use .mp4 or .flv): " + path;
    return -2;
  }
  return checkNewFilePath(path, why);
}

std::string LocalRecorder::slicePath(const std::string& path, int n) {
  if (n <= 1) return path;
  const std::filesystem::path p(path);
  std::filesystem::path out = p.parent_path() / (p.stem().string() + "_" + std::to_string(n) + p.extension().string());
  return out.string();
}

LocalRecorder::LocalRecorder(Options options, Callbacks callbacks)
    : opt_(std::move(options)), cb_(std::move(callbacks)) {
  audioCfg_ = opt_.audioConfig;
  trackVideo_ = opt_.hasVideo;
  trackAudio_ = opt_.hasAudio;
  tracksDecided_ = !opt_.detectTracks;
  thread_ = std::thread([this] { writerMain(); });
}

LocalRecorder::~LocalRecorder() { stop(); }

bool LocalRecorder::push(RecPacket p) {
  bool accepted = true;
  {
    std::lock_guard lk(mu_);
    if (ended_) return false;
    if (queuedBytes_ + p.data.size() > opt_.maxQueuedBytes) {
      ended_ = true;  // policy "fail-recording": the writer ends the file with an error
      overflowed_ = true;
      accepted = false;
    } else {
      queuedBytes_ += p.data.size();
      queue_.push_back(std::move(p));
    }
  }
  cv_.notify_one();
  return accepted;
}

void LocalRecorder::stop() {
  {
    std::lock_guard lk(mu_);
    stopping_ = true;
    ended_ = true;
  }
  cv_.notify_one();
  if (thread_.joinable()) thread_.join();
}

bool LocalRecorder::active() const {
  std::lock_guard lk(mu_);
  return !ended_;
}

uint64_t LocalRecorder::packetsSkipped() const {
  std::lock_guard lk(mu_);
  return skipped_;
}

bool LocalRecorder::openSlice(const RecPacket& first, std::string* err) {
  ++sliceNo_;
  slicePath_ = slicePath(opt_.path, sliceNo_);
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

void LocalRecorder::finishSlice(bool ok, const std::string& error) {
  if (!mux_.isOpen() && ok) return;
  RecordResult r;
  r.path = slicePath_;
  std::string closeErr;
  const bool wasOpen = mux_.isOpen();
  r.bytes = mux_.bytesWritten();
  if (wasOpen) {
    std::lock_guard lk(mu_);
    skipped_ += mux_.droppedNonMonotonic();
  }
  const bool closed = mux_.close(&closeErr);
  r.durationMs = wasOpen ? mux_.durationMs() : 0;
  r.ok = ok && closed;
  r.error = !ok ? error : closeErr;
  if (r.ok)
    OL_LOGI("record", "finished %s: %lld ms", r.path.c_str(), static_cast<long long>(r.durationMs));
  else
    OL_LOGW("record", "recording %s ended: %s", r.path.c_str(), r.error.c_str());
  if (cb_.onResult) cb_.onResult(r);
}

void LocalRecorder::writerMain() {
  pthread_setname_np(pthread_self(), "ol-record");
  for (;;) {
    RecPacket p;
    {
      std::unique_lock lk(mu_);
      cv_.wait(lk, [&] { return stopping_ || overflowed_ || !queue_.empty(); });
      if (overflowed_) {
        queue_.clear();
        queuedBytes_ = 0;
        lk.unlock();
        if (slicePath_.empty()) slicePath_ = opt_.path;
        finishSlice(false, "the disk does not keep up: more than " + std::to_string(opt_.maxQueuedBytes / 1024) +
                               " KiB waiting to be written");
        return;
      }
      if (queue_.empty()) break;  // stopping, everything written
      p = std::move(queue_.front());
      queue_.pop_front();
      queuedBytes_ -= p.data.size();
    }
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
    // A file starts (and a new slice begins) at a video IDR; audio-only recordings at any audio frame.
    const bool startPoint = tracksDecided_ && (trackVideo_ ? (p.video && p.keyframe) : !p.video);
    const bool configsKnown = (!trackVideo_ || videoCfg_) && (!trackAudio_ || audioCfg_);
    std::string err;
    if (mux_.isOpen() && startPoint &&
        (newSliceAtNextKey_ || (opt_.slice.count() > 0 && p.dtsMs - sliceStartDts_ >= opt_.slice.count() * 1000))) {
      finishSlice(true, "");
      if (!openSlice(p, &err)) {
        finishSlice(false, err);
        break;
      }
    } else if (!mux_.isOpen()) {
      if (!startPoint || !configsKnown) {
        std::lock_guard lk(mu_);
        ++skipped_;
        continue;
      }
      if (!openSlice(p, &err)) {
        finishSlice(false, err);
        break;
      }
    }
    if (!mux_.write(p, &err)) {
      finishSlice(false, err);
      break;
    }
    if (p.dtsMs - lastProgressMs_ >= 1000) {
      lastProgressMs_ = p.dtsMs;
      if (cb_.onProgress) cb_.onProgress(slicePath_, mux_.durationMs());
    }
  }
  {
    std::lock_guard lk(mu_);
    ended_ = true;
  }
  if (sliceNo_ == 0) {  // stopped before anything could be written
    slicePath_ = opt_.path;
    finishSlice(false, "stopped before the first keyframe: nothing was recorded");
    return;
  }
  finishSlice(true, "");
}

}  // namespace openlive::detail
