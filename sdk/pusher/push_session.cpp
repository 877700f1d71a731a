#include "pusher/push_session.h"

#include "capture/av_device_source.h"
#include "capture/device_ids.h"

#include "common/logging.h"

#include <pthread.h>

#include <algorithm>

namespace openlive::detail {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;
using Kind = EncodedPacket::Kind;

constexpr milliseconds kDrainBudget{120};   // stop(): the graceful part
constexpr milliseconds kPoliteClose{20};    // stop(): the io thread's chance to close the link itself
constexpr milliseconds kCongestionTick{200};

StreamInfo streamInfoFor(const PushConfig& c, const ResolvedVideoParams& v) {
  StreamInfo s;
  s.hasVideo = c.video.type != VideoSourceType::None;
  s.hasAudio = c.audio.type != AudioSourceType::None;
  s.fps = v.fps;
  s.audioKbps = audioKbpsFor(c);
  s.audioSampleRate = audioRateFor(c);
  s.audioChannels = audioChannelsFor(c);
  return s;
}

}  // namespace

PushSession::PushSession(PushConfig config, std::string url, std::shared_ptr<PusherCallbacks> callbacks,
                         std::shared_ptr<PreviewFeed> preview, std::function<void()> onSourceFreedByFailure)
    : config_(std::move(config)),
      video_(resolveVideoParams(config_)),
      hasVideo_(config_.video.type != VideoSourceType::None),
      hasAudio_(config_.audio.type != AudioSourceType::None),
      preview_(std::move(preview)),
      onSourceFreedByFailure_(std::move(onSourceFreedByFailure)),
      events_(std::move(callbacks), state_, signal_, [this] { requestStop(); }),
      queue_(config_.dropThreshold, config_.maxCache, config_.nonRefDropThreshold),
      interleaver_(interleaverOptionsFor(config_, video_.fps),
                   [this](EncodedPacket&& p, bool flushing) {
                     queue_.push(std::move(p), flushing || signal_.draining());  // a drain is not backlog
                   }),
      record_(hasVideo_, hasAudio_, events_, [this] { if (videoPipe_) videoPipe_->requestKeyframe(); }),
      abr_(config_, video_),
      publisher_(config_, std::move(url), streamInfoFor(config_, video_),
                 Publisher::Deps{queue_, interleaver_, headers_, state_, clock_, signal_, events_, stats_, sourceEnd_,
                                 [this] { if (videoPipe_) videoPipe_->requestKeyframe(); }}) {
  controls_.mirror = config_.mirror;
  state_.setObserver([this] { events_.publishState(); });
  if (hasVideo_) {
    videoPipe_ = std::make_unique<VideoPipeline>(
        video_, abr_.startRung(),
        VideoPipeline::Deps{interleaver_, queue_, clock_, events_, stats_, headers_, record_, snapshots_,
                            relayTimeline_, signal_.stopFlag()});
    if (config_.video.type == VideoSourceType::Custom)
      appVideo_ = std::make_unique<AppVideoSource>(*videoPipe_, AppSourceDeps{clock_, events_, controls_, preview_.get()});
    else
      videoCapture_ = std::make_unique<VideoCapture>(
          config_, video_, VideoCapture::Deps{*videoPipe_, clock_, signal_, events_, controls_, sourceEnd_, cameraSwitch_,
                                                 preview_.get()});
  }
  if (hasAudio_) {
    AudioEncoderOptions ao{audioRateFor(config_), audioChannelsFor(config_), audioKbpsFor(config_)};
    audioPipe_ = std::make_unique<AudioPipeline>(ao, AudioPipeline::Deps{interleaver_, events_, stats_, record_, relayTimeline_});
    if (config_.audio.type == AudioSourceType::Custom)
      appAudio_ = std::make_unique<AppAudioSource>(*audioPipe_, AppSourceDeps{clock_, events_, controls_});
    else
      audioCapture_ = std::make_unique<AudioCapture>(
          config_, AudioCapture::Deps{*audioPipe_, clock_, signal_, events_, controls_, sourceEnd_, micSwitch_});
  }
}

PushSession::~PushSession() { stop(); }

Result PushSession::start() {
  if (audioPipe_) {
    std::string err;
    if (!audioPipe_->open(&err)) return Result::failure(ResultCode::Failed, err, EventCode::PUSH_ERR_AUDIO_ENCODE_FAIL);
    headers_.setAudio(audioPipe_->asc());
    record_.setAudioConfig(audioPipe_->asc(), audioPipe_->options().sampleRate, audioPipe_->options().channels);
  }
  if (appVideo_ && !videoPipe_->open(video_.fps))
    return Result::failure(ResultCode::Failed, "cannot open the H.264 encoder", EventCode::PUSH_ERR_VIDEO_ENCODE_FAIL);
  state_.apply(SessionEvent::Start);
  ioThread_ = std::thread([this] { publisher_.run(); });
  statThread_ = std::thread([this] { statThread(); });
  if (videoCapture_)
    videoThread_ = std::thread([this] {
      videoCapture_->run();  // returns with the source closed
      if (failed() && onSourceFreedByFailure_) onSourceFreedByFailure_();
    });
  if (audioCapture_) audioThread_ = std::thread([this] { audioCapture_->run(); });
  return {};
}

void PushSession::requestStop() {
  signal_.requestStop();
  queue_.close();
  publisher_.cancel();
}

bool PushSession::drained() const {
  return (!hasVideo_ || interleaver_.trackEnded(Kind::Video)) && (!hasAudio_ || interleaver_.trackEnded(Kind::Audio)) &&
         interleaver_.held() == 0 && queue_.empty();
}

// stopPush() on a published stream: capture ends, the encoders' delayed frames (B-frames, lookahead) go into the
// queue and the sender empties it, so the stream ends with what was captured. Bounded by kDrainBudget.
void PushSession::drain() {
  if (!published() || signal_.stopping()) return;
  const auto deadline = Clock::now() + kDrainBudget;
  signal_.requestDrain();
  if (appVideo_) videoPipe_->finish();
  if (appAudio_) audioPipe_->finish();
  const bool done = signal_.waitUntil(deadline, [&] { return drained() || !published() || signal_.stopping(); });
  OL_LOGI("push", "stop: %s, %zu packets held, %zu queued", done ? "drained" : "drain cut at the deadline",
          interleaver_.held(), queue_.size());
}

void PushSession::stop() {
  std::call_once(stopOnce_, [this] {
    drain();
    // Let the io thread leave on its own first (it closes the link politely: FCUnpublish, deleteStream); if it
    // is blocked in I/O, cancel() shuts the socket down.
    signal_.requestStop();
    queue_.close();
    signal_.waitUntil(Clock::now() + kPoliteClose, [&] { return publisher_.done(); });
    requestStop();
    for (std::thread* t : {&videoThread_, &audioThread_, &ioThread_, &statThread_})
      if (t->joinable()) t->join();
    record_.stopQuietly();  // stopping: no 1029, the file finishes (in the background if the disk is slow)
    snapshots_.shutdown();
    events_.shutdown();
    state_.apply(SessionEvent::Stop);
  });
}

void PushSession::setPaused(bool paused) {
  if (paused) {
    int64_t notPaused = -1;
    controls_.pausedSinceUs.compare_exchange_strong(notPaused, steadyNowUs());
    state_.apply(SessionEvent::Pause);
  } else {
    controls_.pausedSinceUs = -1;
    if (videoPipe_) videoPipe_->requestKeyframe();
    state_.apply(SessionEvent::Resume);
  }
}

Result PushSession::sendCustomVideo(const VideoFrame& frame) {
  if (!appVideo_) return Result::failure(ResultCode::WrongSource, "the video source is not VideoSourceType::Custom");
  if (signal_.stopping()) return Result::failure(ResultCode::NotStarted, "stopping");
  return appVideo_->push(frame);
}

Result PushSession::sendEncodedVideo(const EncodedVideoPacket& packet) {
  if (!appVideo_) return Result::failure(ResultCode::WrongSource, "the video source is not VideoSourceType::Custom");
  if (signal_.stopping()) return Result::failure(ResultCode::NotStarted, "stopping");
  return appVideo_->pushEncoded(packet);
}

Result PushSession::sendCustomAudio(const AudioFrame& frame) {
  if (!appAudio_) return Result::failure(ResultCode::WrongSource, "the audio source is not AudioSourceType::Custom");
  if (signal_.stopping()) return Result::failure(ResultCode::NotStarted, "stopping");
  return appAudio_->push(frame);
}

Result PushSession::sendEncodedAudio(const EncodedAudioPacket& packet) {
  if (!appAudio_) return Result::failure(ResultCode::WrongSource, "the audio source is not AudioSourceType::Custom");
  if (signal_.stopping()) return Result::failure(ResultCode::NotStarted, "stopping");
  return appAudio_->pushEncoded(packet);
}

Result PushSession::queueMessage(const std::vector<uint8_t>& data) {
  if (!videoPipe_) return Result::failure(ResultCode::NothingToCapture, "no video track to carry the message");
  if (signal_.stopping()) return Result::failure(ResultCode::NotStarted, "stopping");
  if (data.empty() || data.size() > 4096)
    return Result::failure(ResultCode::InvalidArgument, "a message is 1..4096 bytes");
  if (!videoPipe_->queueMessage(data))
    return Result::failure(ResultCode::Busy, "too many messages pending (64)");
  return Result::success();
}

FileRequest PushSession::requestSnapshot(const std::string& path) {
  return snapshots_.request(path, hasVideo_, signal_.stopping());
}

FileRequest PushSession::startRecord(const std::string& path, std::chrono::seconds slice) {
  if (signal_.stopping() || failed()) return FileRequest::NotActive;
  return record_.start(path, slice);
}

// ---------------------------------------------------------------- statistics

Result PushSession::changeVideoQuality(const PushConfig& config) {
  if (!videoPipe_) return Result::failure(ResultCode::NothingToCapture, "the stream has no video");
  std::lock_guard lk(qualityMu_);
  pendingQuality_.emplace(config, resolveVideoParams(config));
  return Result::success();
}

void PushSession::applyQualityChange() {
  std::optional<std::pair<PushConfig, ResolvedVideoParams>> q;
  {
    std::lock_guard lk(qualityMu_);
    q.swap(pendingQuality_);
  }
  if (!q || !videoPipe_) return;
  abr_.reconfigure(q->first, q->second);
  // The interleaver's bound follows the new encoder's delay (B-frames and lookahead, or none).
  interleaver_.setMaxHold(interleaverOptionsFor(q->first, video_.fps).maxHold);
  videoPipe_->requestParams(q->second);
}

void PushSession::congestionTick(Clock::time_point now) {
  applyQualityChange();
  const PushStats::Totals t = stats_.totals();
  LinkEstimator::Sample s{now, t.sentBytes, t.sentAudioBytes, -1, t.videoBytes, -1};
  if (abr_.enabled()) {
    if (auto conn = publisher_.connection()) {
      s.ackedBytes = conn->bytesAcked();
      s.rttUs = conn->smoothedRttUs();
    }
  }
  const AdaptiveBitrate::Decision d = abr_.tick(now, published() && !controls_.paused(), queue_.durationMs(), s);
  if (d.busyQueueMs)
    events_.emit(EventCode::PUSH_WARNING_NET_BUSY,
                 "uplink too slow: " + std::to_string(*d.busyQueueMs) + " ms of media waiting to be sent",
                 {{std::string(evt::kParam1), std::to_string(*d.busyQueueMs)}});
  if (!videoPipe_) return;
  if (d.kbps) {
    videoPipe_->requestBitrate(*d.kbps);
    events_.emit(EventCode::PUSH_EVT_CHANGE_BITRATE, "video bitrate changed to " + std::to_string(*d.kbps) + " kbps",
                 {{std::string(evt::kParam1), std::to_string(*d.kbps)}});
  }
  if (d.rung) videoPipe_->requestRung(*d.rung);
}

PushStats::Snapshot PushSession::statusSnapshot() const {
  PushStats::Snapshot s;
  if (videoPipe_) {
    s.width = videoPipe_->width();
    s.height = videoPipe_->height();
    s.targetKbps = videoPipe_->targetKbps();
  }
  s.gopSeconds = videoPipe_ ? videoPipe_->gopSeconds() : video_.gopSeconds;
  s.queueMs = queue_.durationMs();
  s.dropped = queue_.dropped();
  s.audioInfo = std::to_string(audioRateFor(config_)) + "," + std::to_string(audioChannelsFor(config_));
  s.serverIp = publisher_.serverIp();
  s.state = std::string(toString(state()));
  return s;
}

void PushSession::statThread() {
  pthread_setname_np(pthread_self(), "ol-push-stat");
  const auto interval = std::max(config_.netStatusInterval, milliseconds(100));
  auto nextStatus = Clock::now() + interval;
  auto nextTick = Clock::now() + kCongestionTick;
  while (signal_.sleepUntil(std::min(nextStatus, nextTick))) {
    const auto now = Clock::now();
    if (now >= nextTick) {
      congestionTick(now);
      nextTick = now + kCongestionTick;
    }
    if (now < nextStatus) continue;
    nextStatus = now + interval;
    events_.netStatus(stats_.report(now, statusSnapshot()));
  }
}

Result PushSession::switchMicrophone(const std::string& id) {
  if (!audioPipe_ || config_.audio.type != AudioSourceType::Microphone)
    return Result::failure(ResultCode::WrongSource, "the stream's sound does not come from a microphone");
  const AudioEncoderOptions& enc = audioPipe_->options();
  auto mic = std::make_unique<AvDeviceAudioSource>();
  std::string err;
  if (!mic->open(id, enc.sampleRate, enc.channels, signal_.stopFlag(), &err))
    return Result::failure(ResultCode::Failed, "microphone " + id + ": " + err, EventCode::PUSH_ERR_OPEN_MIC_FAIL);
  micSwitch_.offer(std::move(mic));
  return Result::success();
}

Result PushSession::switchCamera(const std::string& id) {
  if (!videoPipe_ || config_.video.type != VideoSourceType::Camera)
    return Result::failure(ResultCode::WrongSource, "the stream's picture does not come from a camera");
  auto cam = std::make_unique<AvDeviceVideoSource>();
  std::string err;
  const std::string dev = parseDeviceId(id).name;
  if (!cam->open("v4l2", dev, video_.width, video_.height, video_.fps, signal_.stopFlag(), &err))
    return Result::failure(ResultCode::Failed, "camera " + dev + ": " + err, EventCode::PUSH_ERR_OPEN_CAMERA_FAIL);
  cameraSwitch_.offer(std::move(cam));
  return Result::success();
}

}  // namespace openlive::detail
