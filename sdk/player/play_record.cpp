// PlaySession: snapshots of the picture on screen and local recording of the stream as received.
#include "common/logging.h"
#include "player/play_session.h"
#include "process/snapshot.h"

extern "C" {
#include <libavutil/frame.h>
}

namespace openlive::player {

// ---------------------------------------------------------------- snapshots

FileRequest PlaySession::requestSnapshot(const std::string& path) {
  std::string why;
  if (int r = detail::checkSnapshotPath(path, &why); r != 0) {
    OL_LOGW("play", "snapshot refused: %s", why.c_str());
    return static_cast<FileRequest>(r);
  }
  if (!active()) return FileRequest::NotActive;
  std::lock_guard lk(snapMu_);
  if (snapshotPending_) return FileRequest::Failed;
  snapshotPath_ = path;
  snapshotPending_ = true;
  buffer_.wake();  // a paused render loop takes the kept picture now
  return FileRequest::Accepted;
}

void PlaySession::snapshotFrame(const AVFrame* f) {
  if (!snapshotPending_.load(std::memory_order_relaxed) || !f || f->width <= 0) return;
  std::string path;
  {
    std::lock_guard lk(snapMu_);
    if (snapshotPath_.empty()) return;  // taken by an earlier picture; its file is being written
    path = std::move(snapshotPath_);
    snapshotPath_.clear();
  }
  auto img = std::make_shared<detail::I420Image>();
  const uint8_t* planes[3] = {f->data[0], f->data[1], f->data[2]};
  const int strides[3] = {f->linesize[0], f->linesize[1], f->linesize[2]};
  detail::copyI420(planes, strides, f->width, f->height, *img);  // the render thread moves on at once
  const bool posted = aux_.post([this, img, path] {
    std::string err;
    const bool ok = detail::writeSnapshot(*img, path, &err);
    snapshotPending_ = false;  // before the result: an app answering 1022 with the next request is not Busy
    emit(EventCode::EVT_SNAPSHOT_RESULT,
         {{std::string(evt::kMsg), ok ? "snapshot written to " + path : "snapshot failed: " + err},
          {std::string(evt::kParam1), ok ? "0" : "-1"},
          {std::string(evt::kParam2), std::to_string(img->width) + "x" + std::to_string(img->height)},
          {std::string(evt::kDescription), path}});
  });
  if (!posted) snapshotPending_ = false;
}

// ---------------------------------------------------------------- local recording

FileRequest PlaySession::startRecord(const std::string& path, std::chrono::seconds slice) {
  std::string why;
  if (int r = detail::LocalRecorder::checkPath(path, &why); r != 0) {
    OL_LOGW("play", "local record refused: %s", why.c_str());
    return r == -3 ? FileRequest::FileExists : FileRequest::BadPath;
  }
  if (!active()) return FileRequest::NotActive;
  std::lock_guard lk(recMu_);
  if (recorder_ && recorder_->active()) return FileRequest::Busy;
  detail::LocalRecorder::Options o;
  o.path = path;
  o.slice = std::max(slice, std::chrono::seconds(0));
  o.detectTracks = true;  // from the configurations that arrive
  o.reportGate = recordGate_;
  detail::LocalRecorder::Callbacks cb;
  cb.onProgress = [this](const std::string& file, int64_t ms) {
    emit(EventCode::PUSH_EVT_LOCAL_RECORD_PROGRESS,
         {{std::string(evt::kMsg), "recording " + file}, {std::string(evt::kParam1), std::to_string(ms)},
          {std::string(evt::kDescription), file}});
  };
  cb.onResult = [this](const detail::RecordResult& r) {
    if (recordQuiet_) return;
    emit(EventCode::PUSH_EVT_LOCAL_RECORD_RESULT,
         {{std::string(evt::kMsg),
           r.ok ? "recorded " + std::to_string(r.durationMs) + " ms to " + r.path : "recording failed: " + r.error},
          {std::string(evt::kParam1), r.ok ? "0" : "-1"},
          {std::string(evt::kParam2), std::to_string(r.durationMs)},
          {std::string(evt::kDescription), r.path}});
  };
  std::unique_ptr<detail::LocalRecorder> old = std::move(recorder_);
  recorder_ = std::make_unique<detail::LocalRecorder>(std::move(o), std::move(cb));
  OL_LOGI("play", "local record to %s (slice %lld s)", path.c_str(), static_cast<long long>(slice.count()));
  return FileRequest::Accepted;
}

void PlaySession::stopRecord() {
  std::unique_ptr<detail::LocalRecorder> rec;
  {
    std::lock_guard lk(recMu_);
    rec = std::move(recorder_);
  }
  if (rec) rec->stopWithin(detail::LocalRecorder::kStopBudget);  // a slow disk: finished in the background
}

bool PlaySession::recording() const {
  std::lock_guard lk(recMu_);
  return recorder_ && recorder_->active();
}

void PlaySession::recordPacket(const demux::MediaPacket& p) {
  std::lock_guard lk(recMu_);
  if (!recorder_) return;
  detail::RecPacket r;
  r.video = p.isVideo();
  r.keyframe = p.keyframe || !p.isVideo();
  if (const uint32_t e = feed_.epoch; e != recEpoch_) {  // a new connection: continue after what was recorded
    recEpoch_ = e;
    if (recLastDts_ != INT64_MIN) recOffset_ = recLastDts_ + 40 - p.dtsMs;
  }
  r.dtsMs = p.dtsMs + recOffset_;
  r.ptsMs = p.ptsMs + recOffset_;
  recLastDts_ = std::max(recLastDts_, r.dtsMs);
  r.data = p.data;
  if (r.video) {
    if (p.videoConfig != recVideoSrc_) {
      recVideoSrc_ = p.videoConfig;
      auto cfg = std::make_shared<detail::RecVideoConfig>();
      if (p.videoConfig) cfg->avcc = p.videoConfig->avcc;  // size: read from the SPS by the muxer
      recVideoCfg_ = p.videoConfig ? std::move(cfg) : nullptr;
    }
    r.videoConfig = recVideoCfg_;
  } else {
    if (p.audioConfig && p.audioConfig->codec != demux::AudioCodec::Aac) return;  // the files carry AAC only
    if (p.audioConfig != recAudioSrc_) {
      recAudioSrc_ = p.audioConfig;
      auto cfg = std::make_shared<detail::RecAudioConfig>();
      if (p.audioConfig) {
        cfg->asc = p.audioConfig->asc;
        cfg->sampleRate = p.audioConfig->sampleRate;
        cfg->channels = p.audioConfig->channels;
      }
      recAudioCfg_ = p.audioConfig ? std::move(cfg) : nullptr;
    }
    r.audioConfig = recAudioCfg_;
  }
  recorder_->push(std::move(r));
}

}  // namespace openlive::player
