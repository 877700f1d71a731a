// LivePusher: the public facade. Holds the configuration and the callbacks; each start() creates a
// PushSession (sdk/pusher/push_session.h) which owns the threads.
#include <openlive/live_pusher.h>

#include "common/logging.h"
#include "pusher/preview_feed.h"
#include "pusher/preview_source.h"
#include "pusher/push_params.h"
#include "pusher/push_preview.h"
#include "pusher/push_session.h"
#include "transport/rtmp_connection.h"

#include <atomic>
#include <mutex>
#include <optional>

namespace openlive {

struct LivePusher::Impl {
  mutable std::mutex mu;  // guards config and session (never held while calling into the app)
  PushConfig config;
  std::shared_ptr<detail::PushSession> session;
  std::shared_ptr<detail::PusherCallbacks> callbacks = std::make_shared<detail::PusherCallbacks>();
  std::atomic<bool> muted{false};  // carried into the next session

  // The local preview (startPreview). previewMu serialises its start / stop and the hand-over of the video
  // source between the preview's own reader and a push session; the preview thread never takes it.
  const std::shared_ptr<detail::PreviewFeed> previewFeed = std::make_shared<detail::PreviewFeed>();
  std::mutex previewMu;
  std::unique_ptr<detail::PushPreview> preview;                // guarded by previewMu
  std::unique_ptr<detail::PreviewSourceReader> previewSource;  // guarded by previewMu
  PreviewOptions previewOptions;                               // guarded by previewMu
  bool pushOwnsSource = false;                                 // guarded by previewMu: start() .. stop()
  uint64_t pushGeneration = 0;  // guarded by previewMu: bumped by each start() that takes the source over

  // The preview's own reader takes the source back (after stop(), or once push `generation` failed and closed
  // it: a failed push leaves the preview alive, not frozen on its last picture, until the app stops it).
  void previewTakesSourceBack(std::optional<uint64_t> generation = std::nullopt) {
    PushConfig cfg;
    {
      std::lock_guard lk(mu);
      cfg = config;
    }
    std::lock_guard pl(previewMu);
    if (generation && (!pushOwnsSource || *generation != pushGeneration)) return;  // a newer push owns it
    pushOwnsSource = false;
    if (preview && !previewSource) previewSource = detail::PreviewSourceReader::start(cfg, previewFeed);
  }

  std::shared_ptr<detail::PushSession> current() const {
    std::lock_guard lk(mu);
    return session;
  }
};

LivePusher::LivePusher(PushConfig config) : impl_(std::make_shared<Impl>()) {
  impl_->config = std::move(config);
  detail::installThirdPartyLogRouting();
}

LivePusher::~LivePusher() {
  stop();
  stopPreview();
}
LivePusher::LivePusher(LivePusher&& other) noexcept = default;
LivePusher& LivePusher::operator=(LivePusher&& other) noexcept {
  if (this != &other) {
    stop();
    stopPreview();
    impl_ = std::move(other.impl_);
  }
  return *this;
}

namespace {
template <class Member, class Fn>
void setCallback(const std::shared_ptr<detail::PusherCallbacks>& cbs, Member member, Fn fn) {
  if (!cbs) return;
  std::lock_guard lk(cbs->mu);
  (*cbs).*member = std::move(fn);
}
Result notStarted() { return Result::failure(ResultCode::NotStarted, "the pusher is not started"); }
}  // namespace

void LivePusher::setEventCallback(EventCallback cb) {
  setCallback(impl_ ? impl_->callbacks : nullptr, &detail::PusherCallbacks::onEvent, std::move(cb));
}
void LivePusher::setNetStatusCallback(NetStatusCallback cb) {
  setCallback(impl_ ? impl_->callbacks : nullptr, &detail::PusherCallbacks::onNetStatus, std::move(cb));
}
void LivePusher::setStateCallback(std::function<void(PushState)> cb) {
  setCallback(impl_ ? impl_->callbacks : nullptr, &detail::PusherCallbacks::onState, std::move(cb));
}
void LivePusher::setSourceEndCallback(std::function<void()> cb) {
  setCallback(impl_ ? impl_->callbacks : nullptr, &detail::PusherCallbacks::onSourceEnd, std::move(cb));
}

void LivePusher::enableEventQueue(size_t capacity) {
  if (impl_) detail::enableQueue(*impl_->callbacks, capacity);
}
std::optional<Event> LivePusher::pollEvent(std::chrono::milliseconds timeout) {
  auto q = impl_ ? detail::queueOf(*impl_->callbacks) : nullptr;
  return q ? q->pop(timeout) : std::nullopt;
}
void LivePusher::setEventWakeup(std::function<void()> wakeup) {
  if (impl_) detail::setQueueWakeup(*impl_->callbacks, std::move(wakeup));
}

void LivePusher::setConfig(const PushConfig& config) {
  if (!impl_) return;
  std::lock_guard lk(impl_->mu);
  impl_->config = config;
}
PushConfig LivePusher::config() const {
  if (!impl_) return {};
  std::lock_guard lk(impl_->mu);
  return impl_->config;
}

namespace {
Result bad(ResultCode rc, EventCode code, std::string msg) { return Result::failure(rc, std::move(msg), code); }

Result validateVideo(const PushConfig& c) {
  if (c.video.type == VideoSourceType::None) return Result::success();
  const detail::ResolvedVideoParams v = detail::resolveVideoParams(c);
  if (v.width <= 0 || v.height <= 0 || v.width > 4096 || v.height > 4096 || v.width % 2 || v.height % 2)
    return bad(ResultCode::UnsupportedResolution, EventCode::PUSH_ERR_UNSUPPORTED_RESOLUTION,
               "unsupported resolution " + std::to_string(v.width) + "x" + std::to_string(v.height) +
                   " (even, 2..4096)");
  if (v.fps < 1 || v.fps > 60)
    return bad(ResultCode::UnsupportedResolution, EventCode::PUSH_ERR_UNSUPPORTED_RESOLUTION,
               "unsupported frame rate " + std::to_string(v.fps));
  return Result::success();
}

Result validate(const PushConfig& c, const std::string& url) {
  if (url.empty()) return bad(ResultCode::InvalidUrl, EventCode::PUSH_ERR_INVALID_ADDRESS, "empty push URL");
  if (!transport::RtmpUrl::parse(url))
    return bad(ResultCode::InvalidUrl, EventCode::PUSH_ERR_INVALID_ADDRESS,
               "not an rtmp://host/app/stream URL: " + redactSecrets(url));
  if (c.video.type == VideoSourceType::None && c.audio.type == AudioSourceType::None)
    return bad(ResultCode::NoMedia, EventCode{}, "neither video nor audio to push");
  if (Result v = validateVideo(c); !v) return v;
  if (c.audio.type != AudioSourceType::None && c.audioQuality == AudioQuality::High &&
      (c.audioChannels < 1 || c.audioChannels > 2))
    return bad(ResultCode::UnsupportedSampleRate, EventCode::PUSH_ERR_UNSUPPORTED_SAMPLERATE,
               "audio channels must be 1 or 2");
  return Result::success();
}
}  // namespace

Result LivePusher::start(const std::string& url) {
  if (!impl_) return notStarted();
  std::unique_lock lk(impl_->mu);
  if (impl_->session && !impl_->session->failed())
    return Result::failure(ResultCode::AlreadyStarted, "already pushing; call stop() first");
  std::shared_ptr<detail::PushSession> old = std::move(impl_->session);
  PushConfig cfg = impl_->config;
  lk.unlock();
  if (old) old->stop();  // a failed session: join its threads before starting again
  Result v = validate(cfg, url);
  if (!v) {
    OL_LOGE("push", "start refused: %s", v.message.c_str());
    return v;
  }
  uint64_t generation = 0;
  {
    std::lock_guard pl(impl_->previewMu);  // the push takes the video source over from the preview
    impl_->pushOwnsSource = true;
    generation = ++impl_->pushGeneration;
    impl_->previewSource.reset();
  }
  std::weak_ptr<Impl> weak = impl_;
  auto sourceFreed = [weak, generation] {
    if (auto impl = weak.lock()) impl->previewTakesSourceBack(generation);
  };
  impl_->callbacks->debug->clearReports();  // the preview's overlay starts over with this push
  auto session = std::make_shared<detail::PushSession>(cfg, url, impl_->callbacks, impl_->previewFeed, sourceFreed);
  session->setMute(impl_->muted);
  Result r = session->start();
  if (!r) {
    session->stop();
    restartPreviewSource();
    return r;
  }
  lk.lock();
  if (impl_->session) {  // a concurrent start() won; keep that one
    lk.unlock();
    session->stop();
    return Result::failure(ResultCode::AlreadyStarted, "already pushing");
  }
  impl_->session = std::move(session);
  OL_LOGI("push", "start %s", redactSecrets(url).c_str());
  return r;
}

void LivePusher::stop() {
  if (!impl_) return;
  std::shared_ptr<detail::PushSession> s;
  {
    std::lock_guard lk(impl_->mu);
    s = std::move(impl_->session);
  }
  if (!s) return;
  s->stop();
  impl_->callbacks->debug->clearReports();  // the overlay says "not pushing" again
  restartPreviewSource();  // a preview that is on goes on from its own reader
}

void LivePusher::restartPreviewSource() { impl_->previewTakesSourceBack(); }

Result LivePusher::startPreview(const VideoOutput& view, const PreviewOptions& options) {
  if (!impl_) return notStarted();
  std::lock_guard pl(impl_->previewMu);
  impl_->preview.reset();  // a second startPreview replaces the first (its thread is joined here)
  impl_->previewOptions = options;
  impl_->previewFeed->setEnabled(true);
  std::weak_ptr<Impl> weak = impl_;
  impl_->preview = std::make_unique<detail::PushPreview>(impl_->previewFeed, impl_->callbacks->debug,
                                                        [weak](const std::string& why) {
    if (auto impl = weak.lock())
      if (auto s = impl->current()) s->warn(EventCode::PUSH_WARNING_BEAUTYSURFACE_VIEW_INIT_FAIL, why);
  });
  Result r = impl_->preview->open(view, options);
  if (!r) {
    impl_->preview.reset();
    impl_->previewSource.reset();
    impl_->previewFeed->setEnabled(false);
    return r;
  }
  if (!impl_->pushOwnsSource && !impl_->previewSource)
    impl_->previewSource = detail::PreviewSourceReader::start(config(), impl_->previewFeed);
  return r;
}

void LivePusher::stopPreview() {
  if (!impl_) return;
  std::lock_guard pl(impl_->previewMu);
  impl_->previewFeed->setEnabled(false);
  impl_->previewSource.reset();
  impl_->preview.reset();
}

bool LivePusher::isPreviewing() const {
  if (!impl_) return false;
  std::lock_guard pl(impl_->previewMu);
  return impl_->preview != nullptr;
}

void LivePusher::setPreviewOptions(const PreviewOptions& options) {
  if (!impl_) return;
  std::lock_guard pl(impl_->previewMu);
  impl_->previewOptions = options;
  if (impl_->preview) impl_->preview->setOptions(options);
}

void LivePusher::showDebugView(bool show) {
  if (impl_) impl_->callbacks->debug->setShown(show);  // the preview thread sees it within one tick (16 ms)
}

void LivePusher::setPreviewMirror(bool mirror) {
  if (!impl_) return;
  PreviewOptions o;
  {
    std::lock_guard pl(impl_->previewMu);
    o = impl_->previewOptions;
  }
  o.mirror = mirror;
  setPreviewOptions(o);
}

uint64_t LivePusher::previewDroppedFrames() const { return impl_ ? impl_->previewFeed->dropped() : 0; }

bool LivePusher::isActive() const {
  auto s = impl_ ? impl_->current() : nullptr;
  return s && !s->failed();
}

PushState LivePusher::state() const {
  auto s = impl_ ? impl_->current() : nullptr;
  return s ? s->state() : PushState::Idle;
}

bool LivePusher::isPublished() const {
  auto s = impl_ ? impl_->current() : nullptr;
  return s && s->published();
}

void LivePusher::pause() {
  if (auto s = impl_ ? impl_->current() : nullptr) s->setPaused(true);
}
void LivePusher::resume() {
  if (auto s = impl_ ? impl_->current() : nullptr) s->setPaused(false);
}
Result LivePusher::setVideoQuality(const PushConfig& quality) {
  if (!impl_) return notStarted();
  std::unique_lock lk(impl_->mu);
  PushConfig next = impl_->config;
  next.mode = quality.mode;
  next.width = quality.width;
  next.height = quality.height;
  next.landscape = quality.landscape;
  next.aspect = quality.aspect;
  next.bitrateKbps = quality.bitrateKbps;
  next.minBitrateKbps = quality.minBitrateKbps;
  next.maxBitrateKbps = quality.maxBitrateKbps;
  next.gopSeconds = quality.gopSeconds;
  next.autoAdjust = quality.autoAdjust;
  if (Result v = validateVideo(next); !v) {
    OL_LOGE("push", "video quality refused: %s", v.message.c_str());
    return v;
  }
  impl_->config = next;
  auto session = impl_->session;
  lk.unlock();
  if (!session) return Result::success();  // the next start() uses it
  return session->changeVideoQuality(next);
}

Result LivePusher::setVideoQuality(PushMode mode) {
  const PushConfig now = config();
  PushConfig q;  // the mode's table, no overrides; the orientation and aspect stay
  q.mode = mode;
  q.landscape = now.landscape;
  q.aspect = now.aspect;
  return setVideoQuality(q);
}

// switchMicrophone / switchCamera: the running session opens and hands over the device; either way the device
// becomes the configuration of the next start().
Result LivePusher::switchDevice(const std::string& deviceId, bool camera) {
  if (!impl_) return notStarted();
  if (auto s = impl_->current()) {
    if (Result r = camera ? s->switchCamera(deviceId) : s->switchMicrophone(deviceId); !r) return r;
  } else if (camera ? config().video.type != VideoSourceType::Camera
                    : config().audio.type != AudioSourceType::Microphone) {
    return Result::failure(ResultCode::WrongSource, camera ? "the picture does not come from a camera"
                                                           : "the sound does not come from a microphone");
  }
  std::lock_guard lk(impl_->mu);
  (camera ? impl_->config.video.path : impl_->config.audio.path) = deviceId;
  return Result::success();
}

Result LivePusher::switchMicrophone(const std::string& deviceId) { return switchDevice(deviceId, false); }
Result LivePusher::switchCamera(const std::string& deviceId) { return switchDevice(deviceId, true); }

void LivePusher::setMute(bool mute) {
  if (!impl_) return;
  impl_->muted = mute;
  if (auto s = impl_->current()) s->setMute(mute);
}
void LivePusher::setMirror(bool mirror) {
  if (!impl_) return;
  {
    std::lock_guard lk(impl_->mu);
    impl_->config.mirror = mirror;
  }
  if (auto s = impl_->current()) s->setMirror(mirror);
}

Result LivePusher::sendCustomVideoFrame(const VideoFrame& frame) {
  auto s = impl_ ? impl_->current() : nullptr;
  if (s) return s->sendCustomVideo(frame);
  if (impl_ && impl_->previewFeed->enabled()) {  // not pushing: the app's frames still reach the preview
    detail::PlaneView view;
    for (int i = 0; i < 3; ++i) {
      view.data[i] = frame.planes[i];
      view.stride[i] = frame.strides[i];
    }
    view.width = frame.width;
    view.height = frame.height;
    impl_->previewFeed->offer(view);
  }
  return notStarted();
}
Result LivePusher::sendEncodedVideo(const EncodedVideoPacket& packet) {
  auto s = impl_ ? impl_->current() : nullptr;
  return s ? s->sendEncodedVideo(packet) : notStarted();
}
Result LivePusher::sendCustomPCM(const AudioFrame& frame) {
  auto s = impl_ ? impl_->current() : nullptr;
  return s ? s->sendCustomAudio(frame) : notStarted();
}
Result LivePusher::sendEncodedAudio(const EncodedAudioPacket& packet) {
  auto s = impl_ ? impl_->current() : nullptr;
  return s ? s->sendEncodedAudio(packet) : notStarted();
}
Result LivePusher::sendMessage(const std::vector<uint8_t>& data) {
  auto s = impl_ ? impl_->current() : nullptr;
  return s ? s->queueMessage(data) : notStarted();
}

Result LivePusher::captureVideoSnapshot(const std::string& path) {
  auto s = impl_ ? impl_->current() : nullptr;
  if (!s || s->failed()) return notStarted();
  return toResult(s->requestSnapshot(path), path);
}
Result LivePusher::startLocalRecord(const std::string& path, std::chrono::seconds slice) {
  auto s = impl_ ? impl_->current() : nullptr;
  if (!s || s->failed()) return notStarted();
  return toResult(s->startRecord(path, slice), path);
}
void LivePusher::stopLocalRecord() {
  if (auto s = impl_ ? impl_->current() : nullptr) s->stopRecord();
}
bool LivePusher::isRecording() const {
  auto s = impl_ ? impl_->current() : nullptr;
  return s && s->recording();
}

}  // namespace openlive
