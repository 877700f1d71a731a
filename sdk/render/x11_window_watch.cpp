// X11WindowWatch: an app's X11 window seen from a connection of our own, and the X error guard (see the header).
#include "render/x11_window_watch.h"

#include "common/logging.h"

#include <X11/Xlib.h>  // this file only: it stays out of the unity batches (sdk/CMakeLists.txt)

#include <array>
#include <atomic>
#include <cstdio>
#include <mutex>

namespace openlive::render {

namespace {

// ---- the error guard: lock-free reads (the handler runs inside Xlib, on whichever thread hit the error) ----
std::array<std::atomic<Display*>, X11WindowWatch::kGuardSlots> gOwnDisplays{};
std::array<std::atomic<XID>, X11WindowWatch::kGuardSlots> gGuardedWindows{};
std::atomic<unsigned> gNextGuardSlot{0};
std::atomic<XErrorHandler> gPreviousXHandler{nullptr};
std::mutex gXHandlerMu;  // installing the handler

int guardedXErrorHandler(Display* d, XErrorEvent* e) {
  for (auto& own : gOwnDisplays)
    if (own.load() == d) return 0;  // our watch connection: the caller sees the failed request's status
  for (auto& w : gGuardedWindows)
    if (e->resourceid != 0 && w.load() == e->resourceid) {
      OL_LOGD("play", "X error %d (request %d) about window 0x%lx ignored", e->error_code, e->request_code,
              e->resourceid);
      return 0;
    }
  XErrorHandler prev = gPreviousXHandler.load();
  return prev ? prev(d, e) : 0;
}

void installXErrorGuard() {
  std::lock_guard lk(gXHandlerMu);
  XErrorHandler current = XSetErrorHandler(guardedXErrorHandler);
  if (current != guardedXErrorHandler) gPreviousXHandler = current;  // SDL's, the app's or Xlib's default
}

bool registerOwnDisplay(Display* d) {
  for (auto& own : gOwnDisplays) {
    Display* empty = nullptr;
    if (own.compare_exchange_strong(empty, d)) return true;
  }
  return false;
}

bool windowGeometry(Display* d, uint64_t window, int* w, int* h) {
  XID root = 0;
  int x = 0, y = 0;
  unsigned uw = 0, uh = 0, border = 0, depth = 0;
  if (!XGetGeometry(d, XID(window), &root, &x, &y, &uw, &uh, &border, &depth)) return false;
  *w = int(uw);
  *h = int(uh);
  return true;
}

}  // namespace

void X11WindowWatch::guardWindow(uint64_t window) {
  gGuardedWindows[gNextGuardSlot.fetch_add(1) % kGuardSlots] = XID(window);
}

std::unique_ptr<X11WindowWatch> X11WindowWatch::open(uint64_t window, std::string* why) {
  char id[32];
  std::snprintf(id, sizeof id, "0x%llx", static_cast<unsigned long long>(window));
  if (window == 0 || window > kMaxXid) {
    *why = std::string(id) + " is not an X11 window id";
    return nullptr;
  }
  Display* d = XOpenDisplay(nullptr);
  if (!d) {
    *why = "cannot open the X display (DISPLAY)";
    return nullptr;
  }
  if (!registerOwnDisplay(d)) {
    XCloseDisplay(d);
    *why = "too many X11 windows watched at once";
    return nullptr;
  }
  installXErrorGuard();
  guardWindow(window);
  std::unique_ptr<X11WindowWatch> watch(new X11WindowWatch(d, window, 0, 0));  // owns `d` from here on
  if (!windowGeometry(d, window, &watch->width_, &watch->height_)) {
    *why = "X11 window " + std::string(id) + " does not exist";
    return nullptr;
  }
  XSelectInput(d, XID(window), StructureNotifyMask | ExposureMask);
  XSync(d, False);
  return watch;
}

X11WindowWatch::~X11WindowWatch() {
  auto* d = static_cast<Display*>(display_);
  XCloseDisplay(d);  // before the slot is freed: errors during the close are still ours
  for (auto& own : gOwnDisplays) {
    Display* expected = d;
    if (own.compare_exchange_strong(expected, nullptr)) break;
  }
}

X11WindowWatch::Change X11WindowWatch::poll() {
  auto* d = static_cast<Display*>(display_);
  Change c;
  while (XPending(d) > 0) {
    XEvent ev{};
    XNextEvent(d, &ev);
    if (ev.type == ConfigureNotify && ev.xconfigure.window == window_ &&
        (ev.xconfigure.width != width_ || ev.xconfigure.height != height_)) {
      width_ = ev.xconfigure.width;
      height_ = ev.xconfigure.height;
      c.resized = true;
    } else if (ev.type == Expose) {
      c.exposed = true;
    } else if (ev.type == DestroyNotify && ev.xdestroywindow.window == window_) {
      c.gone = true;
    }
  }
  c.width = width_;
  c.height = height_;
  return c;
}

}  // namespace openlive::render
