// PushSession: snapshots of the picture being encoded and local recording of the encoded stream.
#include "common/logging.h"
#include "process/snapshot.h"
#include "pusher/push_session.h"

namespace openlive::detail {

void PushSession::setVideoConfig(const std::vector<uint8_t>& avcc, int width, int height) {
  {
    std::lock_guard clk(clockMu_);
    avcConfig_ = avcc;
  }
  auto cfg = std::make_shared<RecVideoConfig>();
  cfg->avcc = avcc;
  cfg->width = width;
  cfg->height = height;
  std::lock_guard lk(recMu_);
  recVideoCfg_ = std::move(cfg);
}

// ---------------------------------------------------------------- snapshots

FileRequest PushSession::requestSnapshot(const std::string& path) {
  std::string why;
  if (int r = checkSnapshotPath(path, &why); r != 0) {
    OL_LOGW("push", "snapshot refused: %s", why.c_str());
    return static_cast<FileRequest>(r);
  }
  if (!hasVideo_ || stopping_) return FileRequest::Failed;
  std::lock_guard lk(snapMu_);
  if (snapshotPending_) return FileRequest::Failed;
  snapshotPath_ = path;
  snapshotPending_ = true;
  return FileRequest::Accepted;
}

void PushSession::snapshotFrame(const I420Image& img) {
  if (!snapshotPending_.load(std::memory_order_relaxed)) return;
  std::string path;
  {
    std::lock_guard lk(snapMu_);
    path = std::move(snapshotPath_);
    snapshotPath_.clear();
  }
  auto copy = std::make_shared<I420Image>(img);  // the video thread reuses its picture at once
  const bool posted = aux_.post([this, copy, path] {
    std::string err;
    const bool ok = writeSnapshot(*copy, path, &err);
    const std::string size = std::to_string(copy->width) + "x" + std::to_string(copy->height);
    emit(EventCode::EVT_SNAPSHOT_RESULT, ok ? "snapshot written to " + path : "snapshot failed: " + err,
         {{std::string(evt::kParam1), ok ? "0" : "-1"},
          {std::string(evt::kParam2), size},
          {std::string(evt::kDescription), path}});
    snapshotPending_ = false;
  });
  if (!posted) snapshotPending_ = false;  // stopping
}

// ---------------------------------------------------------------- local recording

FileRequest PushSession::startRecord(const std::string& path, std::chrono::seconds slice) {
  std::string why;
  if (int r = LocalRecorder::checkPath(path, &why); r != 0) {
    OL_LOGW("push", "local record refused: %s", why.c_str());
    return r == -3 ? FileRequest::FileExists : FileRequest::BadPath;
  }
  if (stopping_ || failed_) return FileRequest::NotActive;
  std::lock_guard lk(recMu_);
  if (recorder_ && recorder_->active()) return FileRequest::Busy;
  LocalRecorder::Options o;
  o.path = path;
  o.slice = std::max(slice, std::chrono::seconds(0));
  o.hasVideo = hasVideo_;
  o.hasAudio = hasAudio_;
  o.audioConfig = recAudioCfg_;
  o.reportGate = recordGate_;
  LocalRecorder::Callbacks cb;
  cb.onProgress = [this](const std::string& file, int64_t ms) {
    emit(EventCode::PUSH_EVT_LOCAL_RECORD_PROGRESS, "recording " + file,
         {{std::string(evt::kParam1), std::to_string(ms)}, {std::string(evt::kDescription), file}});
  };
  cb.onResult = [this](const RecordResult& r) {
    emit(EventCode::PUSH_EVT_LOCAL_RECORD_RESULT,
         r.ok ? "recorded " + std::to_string(r.durationMs) + " ms to " + r.path : "recording failed: " + r.error,
         {{std::string(evt::kParam1), r.ok ? "0" : "-1"},
          {std::string(evt::kParam2), std::to_string(r.durationMs)},
          {std::string(evt::kDescription), r.path}});
  };
  std::unique_ptr<LocalRecorder> old = std::move(recorder_);  // a failed one: already finished
  recorder_ = std::make_unique<LocalRecorder>(std::move(o), std::move(cb));
  forceKey_ = true;  // the file starts at an IDR: ask for one now rather than wait for the GOP
  OL_LOGI("push", "local record to %s (slice %lld s)", path.c_str(), static_cast<long long>(slice.count()));
  return FileRequest::Accepted;
}

void PushSession::stopRecord() {
  std::unique_ptr<LocalRecorder> rec;
  {
    std::lock_guard lk(recMu_);
    rec = std::move(recorder_);
  }
  // Finishes the file and reports it (1029) from the writer thread; a slow disk: in the background.
  if (rec) rec->stopWithin(LocalRecorder::kStopBudget);
}

void PushSession::stopRecorderQuietly() { stopRecord(); }  // stopping_ is set: emit() drops the 1029

bool PushSession::recording() const {
  std::lock_guard lk(recMu_);
  return recorder_ && recorder_->active();
}

void PushSession::recordVideo(const EncodedPacket& p, const std::vector<uint8_t>& avcc) {
  std::lock_guard lk(recMu_);
  if (!recorder_) return;
  RecPacket r;
  r.video = true;
  r.keyframe = p.keyframe;
  r.dtsMs = p.dtsMs;
  r.ptsMs = p.ptsMs;
  r.data = avcc;
  r.videoConfig = recVideoCfg_;
  recorder_->push(std::move(r));
}

void PushSession::recordAudio(const EncodedPacket& p) {
  std::lock_guard lk(recMu_);
  if (!recorder_) return;
  RecPacket r;
  r.video = false;
  r.keyframe = true;
  r.dtsMs = r.ptsMs = p.dtsMs;
  r.data = p.data;
  r.audioConfig = recAudioCfg_;
  recorder_->push(std::move(r));
}

}  // namespace openlive::detail
