// A video sink that draws into a window the app owns (an X11 Window id; a Wayland surface is a later step).
// Shared: the player's render thread and the pusher's local preview thread (render/preview_window.h) use it.
//
// Threading and ownership: created, used and destroyed on one thread (the render thread), like every SDL
// window; the app's window is never destroyed, moved, resized or retitled: SDL_CreateWindowFrom marks it
// foreign, and SDL_DestroyWindow of a foreign window frees only SDL's own data (SDL 2.26
// X11_DestroyWindow: XDestroyWindow only when SDL created the window). Drawing uses SDL's software renderer
// (the window's visual was chosen by the app, not for OpenGL) and the shared SdlPicture code (fit / fill,
// rotation, mirror). SDL does not select events on a foreign window, so an X11WindowWatch follows its size:
// on a resize SDL's view of the window is rebuilt at the new size and the last picture redrawn; an exposure
// redraws it; a destroyed window is reported once by pollInput() (windowLost) and nothing is drawn after.
#pragma once

#include "render/sinks.h"

#include <cstdint>
#include <memory>
#include <string>

namespace openlive::render {

// nullptr with `why` when the window does not exist, there is no X display or SDL does not run on X11.
std::unique_ptr<VideoSink> createNativeWindowSink(uint64_t window, const ViewOptions& view, std::string* why);

}  // namespace openlive::render
