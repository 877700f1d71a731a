// openlive-view's own window: one top-level X11 window with two child windows side by side, the left one for the
// remote stream, the right one for the local preview; the SDK draws into the children (VideoOutput::NativeWindow).
// No Xlib type here: view_window.cpp is built outside the unity batches (Xlib's macros, None / Bool / Status ...,
// would leak into other sources). Used from the main thread only.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

namespace openlive::view {

class ViewWindow {
 public:
  struct Options {
    int width = 1280, height = 360;  // the top-level window; each child gets half the width
    std::string title = "OpenLive view";
  };
  // Opens the display named by DISPLAY, creates the window at (0, 0) (a window manager may place it elsewhere),
  // maps it and waits until the X server has done so. nullptr with `why` (no display, ...).
  static std::unique_ptr<ViewWindow> open(const Options& options, std::string* why);
  ~ViewWindow();  // destroys the windows and closes the connection: stop the SDK's drawing first
  ViewWindow(const ViewWindow&) = delete;
  ViewWindow& operator=(const ViewWindow&) = delete;

  uint64_t id() const { return top_; }
  uint64_t left() const { return left_; }    // the remote stream's child
  uint64_t right() const { return right_; }  // the local preview's child

  // Handles the X events already queued, then waits up to `timeoutMs` (< 0: no limit) for more or for `wakeFd`
  // to become readable (poll() on both; never sleeps), handling what arrives: a resize of the top-level window
  // gives each child half of it. False once the user asked to quit (the window's close button, 'q' or Esc) or
  // the X connection failed.
  bool pump(int wakeFd, int timeoutMs);

  // True when an X connection to `display` ("" = DISPLAY) opens (the screen source's check); else `why`.
  static bool displayOpens(const std::string& display, std::string* why);

 private:
  ViewWindow() = default;
  bool handleQueued();  // false: quit
  void layout(int width, int height);

  void* display_ = nullptr;  // Display*
  uint64_t top_ = 0, left_ = 0, right_ = 0;
  uint64_t deleteAtom_ = 0;  // WM_DELETE_WINDOW
  int width_ = 0, height_ = 0;
};

}  // namespace openlive::view
