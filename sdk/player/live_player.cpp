// LivePlayer: the public API over PlaySession (player stage).
#include <openlive/live_player.h>

#include "common/logging.h"
#include "player/play_session.h"

#include <mutex>

namespace openlive {

void PlayConfig::setCacheMode(CacheMode mode) {
  switch (mode) {
    case CacheMode::Fast:
      autoAdjustCache = true;
      minCacheTime = maxCacheTime = cacheTime = 1.0;
      break;
    case CacheMode::Smooth:
      autoAdjustCache = false;
      minCacheTime = maxCacheTime = cacheTime = 5.0;
      break;
    case CacheMode::Auto:
      autoAdjustCache = true;
      minCacheTime = 1.0;
      maxCacheTime = cacheTime = 5.0;
      break;
    case CacheMode::MiniProgram:
      autoAdjustCache = true;
      minCacheTime = 1.0;
      maxCacheTime = cacheTime = 3.0;
      break;
  }
}

struct LivePlayer::Impl {
  std::mutex mu;  // guards config and session (never held while calling the app)
  PlayConfig config;
  std::shared_ptr<player::PlaySession> session;  // shared: a call may finish on it outside `mu`
  std::shared_ptr<player::CallbackSet> callbacks = std::make_shared<player::CallbackSet>();
  std::shared_ptr<player::LiveControls> controls = std::make_shared<player::LiveControls>();

  void updateView(const std::function<void(render::ViewOptions&)>& fn) {
    {
      std::lock_guard lk(controls->mu);
      fn(controls->view);
    }
    ++controls->viewVersion;
  }
};

LivePlayer::LivePlayer() : impl_(std::make_shared<Impl>()) { detail::installThirdPartyLogRouting(); }
LivePlayer::LivePlayer(PlayConfig config) : LivePlayer() { impl_->config = std::move(config); }
LivePlayer::~LivePlayer() { stopPlay(); }

void LivePlayer::setConfig(const PlayConfig& config) {
  std::lock_guard lk(impl_->mu);
  impl_->config = config;
}

PlayConfig LivePlayer::config() const {
  std::lock_guard lk(impl_->mu);
  return impl_->config;
}

PlayType LivePlayer::inferType(std::string_view url) {
  auto starts = [&](std::string_view p) { return url.size() >= p.size() && url.substr(0, p.size()) == p; };
  if (starts("rtmp://") || starts("rtmps://")) return PlayType::Rtmp;
  if (starts("http://") || starts("https://")) return PlayType::Flv;
  return PlayType::Auto;
}

int LivePlayer::startPlay(const std::string& url, PlayType type) {
  PlayType inferred = inferType(url);
  if (inferred == PlayType::Auto) {
    OL_LOGE("play", "startPlay: unsupported URL %s", url.c_str());
    return -1;
  }
  if (type == PlayType::Auto) type = inferred;
  if ((type == PlayType::Flv) != (inferred == PlayType::Flv)) {
    OL_LOGE("play", "startPlay: URL scheme does not match the play type");
    return -1;
  }
  std::shared_ptr<player::PlaySession> old;
  {
    std::lock_guard lk(impl_->mu);
    if (impl_->session && impl_->session->active()) return -2;
    old = std::move(impl_->session);  // a finished session
  }
  if (old) old->stop();  // outside `mu`: it joins threads and lets a recording finish (bounded)
  std::lock_guard lk(impl_->mu);
  if (impl_->session) return -2;  // another startPlay won meanwhile
  impl_->controls->paused = false;
  {
    std::lock_guard vlk(impl_->controls->mu);
    impl_->controls->view.fullscreen = impl_->config.fullscreen;
  }
  impl_->session = std::make_shared<player::PlaySession>(url, type, impl_->config, impl_->callbacks,
                                                         impl_->controls);
  impl_->session->start();
  return 0;
}

void LivePlayer::stopPlay() {
  std::shared_ptr<player::PlaySession> s;
  {
    std::lock_guard lk(impl_->mu);
    s = std::move(impl_->session);
  }
  if (s) s->stop();
}

bool LivePlayer::isPlaying() const {
  std::lock_guard lk(impl_->mu);
  return impl_->session && impl_->session->active();
}

void LivePlayer::pause() {
  std::lock_guard lk(impl_->mu);
  if (impl_->session) impl_->session->pause();
}

void LivePlayer::resume() {
  std::lock_guard lk(impl_->mu);
  if (impl_->session) impl_->session->resume();
}

void LivePlayer::setMute(bool mute) { impl_->controls->mute = mute; }
void LivePlayer::setVolume(int volume) { impl_->controls->volume = std::clamp(volume, 0, 100); }
void LivePlayer::setRenderMode(RenderMode mode) {
  impl_->updateView([&](render::ViewOptions& v) { v.fill = mode == RenderMode::Fill; });
}
void LivePlayer::setRenderRotation(int degrees) {
  int d = ((degrees % 360) + 360) % 360;
  d = d / 90 * 90;
  impl_->updateView([&](render::ViewOptions& v) { v.rotation = d; });
}
void LivePlayer::setMirror(bool mirror) {
  impl_->updateView([&](render::ViewOptions& v) { v.mirror = mirror; });
}

void LivePlayer::setEventCallback(EventCallback cb) {
  std::lock_guard lk(impl_->callbacks->mu);
  impl_->callbacks->onEvent = std::move(cb);
}
void LivePlayer::setNetStatusCallback(NetStatusCallback cb) {
  std::lock_guard lk(impl_->callbacks->mu);
  impl_->callbacks->onNetStatus = std::move(cb);
}
void LivePlayer::setVideoFrameCallback(std::function<void(const VideoFrame&)> cb) {
  std::lock_guard lk(impl_->callbacks->mu);
  impl_->callbacks->onVideo = std::move(cb);
}
void LivePlayer::setAudioFrameCallback(std::function<void(const AudioFrame&)> cb) {
  std::lock_guard lk(impl_->callbacks->mu);
  impl_->callbacks->onAudio = std::move(cb);
}

FileRequest LivePlayer::captureVideoSnapshot(const std::string& path) {
  std::lock_guard lk(impl_->mu);
  if (!impl_->session || !impl_->session->active()) return FileRequest::NotActive;
  return impl_->session->requestSnapshot(path);
}
FileRequest LivePlayer::startLocalRecord(const std::string& path, std::chrono::seconds slice) {
  std::lock_guard lk(impl_->mu);
  if (!impl_->session || !impl_->session->active()) return FileRequest::NotActive;
  return impl_->session->startRecord(path, slice);
}
void LivePlayer::stopLocalRecord() {
  std::shared_ptr<player::PlaySession> s;
  {
    std::lock_guard lk(impl_->mu);
    s = impl_->session;
  }
  if (s) s->stopRecord();  // outside `mu`: it waits for the file to finish (bounded, then in the background)
}
bool LivePlayer::isRecording() const {
  std::lock_guard lk(impl_->mu);
  return impl_->session && impl_->session->recording();
}

}  // namespace openlive
