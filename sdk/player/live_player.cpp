// LivePlayer: the public API over PlaySession (player stage).
#include <openlive/live_player.h>

#include "common/event_queue.h"
#include "common/logging.h"
#include "player/play_session.h"

#include <mutex>

namespace openlive {

void PlayConfig::setCacheMode(CacheMode mode) {
  using std::chrono::milliseconds;
  switch (mode) {
    case CacheMode::Fast:
      autoAdjustCache = true;
      minCacheTime = maxCacheTime = cacheTime = milliseconds(1000);
      break;
    case CacheMode::Smooth:
      autoAdjustCache = false;
      minCacheTime = maxCacheTime = cacheTime = milliseconds(5000);
      break;
    case CacheMode::Auto:
      autoAdjustCache = true;
      minCacheTime = milliseconds(1000);
      maxCacheTime = cacheTime = milliseconds(5000);
      break;
    case CacheMode::MiniProgram:
      autoAdjustCache = true;
      minCacheTime = milliseconds(1000);
      maxCacheTime = cacheTime = milliseconds(3000);
      break;
  }
}

std::string_view toString(PlayState state) noexcept {
  switch (state) {
    case PlayState::Idle: return "idle";
    case PlayState::Connecting: return "connecting";
    case PlayState::Playing: return "playing";
    case PlayState::Reconnecting: return "reconnecting";
    case PlayState::Paused: return "paused";
    case PlayState::Ended: return "ended";
    case PlayState::Failed: return "failed";
  }
  return "unknown";
}

struct LivePlayer::Impl {
  std::mutex mu;  // guards config and session (never held while calling the app or waiting on a thread)
  PlayConfig config;
  std::shared_ptr<player::PlaySession> session;  // shared: a call may finish on it outside `mu`
  std::shared_ptr<player::CallbackSet> callbacks = std::make_shared<player::CallbackSet>();
  std::shared_ptr<player::LiveControls> controls = std::make_shared<player::LiveControls>();

  std::shared_ptr<player::PlaySession> current() {
    std::lock_guard lk(mu);
    return session;
  }
  void updateView(const std::function<void(render::ViewOptions&)>& fn) {
    {
      std::lock_guard lk(controls->mu);
      fn(controls->view);
    }
    ++controls->viewVersion;
  }
  // updateRenderWindow / closeRenderWindow: the config for later starts, and the running session's render
  // thread told (under `mu`, so a session made meanwhile sees either the old config or the new version).
  void retargetWindow(const VideoOutput& target) {
    std::shared_ptr<player::PlaySession> s;
    {
      std::lock_guard lk(mu);
      if (target.kind == VideoOutput::Kind::NativeWindow) config.video = target;
      else if (config.video.kind == VideoOutput::Kind::Window || config.video.kind == VideoOutput::Kind::NativeWindow)
        config.video.kind = VideoOutput::Kind::None;
      {
        std::lock_guard vlk(controls->mu);
        controls->windowTarget = target;
      }
      ++controls->windowVersion;
      s = session;
    }
    if (s) s->wakeRenderer();
  }
};

namespace {
Result notStarted() { return Result::failure(ResultCode::NotStarted, "the player is not started"); }
}  // namespace

LivePlayer::LivePlayer() : impl_(std::make_shared<Impl>()) { detail::installThirdPartyLogRouting(); }
LivePlayer::LivePlayer(PlayConfig config) : LivePlayer() { impl_->config = std::move(config); }
LivePlayer::~LivePlayer() { stop(); }
LivePlayer::LivePlayer(LivePlayer&& other) noexcept = default;
LivePlayer& LivePlayer::operator=(LivePlayer&& other) noexcept {
  if (this != &other) {
    stop();
    impl_ = std::move(other.impl_);
  }
  return *this;
}

void LivePlayer::setConfig(const PlayConfig& config) {
  if (!impl_) return;
  std::lock_guard lk(impl_->mu);
  impl_->config = config;
}

PlayConfig LivePlayer::config() const {
  if (!impl_) return {};
  std::lock_guard lk(impl_->mu);
  return impl_->config;
}

PlayType LivePlayer::inferType(std::string_view url) {
  auto starts = [&](std::string_view p) { return url.size() >= p.size() && url.substr(0, p.size()) == p; };
  if (starts("rtmp://") || starts("rtmps://")) return PlayType::Rtmp;
  if (starts("http://") || starts("https://")) return PlayType::Flv;
  return PlayType::Auto;
}

Result LivePlayer::start(const std::string& url, PlayType type) {
  if (!impl_) return notStarted();
  const PlayType inferred = inferType(url);
  if (inferred == PlayType::Auto)
    return Result::failure(ResultCode::InvalidUrl, "not an rtmp(s):// or http(s):// URL: " + redactSecrets(url));
  if (type == PlayType::Auto) type = inferred;
  if ((type == PlayType::Flv) != (inferred == PlayType::Flv))
    return Result::failure(ResultCode::InvalidUrl, "the URL's scheme does not match the play type");
  std::shared_ptr<player::PlaySession> old;
  {
    std::lock_guard lk(impl_->mu);
    if (impl_->session && impl_->session->active())
      return Result::failure(ResultCode::AlreadyStarted, "already playing; call stop() first");
    old = std::move(impl_->session);  // a finished session
  }
  if (old) old->stop();  // outside `mu`: it joins threads and lets a recording finish (bounded)
  std::lock_guard lk(impl_->mu);
  if (impl_->session) return Result::failure(ResultCode::AlreadyStarted, "another start() won");
  impl_->controls->paused = false;
  {
    std::lock_guard vlk(impl_->controls->mu);
    impl_->controls->view.fullscreen = impl_->config.fullscreen;
  }
  impl_->session = std::make_shared<player::PlaySession>(url, type, impl_->config, impl_->callbacks,
                                                         impl_->controls);
  impl_->session->start();
  OL_LOGI("play", "start %s", redactSecrets(url).c_str());
  return Result::success();
}

void LivePlayer::stop() {
  if (!impl_) return;
  std::shared_ptr<player::PlaySession> s;
  {
    std::lock_guard lk(impl_->mu);
    s = std::move(impl_->session);
  }
  if (s) s->stop();
}

bool LivePlayer::isActive() const {
  if (!impl_) return false;
  auto s = impl_->current();
  return s && s->active();
}

PlayState LivePlayer::state() const {
  if (!impl_) return PlayState::Idle;
  auto s = impl_->current();
  return s ? player::publicState(s->state()) : PlayState::Idle;
}

void LivePlayer::pause() {
  if (!impl_) return;
  if (auto s = impl_->current()) s->pause();
}

void LivePlayer::resume() {
  if (!impl_) return;
  if (auto s = impl_->current()) s->resume();
}

void LivePlayer::setMute(bool mute) {
  if (impl_) impl_->controls->mute = mute;
}
void LivePlayer::setVolume(int volume) {
  if (impl_) impl_->controls->volume = std::clamp(volume, 0, 100);
}
void LivePlayer::setRenderMode(RenderMode mode) {
  if (impl_) impl_->updateView([&](render::ViewOptions& v) { v.fill = mode == RenderMode::Fill; });
}
void LivePlayer::setRenderRotation(int degrees) {
  const int d = ((degrees % 360) + 360) % 360 / 90 * 90;
  if (impl_) impl_->updateView([&](render::ViewOptions& v) { v.rotation = d; });
}
void LivePlayer::setMirror(bool mirror) {
  if (impl_) impl_->updateView([&](render::ViewOptions& v) { v.mirror = mirror; });
}

void LivePlayer::showDebugView(bool show) {
  if (!impl_) return;
  impl_->controls->debug.setShown(show);
  if (auto s = impl_->current()) s->wakeRenderer();
}

void LivePlayer::updateRenderWindow(NativeWindowHandle window) {
  if (!impl_) return;
  if (window == 0) return closeRenderWindow();
  impl_->retargetWindow({VideoOutput::Kind::NativeWindow, {}, window});
}
void LivePlayer::closeRenderWindow() {
  if (impl_) impl_->retargetWindow({VideoOutput::Kind::None, {}, 0});
}

namespace {
template <class Member, class Fn>
void setCallback(const std::shared_ptr<player::CallbackSet>& cbs, Member member, Fn fn) {
  if (!cbs) return;
  std::lock_guard lk(cbs->mu);
  (*cbs).*member = std::move(fn);
}
}  // namespace

void LivePlayer::setEventCallback(EventCallback cb) {
  setCallback(impl_ ? impl_->callbacks : nullptr, &player::CallbackSet::onEvent, std::move(cb));
}
void LivePlayer::setNetStatusCallback(NetStatusCallback cb) {
  setCallback(impl_ ? impl_->callbacks : nullptr, &player::CallbackSet::onNetStatus, std::move(cb));
}
void LivePlayer::setStateCallback(std::function<void(PlayState)> cb) {
  setCallback(impl_ ? impl_->callbacks : nullptr, &player::CallbackSet::onState, std::move(cb));
}
void LivePlayer::setVideoFrameCallback(std::function<void(const VideoFrame&)> cb) {
  setCallback(impl_ ? impl_->callbacks : nullptr, &player::CallbackSet::onVideo, std::move(cb));
}
void LivePlayer::setEncodedAudioCallback(std::function<void(const EncodedAudioPacket&)> cb) {
  setCallback(impl_ ? impl_->callbacks : nullptr, &player::CallbackSet::onEncodedAudio, std::move(cb));
}

void LivePlayer::setEncodedVideoCallback(std::function<void(const EncodedVideoPacket&)> cb) {
  setCallback(impl_ ? impl_->callbacks : nullptr, &player::CallbackSet::onEncodedVideo, std::move(cb));
}
void LivePlayer::setAudioFrameCallback(std::function<void(const AudioFrame&)> cb) {
  setCallback(impl_ ? impl_->callbacks : nullptr, &player::CallbackSet::onAudio, std::move(cb));
}

void LivePlayer::enableEventQueue(size_t capacity) {
  if (impl_) detail::enableQueue(*impl_->callbacks, capacity);
}
std::optional<Event> LivePlayer::pollEvent(std::chrono::milliseconds timeout) {
  auto q = impl_ ? detail::queueOf(*impl_->callbacks) : nullptr;
  return q ? q->pop(timeout) : std::nullopt;
}
void LivePlayer::setEventWakeup(std::function<void()> wakeup) {
  if (impl_) detail::setQueueWakeup(*impl_->callbacks, std::move(wakeup));
}

Result LivePlayer::captureVideoSnapshot(const std::string& path) {
  auto s = impl_ ? impl_->current() : nullptr;
  if (!s || !s->active()) return notStarted();
  return toResult(s->requestSnapshot(path), path);
}

Result LivePlayer::startLocalRecord(const std::string& path, std::chrono::seconds slice) {
  auto s = impl_ ? impl_->current() : nullptr;
  if (!s || !s->active()) return notStarted();
  return toResult(s->startRecord(path, slice), path);
}

void LivePlayer::stopLocalRecord() {
  if (auto s = impl_ ? impl_->current() : nullptr) s->stopRecord();  // outside `mu`: bounded, then background
}

bool LivePlayer::isRecording() const {
  auto s = impl_ ? impl_->current() : nullptr;
  return s && s->recording();
}

}  // namespace openlive
