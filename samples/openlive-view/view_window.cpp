// ViewWindow with Xlib (see view_window.h). Built outside the unity batches (samples/openlive-view/CMakeLists.txt).
#include "view_window.h"

#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <X11/keysym.h>

#include <poll.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>

namespace openlive::view {

namespace {

Display* dpy(void* d) { return static_cast<Display*>(d); }

// A black child window of `parent` at (x, 0). It selects key presses too: the SDK's own connection selects them on
// the window it draws into, which would otherwise keep them from reaching the top-level window.
Window createChild(Display* d, Window parent, int x, int w, int h) {
  XSetWindowAttributes a{};
  a.background_pixel = BlackPixel(d, DefaultScreen(d));
  a.event_mask = KeyPressMask;
  return XCreateWindow(d, parent, x, 0, unsigned(w), unsigned(h), 0, CopyFromParent, InputOutput, CopyFromParent,
                       CWBackPixel | CWEventMask, &a);
}

// Title (WM_NAME and the UTF-8 _NET_WM_NAME), class, size hints, and the close button as WM_DELETE_WINDOW.
Atom setWindowManagerHints(Display* d, Window w, const ViewWindow::Options& o) {
  XStoreName(d, w, o.title.c_str());
  XChangeProperty(d, w, XInternAtom(d, "_NET_WM_NAME", False), XInternAtom(d, "UTF8_STRING", False), 8,
                  PropModeReplace, reinterpret_cast<const unsigned char*>(o.title.data()), int(o.title.size()));
  char name[] = "openlive-view", cls[] = "OpenLive";
  XClassHint classHint{name, cls};
  XSetClassHint(d, w, &classHint);
  if (XSizeHints* hints = XAllocSizeHints()) {
    hints->flags = PPosition | PSize | PMinSize;
    hints->width = o.width;
    hints->height = o.height;
    hints->min_width = 64;
    hints->min_height = 36;
    XSetWMNormalHints(d, w, hints);
    XFree(hints);
  }
  Atom deleteWindow = XInternAtom(d, "WM_DELETE_WINDOW", False);
  XSetWMProtocols(d, w, &deleteWindow, 1);
  return deleteWindow;
}

}  // namespace

std::unique_ptr<ViewWindow> ViewWindow::open(const Options& o, std::string* why) {
  XInitThreads();  // the SDK's threads talk to the same display (over connections of their own)
  Display* d = XOpenDisplay(nullptr);
  if (!d) {
    const char* env = std::getenv("DISPLAY");
    *why = env && *env ? std::string("cannot open the X display ") + env : "no X display: DISPLAY is not set";
    return nullptr;
  }
  std::unique_ptr<ViewWindow> v(new ViewWindow);
  v->display_ = d;
  const int screen = DefaultScreen(d);
  XSetWindowAttributes a{};
  a.background_pixel = BlackPixel(d, screen);
  a.event_mask = StructureNotifyMask | KeyPressMask;
  const Window top = XCreateWindow(d, RootWindow(d, screen), 0, 0, unsigned(o.width), unsigned(o.height), 0,
                                   CopyFromParent, InputOutput, CopyFromParent, CWBackPixel | CWEventMask, &a);
  v->top_ = top;
  v->deleteAtom_ = setWindowManagerHints(d, top, o);
  const int half = o.width / 2;
  v->left_ = createChild(d, top, 0, half, o.height);
  v->right_ = createChild(d, top, half, o.width - half, o.height);
  v->width_ = o.width;
  v->height_ = o.height;
  XMapSubwindows(d, top);
  XMapWindow(d, top);
  XSync(d, False);  // the windows exist on the server before their ids go to the SDK
  return v;
}

ViewWindow::~ViewWindow() {
  Display* d = dpy(display_);
  XDestroyWindow(d, Window(top_));  // and its children
  XCloseDisplay(d);
}

bool ViewWindow::displayOpens(const std::string& display, std::string* why) {
  Display* d = XOpenDisplay(display.empty() ? nullptr : display.c_str());
  if (!d) {
    const char* env = std::getenv("DISPLAY");
    *why = "cannot open the X display " + (display.empty() ? std::string(env ? env : "(DISPLAY is not set)") : display);
    return false;
  }
  XCloseDisplay(d);
  return true;
}

void ViewWindow::layout(int width, int height) {
  Display* d = dpy(display_);
  width_ = width;
  height_ = height;
  const int half = std::max(1, width / 2), h = std::max(1, height);
  XMoveResizeWindow(d, Window(left_), 0, 0, unsigned(half), unsigned(h));
  XMoveResizeWindow(d, Window(right_), half, 0, unsigned(std::max(1, width - half)), unsigned(h));
}

bool ViewWindow::handleQueued() {
  Display* d = dpy(display_);
  while (XPending(d) > 0) {
    XEvent ev{};
    XNextEvent(d, &ev);
    if (ev.type == ConfigureNotify && ev.xconfigure.window == Window(top_) &&
        (ev.xconfigure.width != width_ || ev.xconfigure.height != height_)) {
      layout(ev.xconfigure.width, ev.xconfigure.height);  // the SDK follows each child's new size itself
    } else if (ev.type == KeyPress) {
      const KeySym key = XLookupKeysym(&ev.xkey, 0);
      if (key == XK_q || key == XK_Escape) return false;
    } else if (ev.type == ClientMessage && Atom(ev.xclient.data.l[0]) == Atom(deleteAtom_)) {
      return false;  // the window manager's close button
    }
  }
  XFlush(d);
  return true;
}

bool ViewWindow::pump(int wakeFd, int timeoutMs) {
  if (!handleQueued()) return false;
  pollfd fds[2] = {{ConnectionNumber(dpy(display_)), POLLIN, 0}, {wakeFd, POLLIN, 0}};
  if (poll(fds, wakeFd >= 0 ? 2 : 1, timeoutMs) < 0 && errno != EINTR) return false;
  return handleQueued();  // a broken connection ends the process in Xlib's I/O error handler
}

}  // namespace openlive::view
