// NativeWindowSink: the SDK draws into the app's X11 window (see native_window_sink.h).
#include "render/native_window_sink.h"

#include "common/logging.h"
#include "render/sdl_view.h"
#include "render/x11_window_watch.h"

extern "C" {
#include <libavutil/frame.h>
}

#include <SDL2/SDL.h>

#include <cstring>
#include <optional>

namespace openlive::render {

namespace {

class NativeWindowSink final : public VideoSink {
 public:
  NativeWindowSink(std::unique_ptr<X11WindowWatch> watch, const ViewOptions& view)
      : watch_(std::move(watch)), view_(view), last_(av_frame_alloc()) {}
  ~NativeWindowSink() override {
    SdlVideoLock lk(sdlVideoMutex());
    unbind();
    av_frame_free(&last_);
    releaseSdlSubsystem(SDL_INIT_VIDEO);
  }

  // SDL's window and renderer over the X window, at its current size.
  bool bind(std::string* why) {
    SdlVideoLock lk(sdlVideoMutex());
    X11WindowWatch::guardWindow(watch_->window());
    win_ = SDL_CreateWindowFrom(reinterpret_cast<const void*>(static_cast<uintptr_t>(watch_->window())));
    if (win_) ren_ = SDL_CreateRenderer(win_, -1, SDL_RENDERER_SOFTWARE);
    if (!ren_) {
      *why = SDL_GetError();
      unbind();
      return false;
    }
    picture_.emplace(ren_);
    if (last_->data[0]) picture_->upload(last_);
    if (!overlay_.empty()) picture_->setOverlay(overlay_);
    return true;
  }

  bool show(const AVFrame* f) override {
    SdlVideoLock lk(sdlVideoMutex());
    if (lost_) return true;
    av_frame_unref(last_);
    if (av_frame_ref(last_, f) < 0 || !picture_ || !picture_->upload(f)) return false;
    picture_->draw(view_);
    return true;
  }

  void refresh() override {
    SdlVideoLock lk(sdlVideoMutex());
    if (!lost_ && picture_) picture_->draw(view_);
  }

  void setOverlay(std::vector<std::string> lines) override {
    SdlVideoLock lk(sdlVideoMutex());
    overlay_ = std::move(lines);  // kept for the renderer made anew after a resize
    if (picture_) picture_->setOverlay(overlay_);
  }

  void setView(const ViewOptions& v) override {
    view_ = v;
    view_.fullscreen = false;  // the app's window: its size is the app's business
  }

  WindowInput pollInput() override {
    SdlVideoLock lk(sdlVideoMutex());
    WindowInput in;
    if (lost_) return in;
    const X11WindowWatch::Change c = watch_->poll();
    if (c.gone) {
      lost_ = true;
      unbind();
      in.windowLost = true;
      in.why = "the window was destroyed";
      return in;
    }
    if (c.resized) {
      OL_LOGD("play", "native window 0x%llx resized to %dx%d", static_cast<unsigned long long>(watch_->window()),
              c.width, c.height);
      unbind();  // SDL sizes a foreign window's surface once, when it is created: make it anew
      std::string why;
      if (!bind(&why)) {
        lost_ = true;
        in.windowLost = true;
        in.why = "the window could not be drawn into after a resize: " + why;
        return in;
      }
    }
    if (c.resized || c.exposed) refresh();
    return in;
  }

 private:
  void unbind() {
    picture_.reset();  // the texture goes before its renderer
    if (ren_) SDL_DestroyRenderer(ren_);
    if (win_) SDL_DestroyWindow(win_);  // foreign: the X window itself stays
    ren_ = nullptr;
    win_ = nullptr;
  }

  std::unique_ptr<X11WindowWatch> watch_;
  ViewOptions view_;
  AVFrame* last_;  // the picture on screen (a reference), redrawn after a resize or an exposure
  SDL_Window* win_ = nullptr;
  SDL_Renderer* ren_ = nullptr;
  std::optional<SdlPicture> picture_;
  std::vector<std::string> overlay_;
  bool lost_ = false;
};

}  // namespace

std::unique_ptr<VideoSink> createNativeWindowSink(uint64_t window, const ViewOptions& view, std::string* why) {
  SdlVideoLock lk(sdlVideoMutex());
  if (!acquireSdlSubsystem(SDL_INIT_VIDEO, why)) return nullptr;
  const char* driver = SDL_GetCurrentVideoDriver();
  if (!driver || std::strcmp(driver, "x11") != 0) {
    *why = std::string("native windows need SDL's x11 video driver (it runs on ") + (driver ? driver : "none") + ")";
    releaseSdlSubsystem(SDL_INIT_VIDEO);
    return nullptr;
  }
  auto watch = X11WindowWatch::open(window, why);  // validates the id before SDL touches it
  if (!watch) {
    releaseSdlSubsystem(SDL_INIT_VIDEO);
    return nullptr;
  }
  auto sink = std::make_unique<NativeWindowSink>(std::move(watch), view);  // releases SDL from here on
  if (!sink->bind(why)) return nullptr;
  return sink;
}

}  // namespace openlive::render
