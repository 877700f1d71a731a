// Watches an X11 window the app owns (render thread): does it exist, its size, resizes, exposures, its
// destruction, on an X connection of its own (X event masks are per connection: the app's own selection is not
// touched). Xlib (libx11) is included by the .cpp only, which is compiled on its own (not in a unity batch: its
// macros None / Success / Bool ... would reach the other sources); this header has no X11 type.
//
// X errors: Xlib's default error handler exits the process, and SDL2's handler ends in it. While a watch
// exists, a process-wide handler of ours sits in front of whatever handler was installed: it swallows the errors
// of our own connections and those about a watched window (BadWindow / BadDrawable when the app destroys its
// window while the SDK draws into it, on SDL's connection), and passes every other error on. A watched id stays
// guarded after its watch ends (a ring of kGuardSlots ids), since SDL may report errors about it late.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

namespace openlive::render {

class X11WindowWatch {
 public:
  static constexpr int kGuardSlots = 64;
  static constexpr uint64_t kMaxXid = 0x1FFFFFFF;  // X resource ids have 29 bits

  struct Change {
    bool gone = false;     // the window was destroyed
    bool resized = false;  // width / height changed
    bool exposed = false;  // (part of) the window needs drawing again
    int width = 0, height = 0;
  };

  // nullptr with `why` when the display cannot be opened or `window` does not exist.
  static std::unique_ptr<X11WindowWatch> open(uint64_t window, std::string* why);
  ~X11WindowWatch();
  X11WindowWatch(const X11WindowWatch&) = delete;
  X11WindowWatch& operator=(const X11WindowWatch&) = delete;

  uint64_t window() const { return window_; }
  int width() const { return width_; }
  int height() const { return height_; }
  // Reads what the X server reported since the last call; never blocks.
  Change poll();
  // Keeps X errors about `window` (on any connection) from ending the process (see above).
  static void guardWindow(uint64_t window);

 private:
  X11WindowWatch(void* display, uint64_t window, int w, int h)
      : display_(display), window_(window), width_(w), height_(h) {}
  void* display_;  // our own Display*, used on the render thread only
  uint64_t window_;
  int width_, height_;
};

}  // namespace openlive::render
