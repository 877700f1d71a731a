// LivePusher: the public facade. Holds the configuration and the callbacks; each startPush() creates a
// PushSession (sdk/pusher/push_session.h) which owns the threads.
#include <openlive/live_pusher.h>

#include "common/logging.h"
#include "pusher/push_params.h"
#include "pusher/push_session.h"
#include "transport/rtmp_connection.h"

#include <atomic>
#include <mutex>

namespace openlive {

struct LivePusher::Impl {
  mutable std::mutex mu;  // guards config and session (never held while calling into the app)
  PushConfig config;
  std::shared_ptr<detail::PushSession> session;
  std::shared_ptr<detail::PusherCallbacks> callbacks = std::make_shared<detail::PusherCallbacks>();
  std::atomic<bool> muted{false};  // carried into the next session

  std::shared_ptr<detail::PushSession> current() const {
    std::lock_guard lk(mu);
    return session;
  }
};

LivePusher::LivePusher(PushConfig config) : impl_(std::make_shared<Impl>()) {
  impl_->config = std::move(config);
  detail::installThirdPartyLogRouting();
}

LivePusher::~LivePusher() { stopPush(); }

void LivePusher::setEventCallback(EventCallback cb) {
  std::lock_guard lk(impl_->callbacks->mu);
  impl_->callbacks->onEvent = std::move(cb);
}
void LivePusher::setNetStatusCallback(NetStatusCallback cb) {
  std::lock_guard lk(impl_->callbacks->mu);
  impl_->callbacks->onNetStatus = std::move(cb);
}
void LivePusher::setSourceEndCallback(std::function<void()> cb) {
  std::lock_guard lk(impl_->callbacks->mu);
  impl_->callbacks->onSourceEnd = std::move(cb);
}

void LivePusher::setConfig(const PushConfig& config) {
  std::lock_guard lk(impl_->mu);
  impl_->config = config;
}
PushConfig LivePusher::config() const {
  std::lock_guard lk(impl_->mu);
  return impl_->config;
}

namespace {
StartResult validate(const PushConfig& c, const std::string& url) {
  auto bad = [](EventCode code, std::string msg) { return StartResult{false, code, std::move(msg)}; };
  if (url.empty()) return bad(EventCode::PUSH_ERR_INVALID_ADDRESS, "empty push URL");
  auto parsed = transport::RtmpUrl::parse(url);
  if (!parsed) return bad(EventCode::PUSH_ERR_INVALID_ADDRESS, "not an rtmp://host/app/stream URL: " + redactSecrets(url));
  if (c.video.type != VideoSourceType::None) {
    const detail::ResolvedVideoParams v = detail::resolveVideoParams(c);
    if (v.width <= 0 || v.height <= 0 || v.width > 4096 || v.height > 4096 || v.width % 2 || v.height % 2)
      return bad(EventCode::PUSH_ERR_UNSUPPORTED_RESOLUTION,
                 "unsupported resolution " + std::to_string(v.width) + "x" + std::to_string(v.height) +
                     " (even, 2..4096)");
    if (v.fps < 1 || v.fps > 60)
      return bad(EventCode::PUSH_ERR_UNSUPPORTED_RESOLUTION, "unsupported frame rate " + std::to_string(v.fps));
  }
  if (c.audio.type != AudioSourceType::None && c.audioQuality == AudioQuality::High &&
      (c.audioChannels < 1 || c.audioChannels > 2))
    return bad(EventCode::PUSH_ERR_UNSUPPORTED_SAMPLERATE, "audio channels must be 1 or 2");
  if (c.video.type == VideoSourceType::None && c.audio.type == AudioSourceType::None)
    return bad(EventCode::PUSH_ERR_INVALID_ADDRESS, "neither video nor audio to push");
  return {};
}
}  // namespace

StartResult LivePusher::startPush(const std::string& url) {
  std::unique_lock lk(impl_->mu);
  if (impl_->session && !impl_->session->failed())
    return StartResult{false, EventCode{}, "already pushing; call stopPush() first"};
  std::shared_ptr<detail::PushSession> old = std::move(impl_->session);
  PushConfig cfg = impl_->config;
  lk.unlock();
  if (old) old->stop();  // a failed session: join its threads before starting again
  StartResult v = validate(cfg, url);
  if (!v) {
    OL_LOGE("push", "startPush refused: %s", v.message.c_str());
    return v;
  }
  auto session = std::make_shared<detail::PushSession>(cfg, url, impl_->callbacks);
  session->setMute(impl_->muted);
  StartResult r = session->start();
  if (!r) {
    session->stop();
    return r;
  }
  lk.lock();
  if (impl_->session) {  // a concurrent startPush won; keep that one
    lk.unlock();
    session->stop();
    return StartResult{false, EventCode{}, "already pushing"};
  }
  impl_->session = std::move(session);
  OL_LOGI("push", "startPush %s", redactSecrets(url).c_str());
  return r;
}

void LivePusher::stopPush() {
  std::shared_ptr<detail::PushSession> s;
  {
    std::lock_guard lk(impl_->mu);
    s = std::move(impl_->session);
  }
  if (s) s->stop();
}

bool LivePusher::isPushing() const {
  auto s = impl_->current();
  return s && !s->failed();
}

PushState LivePusher::state() const {
  auto s = impl_->current();
  return s ? s->state() : PushState::Idle;
}

bool LivePusher::isPublished() const {
  auto s = impl_->current();
  return s && s->published();
}

void LivePusher::pausePush() {
  if (auto s = impl_->current()) s->setPaused(true);
}
void LivePusher::resumePush() {
  if (auto s = impl_->current()) s->setPaused(false);
}
void LivePusher::setMute(bool mute) {
  impl_->muted = mute;
  if (auto s = impl_->current()) s->setMute(mute);
}
void LivePusher::setMirror(bool mirror) {
  {
    std::lock_guard lk(impl_->mu);
    impl_->config.mirror = mirror;
  }
  if (auto s = impl_->current()) s->setMirror(mirror);
}

bool LivePusher::sendCustomVideoFrame(const VideoFrame& frame) {
  auto s = impl_->current();
  return s && s->sendCustomVideo(frame);
}
bool LivePusher::sendCustomPCM(const AudioFrame& frame) {
  auto s = impl_->current();
  return s && s->sendCustomAudio(frame);
}
bool LivePusher::sendMessage(const std::vector<uint8_t>& data) {
  auto s = impl_->current();
  return s && s->queueMessage(data);
}

FileRequest LivePusher::captureVideoSnapshot(const std::string& path) {
  auto s = impl_->current();
  if (!s || s->failed()) return FileRequest::NotActive;
  return s->requestSnapshot(path);
}
FileRequest LivePusher::startLocalRecord(const std::string& path, std::chrono::seconds slice) {
  auto s = impl_->current();
  if (!s || s->failed()) return FileRequest::NotActive;
  return s->startRecord(path, slice);
}
void LivePusher::stopLocalRecord() {
  if (auto s = impl_->current()) s->stopRecord();
}
bool LivePusher::isRecording() const {
  auto s = impl_->current();
  return s && s->recording();
}

}  // namespace openlive
