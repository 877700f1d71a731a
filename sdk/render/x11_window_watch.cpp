// X11WindowWatch: an app's X11 window seen from a connection of our own, and the X error guard (see the header).
#include "render/x11_window_watch.h"

#include "common/logging.h"

#include <dlfcn.h>

#include <array>
#include <atomic>
#include <cstdio>
#include <mutex>

namespace openlive::render {

namespace {

// ---- the part of Xlib's ABI we use (<X11/Xlib.h> is not included: its macros, None / Success / Bool ..., would
// leak into the other sources of a unity batch) ----
struct XlibDisplay;  // Display
using XlibXid = unsigned long;
struct XlibErrorEvent {  // XErrorEvent
  int type;
  XlibDisplay* display;
  XlibXid resourceid;
  unsigned long serial;
  unsigned char error_code, request_code, minor_code;
};
struct XlibConfigureEvent {  // XConfigureEvent
  int type;
  unsigned long serial;
  int send_event;
  XlibDisplay* display;
  XlibXid event, window;
  int x, y, width, height, border_width;
  XlibXid above;
  int override_redirect;
};
struct XlibDestroyEvent {  // XDestroyWindowEvent
  int type;
  unsigned long serial;
  int send_event;
  XlibDisplay* display;
  XlibXid event, window;
};
union XlibEvent {  // XEvent
  int type;
  XlibConfigureEvent configure;
  XlibDestroyEvent destroy;
  long pad[24];
};
constexpr int kXlibExpose = 12, kXlibDestroyNotify = 17, kXlibConfigureNotify = 22;
constexpr long kXlibExposureMask = 1L << 15, kXlibStructureNotifyMask = 1L << 17;
using XlibErrorHandler = int (*)(XlibDisplay*, XlibErrorEvent*);

struct XlibApi {
  bool ok = false;
  XlibDisplay* (*openDisplay)(const char*) = nullptr;
  int (*closeDisplay)(XlibDisplay*) = nullptr;
  int (*getGeometry)(XlibDisplay*, XlibXid, XlibXid*, int*, int*, unsigned*, unsigned*, unsigned*,
                     unsigned*) = nullptr;
  int (*selectInput)(XlibDisplay*, XlibXid, long) = nullptr;
  int (*pending)(XlibDisplay*) = nullptr;
  int (*nextEvent)(XlibDisplay*, XlibEvent*) = nullptr;
  int (*sync)(XlibDisplay*, int) = nullptr;
  XlibErrorHandler (*setErrorHandler)(XlibErrorHandler) = nullptr;
};

template <class Fn>
bool loadSymbol(void* lib, const char* name, Fn* out) {
  *out = reinterpret_cast<Fn>(dlsym(lib, name));
  return *out != nullptr;
}

const XlibApi& xlib() {
  static const XlibApi api = [] {
    XlibApi a;
    void* lib = dlopen("libX11.so.6", RTLD_NOW | RTLD_LOCAL);  // kept loaded for the process's life
    if (!lib) return a;
    a.ok = loadSymbol(lib, "XOpenDisplay", &a.openDisplay) && loadSymbol(lib, "XCloseDisplay", &a.closeDisplay) &&
           loadSymbol(lib, "XGetGeometry", &a.getGeometry) && loadSymbol(lib, "XSelectInput", &a.selectInput) &&
           loadSymbol(lib, "XPending", &a.pending) && loadSymbol(lib, "XNextEvent", &a.nextEvent) &&
           loadSymbol(lib, "XSync", &a.sync) && loadSymbol(lib, "XSetErrorHandler", &a.setErrorHandler);
    return a;
  }();
  return api;
}

// ---- the error guard: lock-free reads (the handler runs inside Xlib, on whichever thread hit the error) ----
std::array<std::atomic<XlibDisplay*>, X11WindowWatch::kGuardSlots> gOwnDisplays{};
std::array<std::atomic<XlibXid>, X11WindowWatch::kGuardSlots> gGuardedWindows{};
std::atomic<unsigned> gNextGuardSlot{0};
std::atomic<XlibErrorHandler> gPreviousXHandler{nullptr};
std::mutex gXHandlerMu;  // installing the handler

int guardedXErrorHandler(XlibDisplay* d, XlibErrorEvent* e) {
  for (auto& own : gOwnDisplays)
    if (own.load() == d) return 0;  // our watch connection: the caller sees the failed request's status
  for (auto& w : gGuardedWindows)
    if (e->resourceid != 0 && w.load() == e->resourceid) {
      OL_LOGD("play", "X error %d (request %d) about window 0x%lx ignored", e->error_code, e->request_code,
              e->resourceid);
      return 0;
    }
  XlibErrorHandler prev = gPreviousXHandler.load();
  return prev ? prev(d, e) : 0;
}

void installXErrorGuard() {
  std::lock_guard lk(gXHandlerMu);
  XlibErrorHandler current = xlib().setErrorHandler(guardedXErrorHandler);
  if (current != guardedXErrorHandler) gPreviousXHandler = current;  // SDL's, the app's or Xlib's default
}

bool registerOwnDisplay(XlibDisplay* d) {
  for (auto& own : gOwnDisplays) {
    XlibDisplay* empty = nullptr;
    if (own.compare_exchange_strong(empty, d)) return true;
  }
  return false;
}

bool windowGeometry(XlibDisplay* d, uint64_t window, int* w, int* h) {
  XlibXid root = 0;
  int x = 0, y = 0;
  unsigned uw = 0, uh = 0, border = 0, depth = 0;
  if (!xlib().getGeometry(d, XlibXid(window), &root, &x, &y, &uw, &uh, &border, &depth)) return false;
  *w = int(uw);
  *h = int(uh);
  return true;
}

}  // namespace

void X11WindowWatch::guardWindow(uint64_t window) {
  gGuardedWindows[gNextGuardSlot.fetch_add(1) % kGuardSlots] = XlibXid(window);
}

std::unique_ptr<X11WindowWatch> X11WindowWatch::open(uint64_t window, std::string* why) {
  char id[32];
  std::snprintf(id, sizeof id, "0x%llx", static_cast<unsigned long long>(window));
  if (window == 0 || window > kMaxXid) {
    *why = std::string(id) + " is not an X11 window id";
    return nullptr;
  }
  const XlibApi& x = xlib();
  if (!x.ok) {
    *why = "Xlib (libX11.so.6) could not be loaded";
    return nullptr;
  }
  XlibDisplay* d = x.openDisplay(nullptr);
  if (!d) {
    *why = "cannot open the X display (DISPLAY)";
    return nullptr;
  }
  if (!registerOwnDisplay(d)) {
    x.closeDisplay(d);
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
  x.selectInput(d, XlibXid(window), kXlibStructureNotifyMask | kXlibExposureMask);
  x.sync(d, 0);
  return watch;
}

X11WindowWatch::~X11WindowWatch() {
  auto* d = static_cast<XlibDisplay*>(display_);
  xlib().closeDisplay(d);  // before the slot is freed: errors during the close are still ours
  for (auto& own : gOwnDisplays) {
    XlibDisplay* expected = d;
    if (own.compare_exchange_strong(expected, nullptr)) break;
  }
}

X11WindowWatch::Change X11WindowWatch::poll() {
  auto* d = static_cast<XlibDisplay*>(display_);
  const XlibApi& x = xlib();
  Change c;
  while (x.pending(d) > 0) {
    XlibEvent ev{};
    x.nextEvent(d, &ev);
    if (ev.type == kXlibConfigureNotify && ev.configure.window == window_ &&
        (ev.configure.width != width_ || ev.configure.height != height_)) {
      width_ = ev.configure.width;
      height_ = ev.configure.height;
      c.resized = true;
    } else if (ev.type == kXlibExpose) {
      c.exposed = true;
    } else if (ev.type == kXlibDestroyNotify && ev.destroy.window == window_) {
      c.gone = true;
    }
  }
  c.width = width_;
  c.height = height_;
  return c;
}

}  // namespace openlive::render
