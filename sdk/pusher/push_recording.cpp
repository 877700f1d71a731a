// Recording and snapshot taps of the publishing session.
#include "pusher/push_recording.h"

#include "common/logging.h"
#include "process/snapshot.h"

namespace openlive::detail {

RecordTap::RecordTap(bool hasVideo, bool hasAudio, PushEvents& events, std::function<void()> requestKeyframe)
    : hasVideo_(hasVideo), hasAudio_(hasAudio), events_(events), requestKeyframe_(std::move(requestKeyframe)) {}

RecordTap::~RecordTap() { stopQuietly(); }

void RecordTap::setAudioConfig(const std::vector<uint8_t>& asc, int sampleRate, int channels) {
  auto cfg = std::make_shared<RecAudioConfig>();
  cfg->asc = asc;
  cfg->sampleRate = sampleRate;
  cfg->channels = channels;
  audioCfg_ = std::move(cfg);
}

void RecordTap::setVideoHeader(const VideoStreamHeader& h) {
  auto cfg = std::make_shared<RecVideoConfig>();
  cfg->avcc = h.avcc;
  cfg->width = h.width;
  cfg->height = h.height;
  std::lock_guard lk(mu_);
  videoCfg_ = std::move(cfg);
}

FileRequest RecordTap::start(const std::string& path, std::chrono::seconds slice) {
  std::string why;
  if (int r = LocalRecorder::checkPath(path, &why); r != 0) {
    OL_LOGW("push", "local record refused: %s", why.c_str());
    return r == -3 ? FileRequest::FileExists : FileRequest::BadPath;
  }
  LocalRecorder::Options o;
  o.path = path;
  o.slice = std::max(slice, std::chrono::seconds(0));
  o.hasVideo = hasVideo_;
  o.hasAudio = hasAudio_;
  o.audioConfig = audioCfg_;
  o.reportGate = reportGate_;
  LocalRecorder::Callbacks cb;
  cb.onProgress = [this](const std::string& file, int64_t ms) {
    events_.emit(EventCode::PUSH_EVT_LOCAL_RECORD_PROGRESS, "recording " + file,
                 {{std::string(evt::kParam1), std::to_string(ms)}, {std::string(evt::kDescription), file}});
  };
  cb.onResult = [this](const RecordResult& r) {
    const std::string what =
        r.ok ? "recorded " + std::to_string(r.durationMs) + " ms to " + r.path : "recording failed: " + r.error;
    events_.emit(EventCode::PUSH_EVT_LOCAL_RECORD_RESULT, what,
                 {{std::string(evt::kParam1), r.ok ? "0" : "-1"},
                  {std::string(evt::kParam2), std::to_string(r.durationMs)},
                  {std::string(evt::kDescription), r.path}});
  };
  {
    std::lock_guard lk(mu_);
    if (recorder_ && recorder_->active()) return FileRequest::Busy;
    std::unique_ptr<LocalRecorder> old = std::move(recorder_);  // a failed one: already finished
    recorder_ = std::make_unique<LocalRecorder>(std::move(o), std::move(cb));
  }
  if (requestKeyframe_) requestKeyframe_();  // the file starts at an IDR: ask for one rather than wait for the GOP
  OL_LOGI("push", "local record to %s (slice %lld s)", path.c_str(), static_cast<long long>(slice.count()));
  return FileRequest::Accepted;
}

void RecordTap::stop() {
  std::unique_ptr<LocalRecorder> rec;
  {
    std::lock_guard lk(mu_);
    rec = std::move(recorder_);
  }
  if (rec) rec->stopWithin(LocalRecorder::kStopBudget);  // a slow disk: finished in the background
}

void RecordTap::stopQuietly() {
  reportGate_->close();
  stop();
}

bool RecordTap::active() const {
  std::lock_guard lk(mu_);
  return recorder_ && recorder_->active();
}

void RecordTap::video(const EncodedPacket& p) {
  std::lock_guard lk(mu_);
  if (!recorder_) return;
  RecPacket r;  // the recorder's own packet type (sdk/mux/file_muxer.h), made at its door
  r.video = true;
  r.keyframe = p.keyframe;
  r.dtsMs = p.dtsMs;
  r.ptsMs = p.ptsMs;
  r.data = p.data;
  r.videoConfig = videoCfg_;
  recorder_->push(std::move(r));
}

void RecordTap::audio(const EncodedPacket& p) {
  std::lock_guard lk(mu_);
  if (!recorder_) return;
  RecPacket r;
  r.video = false;
  r.keyframe = true;
  r.dtsMs = r.ptsMs = p.dtsMs;
  r.data = p.data;
  r.audioConfig = audioCfg_;
  recorder_->push(std::move(r));
}

FileRequest SnapshotTap::request(const std::string& path, bool hasVideo, bool stopping) {
  std::string why;
  if (int r = checkSnapshotPath(path, &why); r != 0) {
    OL_LOGW("push", "snapshot refused: %s", why.c_str());
    return static_cast<FileRequest>(r);
  }
  if (!hasVideo || stopping) return FileRequest::Failed;
  std::lock_guard lk(mu_);
  if (pending_) return FileRequest::Failed;
  path_ = path;
  pending_ = true;
  return FileRequest::Accepted;
}

void SnapshotTap::offer(const PlaneView& img) {
  if (!pending_.load(std::memory_order_relaxed)) return;
  std::string path;
  {
    std::lock_guard lk(mu_);
    if (path_.empty()) return;  // taken by an earlier picture; its file is being written
    path = std::move(path_);
    path_.clear();
  }
  auto copy = std::make_shared<I420Image>();  // the video path reuses its picture at once
  copy->copyFrom(img);
  const bool posted = worker_.post([this, copy, path] {
    std::string err;
    const bool ok = writeSnapshot(*copy, path, &err);
    const std::string size = std::to_string(copy->width) + "x" + std::to_string(copy->height);
    pending_ = false;  // before the result: an app answering 1022 with the next request is not Busy
    events_.emit(EventCode::EVT_SNAPSHOT_RESULT, ok ? "snapshot written to " + path : "snapshot failed: " + err,
                 {{std::string(evt::kParam1), ok ? "0" : "-1"},
                  {std::string(evt::kParam2), size},
                  {std::string(evt::kDescription), path}});
  });
  if (!posted) pending_ = false;  // stopping
}

}  // namespace openlive::detail
