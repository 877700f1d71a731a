// The window of the pusher's local preview (LivePusher::startPreview): the SDK's own SDL window or the app's X11
// window, over the sinks the player uses (createSdlWindow, createNativeWindowSink: the same SdlPicture drawing,
// fit / fill, rotation, mirror). Takes the push side's I420 pictures (PlaneView) as they are.
//
// Threading: created, used and destroyed on one thread (the preview thread), like every SDL window.
#pragma once

#include "common/picture.h"
#include "render/sinks.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

struct AVFrame;

namespace openlive::render {

class PreviewWindow {
 public:
  // `appWindow` 0: an SDK window titled `title`; else the app's X11 window. nullptr with `why` when it
  // cannot be opened.
  static std::unique_ptr<PreviewWindow> open(uint64_t appWindow, const std::string& title, const ViewOptions& view,
                                             std::string* why);
  ~PreviewWindow();
  PreviewWindow(const PreviewWindow&) = delete;
  PreviewWindow& operator=(const PreviewWindow&) = delete;

  void show(const detail::PlaneView& picture);
  void setView(const ViewOptions& view);  // redraws the last picture with it
  void setOverlay(std::vector<std::string> lines);  // the debug overlay (none: off); redraws
  // The window's input; `windowLost` when the app's window went away (nothing is drawn after).
  WindowInput poll() { return sink_->pollInput(); }
  // Leaves the window black (an app's window keeps that after the preview lets it go).
  void blank();

 private:
  PreviewWindow(std::unique_ptr<VideoSink> sink, int lastW, int lastH);
  std::unique_ptr<VideoSink> sink_;
  AVFrame* frame_;  // borrows the planes of the picture being drawn
  int lastW_, lastH_;
};

}  // namespace openlive::render
