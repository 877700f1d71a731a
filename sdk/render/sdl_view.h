// What the SDL window sinks share (sdl_sinks.cpp: the SDK-owned window; native_window_sink.cpp: a window the app
// owns): SDL's reference-counted subsystem init, and the picture drawn into a renderer's output with the
// ViewOptions (fit / fill, rotation, mirror). One SdlPicture per renderer; every call on the thread that made
// the renderer (the player's render thread, the pusher's preview thread).
#pragma once

#include "render/sinks.h"

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

struct AVFrame;
struct SDL_Renderer;
struct SDL_Texture;

namespace openlive::render {

// SDL's video functions are not thread-safe, and the SDK's windows live on several threads (each player's render
// thread, the preview thread): every SDL video call of the SDK is made under this one process-wide lock
// (recursive: a sink's methods call each other). Audio is not under it. Each window is still used only by the
// thread that made it (a renderer's context may be bound to it).
std::recursive_mutex& sdlVideoMutex();
using SdlVideoLock = std::lock_guard<std::recursive_mutex>;

// SDL_InitSubSystem / SDL_QuitSubSystem, counted process-wide (any thread). `flags` are SDL_INIT_* values.
bool acquireSdlSubsystem(uint32_t flags, std::string* why);
void releaseSdlSubsystem(uint32_t flags);
// TTF_Init / TTF_Quit (SDL2_ttf counts them), under the same lock.
bool acquireTtf(std::string* why);
void releaseTtf();

class DebugOverlay;

// A streaming I420 texture of the last picture and the code that draws it into the renderer's whole output.
class SdlPicture {
 public:
  explicit SdlPicture(SDL_Renderer* renderer);
  ~SdlPicture();
  SdlPicture(const SdlPicture&) = delete;
  SdlPicture& operator=(const SdlPicture&) = delete;

  bool upload(const AVFrame* i420);  // false: no texture (SDL error)
  bool hasPicture() const { return tex_ != nullptr; }
  // The debug overlay's lines, drawn over the picture from the next draw(); none: no overlay. A font that cannot
  // be loaded is logged once and the overlay stays off.
  void setOverlay(std::vector<std::string> lines);
  // Clears the output to black, draws the picture (if any) fitted / filled, rotated about its centre, mirrored,
  // then the overlay (if any), and presents.
  void draw(const ViewOptions& view);

 private:
  SDL_Renderer* ren_;
  std::unique_ptr<DebugOverlay> overlay_;
  bool overlayFailed_ = false;
  SDL_Texture* tex_ = nullptr;
  int texW_ = 0, texH_ = 0;
};

}  // namespace openlive::render
