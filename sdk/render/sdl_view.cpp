// SDL subsystem reference counts and the picture drawing shared by the window sinks (see sdl_view.h).
#include "render/sdl_view.h"

extern "C" {
#include <libavutil/frame.h>
}

#include "common/logging.h"
#include "render/debug_overlay.h"

#include <SDL2/SDL.h>
#include <SDL2/SDL_ttf.h>

#include <algorithm>
#include <mutex>

namespace openlive::render {

namespace {
std::recursive_mutex gSdlVideoMu;  // see sdlVideoMutex(); also SDL_InitSubSystem / SDL_QuitSubSystem, TTF_Init
}  // namespace

std::recursive_mutex& sdlVideoMutex() { return gSdlVideoMu; }

bool acquireSdlSubsystem(uint32_t flags, std::string* why) {
  SdlVideoLock lk(gSdlVideoMu);
  if (SDL_InitSubSystem(flags) != 0) {
    if (why) *why = SDL_GetError();
    return false;
  }
  return true;
}

void releaseSdlSubsystem(uint32_t flags) {
  SdlVideoLock lk(gSdlVideoMu);
  SDL_QuitSubSystem(flags);  // SDL counts the inits of each subsystem itself
}

bool acquireTtf(std::string* why) {
  SdlVideoLock lk(gSdlVideoMu);
  if (TTF_Init() != 0) {
    if (why) *why = TTF_GetError();
    return false;
  }
  return true;
}

void releaseTtf() {
  SdlVideoLock lk(gSdlVideoMu);
  TTF_Quit();
}

SdlPicture::SdlPicture(SDL_Renderer* renderer) : ren_(renderer) {}

SdlPicture::~SdlPicture() {
  overlay_.reset();  // its texture goes before the renderer, as ours
  if (tex_) SDL_DestroyTexture(tex_);
}

void SdlPicture::setOverlay(std::vector<std::string> lines) {
  if (lines.empty()) {
    overlay_.reset();
    return;
  }
  if (!overlay_ && !overlayFailed_) {
    std::string why;
    overlay_ = DebugOverlay::create(ren_, &why);
    if (!overlay_) {
      overlayFailed_ = true;
      OL_LOGW("render", "no debug overlay: %s", why.c_str());
    }
  }
  if (overlay_) overlay_->setLines(std::move(lines));
}

bool SdlPicture::upload(const AVFrame* f) {
  if (!tex_ || texW_ != f->width || texH_ != f->height) {
    if (tex_) SDL_DestroyTexture(tex_);
    tex_ = SDL_CreateTexture(ren_, SDL_PIXELFORMAT_IYUV, SDL_TEXTUREACCESS_STREAMING, f->width, f->height);
    texW_ = f->width;
    texH_ = f->height;
    if (!tex_) return false;
  }
  SDL_UpdateYUVTexture(tex_, nullptr, f->data[0], f->linesize[0], f->data[1], f->linesize[1], f->data[2],
                       f->linesize[2]);
  return true;
}

void SdlPicture::draw(const ViewOptions& view) {
  SDL_SetRenderDrawColor(ren_, 0, 0, 0, 255);
  SDL_RenderClear(ren_);
  if (tex_) {
    int ww = 0, wh = 0;
    SDL_GetRendererOutputSize(ren_, &ww, &wh);
    const bool swap = view.rotation == 90 || view.rotation == 270;
    const double vw = swap ? texH_ : texW_, vh = swap ? texW_ : texH_;
    const double s = view.fill ? std::max(ww / vw, wh / vh) : std::min(ww / vw, wh / vh);
    const double dw = vw * s, dh = vh * s;
    // The texture is drawn unrotated into a rect centred in the window, then rotated (clockwise) about its
    // centre; the mirror flips it horizontally before the rotation.
    const double rw = swap ? dh : dw, rh = swap ? dw : dh;
    SDL_Rect dst{int((ww - rw) / 2), int((wh - rh) / 2), int(rw), int(rh)};
    SDL_RenderCopyEx(ren_, tex_, nullptr, &dst, view.rotation, nullptr,
                     view.mirror ? SDL_FLIP_HORIZONTAL : SDL_FLIP_NONE);
  }
  if (overlay_) overlay_->draw();
  SDL_RenderPresent(ren_);
}

}  // namespace openlive::render
