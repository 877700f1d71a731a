// PlayVideoOutput: the player's video sink and its changes (see play_video_output.h).
#include "player/play_video_output.h"

#include "common/logging.h"
#include "player/play_session.h"
#include "render/native_window_sink.h"

#include <cstdio>
#include <mutex>

namespace openlive::player {

PlayVideoOutput::PlayVideoOutput(const PlayConfig& config, uint32_t windowVersion, WindowFailure onWindowFailure)
    : config_(config), windowVersion_(windowVersion), onWindowFailure_(std::move(onWindowFailure)) {}

void PlayVideoOutput::open(const render::ViewOptions& view) {
  const VideoOutput& v = config_.video;
  std::string why;
  if (v.kind == VideoOutput::Kind::Window) {
    sink_ = render::createSdlWindow(config_.windowTitle, view, &why);
    if (sink_) kind_ = Sink::SdkWindow;
    else OL_LOGW("play", "no window (%s); video is decoded but not shown", why.c_str());
  } else if (v.kind == VideoOutput::Kind::Y4m) {
    auto y = std::make_unique<render::Y4mSink>(v.path, 0);
    if (!y->ok()) OL_LOGE("play", "cannot open %s for writing", v.path.c_str());
    sink_ = std::move(y);
    kind_ = Sink::File;
  } else if (v.kind == VideoOutput::Kind::NativeWindow) {
    openAppWindow(v.nativeWindow, view);
  }
  if (!sink_) setNull();
  else if (!overlay_.empty()) sink_->setOverlay(overlay_);
}

void PlayVideoOutput::openAppWindow(NativeWindowHandle window, const render::ViewOptions& view) {
  std::string why;
  sink_ = render::createNativeWindowSink(window, view, &why);
  if (sink_) {
    kind_ = Sink::AppWindow;
    if (!overlay_.empty()) sink_->setOverlay(overlay_);
    OL_LOGI("play", "drawing into the app's window 0x%llx", static_cast<unsigned long long>(window));
    return;
  }
  char id[32];
  std::snprintf(id, sizeof id, "0x%llx", static_cast<unsigned long long>(window));
  OL_LOGW("play", "window %s: %s; video is decoded but not shown", id, why.c_str());
  onWindowFailure_(std::string("window ") + id + ": " + why);
  setNull();
}

void PlayVideoOutput::setNull() {
  sink_ = std::make_unique<render::NullVideoSink>();  // the old sink (and its SDL window) goes first
  kind_ = Sink::Null;
}

void PlayVideoOutput::applyWindowTarget(LiveControls& c, const render::ViewOptions& view, const AVFrame* onScreen) {
  const uint32_t version = c.windowVersion.load();
  if (version == windowVersion_) return;
  windowVersion_ = version;
  VideoOutput target;
  {
    std::lock_guard lk(c.mu);
    target = c.windowTarget;
  }
  if (target.kind != VideoOutput::Kind::NativeWindow) {
    if (isWindow()) setNull();  // closeRenderWindow: a file output stays
    return;
  }
  setNull();  // let the previous window go before the new one is bound
  openAppWindow(target.nativeWindow, view);
  if (kind_ == Sink::AppWindow && onScreen) sink_->show(onScreen);
}

void PlayVideoOutput::setOverlay(std::vector<std::string> lines) {
  overlay_ = std::move(lines);
  sink_->setOverlay(overlay_);
  sink_->refresh();
}

render::WindowInput PlayVideoOutput::poll() {
  render::WindowInput in = sink_->pollInput();
  if (in.windowLost) {
    OL_LOGW("play", "the app's window: %s; video is decoded but not shown", in.why.c_str());
    onWindowFailure_(in.why);
    setNull();
  }
  return in;
}

}  // namespace openlive::player
