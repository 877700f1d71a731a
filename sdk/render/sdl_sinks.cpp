// SDL2 window and audio sinks. The window lives entirely on the render thread that creates it.
#include "render/sinks.h"
#include "render/sdl_events.h"
#include "render/sdl_view.h"

#include "common/logging.h"

extern "C" {
#include <libavutil/frame.h>
}

#include <SDL2/SDL.h>

#include <optional>

namespace openlive::render {

namespace {

class SdlWindow final : public VideoSink {
 public:
  SdlWindow(SDL_Window* w, SDL_Renderer* r, const ViewOptions& v)
      : win_(w), ren_(r), id_(SDL_GetWindowID(w)), view_(v) {
    picture_.emplace(r);
    registerSdlWindow(id_);
  }
  ~SdlWindow() override {
    SdlVideoLock lk(sdlVideoMutex());
    unregisterSdlWindow(id_);
    picture_.reset();  // the texture goes before its renderer
    SDL_DestroyRenderer(ren_);
    SDL_DestroyWindow(win_);
    releaseSdlSubsystem(SDL_INIT_VIDEO);
  }

  bool show(const AVFrame* f) override {
    SdlVideoLock lk(sdlVideoMutex());
    if (!picture_->upload(f)) return false;
    picture_->draw(view_);
    return true;
  }

  void refresh() override {
    SdlVideoLock lk(sdlVideoMutex());
    picture_->draw(view_);  // black (and the overlay, if on) before a picture
  }

  void setOverlay(std::vector<std::string> lines) override {
    SdlVideoLock lk(sdlVideoMutex());
    picture_->setOverlay(std::move(lines));
  }

  void setView(const ViewOptions& v) override {
    SdlVideoLock lk(sdlVideoMutex());
    if (v.fullscreen != view_.fullscreen)
      SDL_SetWindowFullscreen(win_, v.fullscreen ? SDL_WINDOW_FULLSCREEN_DESKTOP : 0);
    view_ = v;
  }

  WindowInput pollInput() override {
    SdlVideoLock lk(sdlVideoMutex());
    WindowInput in;
    for (const SDL_Event& e : takeSdlEvents(id_)) {  // this window's events only (sdl_events.h)
      if (e.type == SDL_QUIT) in.quit = true;
      if (e.type == SDL_WINDOWEVENT && e.window.event == SDL_WINDOWEVENT_CLOSE) in.quit = true;  // one of several
      if (e.type == SDL_WINDOWEVENT) refresh();
      if (e.type == SDL_KEYDOWN) onKey(e.key.keysym.sym, in);
    }
    return in;
  }

 private:
  void onKey(SDL_Keycode key, WindowInput& in) {
    switch (key) {
      case SDLK_q:
      case SDLK_ESCAPE: in.quit = true; break;
      case SDLK_SPACE: in.togglePause = true; break;
      case SDLK_m: in.toggleMute = true; break;
      case SDLK_d: in.toggleDebug = true; break;
      case SDLK_f: {
        ViewOptions v = view_;
        v.fullscreen = !v.fullscreen;
        setView(v);
        break;
      }
      default: break;
    }
  }

  SDL_Window* win_;
  SDL_Renderer* ren_;
  const uint32_t id_;
  std::optional<SdlPicture> picture_;
  ViewOptions view_;
};

class SdlAudio final : public AudioSink {
 public:
  explicit SdlAudio(std::string device) : device_(std::move(device)) {}
  ~SdlAudio() override {
    if (dev_) SDL_CloseAudioDevice(dev_);
    releaseSdlSubsystem(SDL_INIT_AUDIO);
  }
  bool play(const decode::PcmBlock& pcm) override {
    if (!dev_ || pcm.sampleRate != rate_ || pcm.channels != channels_) {
      if (dev_) SDL_CloseAudioDevice(dev_);
      SDL_AudioSpec want{}, have{};
      want.freq = pcm.sampleRate;
      want.format = AUDIO_S16SYS;
      want.channels = static_cast<Uint8>(pcm.channels);
      want.samples = 512;
      dev_ = SDL_OpenAudioDevice(device_.empty() ? nullptr : device_.c_str(), 0, &want, &have, 0);
      if (!dev_ && !device_.empty()) {
        OL_LOGW("play", "speaker '%s': %s; playing on the default one", device_.c_str(), SDL_GetError());
        device_.clear();
        dev_ = SDL_OpenAudioDevice(nullptr, 0, &want, &have, 0);
      }
      if (!dev_) {
        OL_LOGW("play", "SDL audio: %s", SDL_GetError());
        return false;
      }
      rate_ = pcm.sampleRate;
      channels_ = pcm.channels;
      SDL_PauseAudioDevice(dev_, 0);
    }
    SDL_QueueAudio(dev_, pcm.samples.data(), Uint32(pcm.samples.size() * sizeof(int16_t)));
    endPts_ = pcm.ptsMs + pcm.durationMs();
    return true;
  }
  std::optional<int64_t> playedMediaMs(double speed) const override {
    if (!dev_ || !rate_) return std::nullopt;
    double queuedMs = double(SDL_GetQueuedAudioSize(dev_)) / (2.0 * channels_ * rate_) * 1000.0;
    return endPts_ - int64_t(queuedMs * speed);
  }
  int64_t leadMs() const override { return 60; }
  void flush() override {
    if (dev_) SDL_ClearQueuedAudio(dev_);
  }

 private:
  std::string device_;
  SDL_AudioDeviceID dev_ = 0;
  int rate_ = 0, channels_ = 0;
  int64_t endPts_ = 0;
};

}  // namespace

std::unique_ptr<VideoSink> createSdlWindow(const std::string& title, const ViewOptions& view, std::string* why) {
  SdlVideoLock lk(sdlVideoMutex());
  if (!acquireSdlSubsystem(SDL_INIT_VIDEO, why)) return nullptr;
  Uint32 flags = SDL_WINDOW_RESIZABLE | SDL_WINDOW_SHOWN;
  if (view.fullscreen) flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
  SDL_Window* w = SDL_CreateWindow(title.c_str(), SDL_WINDOWPOS_UNDEFINED, SDL_WINDOWPOS_UNDEFINED, 960, 540, flags);
  if (!w) {
    if (why) *why = SDL_GetError();
    releaseSdlSubsystem(SDL_INIT_VIDEO);
    return nullptr;
  }
  SDL_Renderer* r = SDL_CreateRenderer(w, -1, 0);
  if (!r) r = SDL_CreateRenderer(w, -1, SDL_RENDERER_SOFTWARE);
  if (!r) {
    if (why) *why = SDL_GetError();
    SDL_DestroyWindow(w);
    releaseSdlSubsystem(SDL_INIT_VIDEO);
    return nullptr;
  }
  return std::make_unique<SdlWindow>(w, r, view);
}

std::unique_ptr<AudioSink> createSdlAudio(const std::string& device, std::string* why) {
  if (!acquireSdlSubsystem(SDL_INIT_AUDIO, why)) return nullptr;
  if (SDL_GetNumAudioDevices(0) <= 0) {
    if (why) *why = "no audio output device";
    releaseSdlSubsystem(SDL_INIT_AUDIO);
    return nullptr;
  }
  return std::make_unique<SdlAudio>(device);
}

}  // namespace openlive::render
