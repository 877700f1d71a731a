// PushPreview: the local preview's thread ("ol-push-preview") behind LivePusher::startPreview. It owns the
// window (render::PreviewWindow: all SDL calls happen on this thread) and draws the newest picture of the
// PreviewFeed (filled by the push's capture, or by a PreviewSourceReader before start()), with the preview's own
// view (fit / fill, rotation, mirror), polling the window every 16 ms.
//
// open() starts the thread and waits (at most kOpenWait) for the window to open; close() ends it within
// 200 ms (the thread waits on the feed with a 16 ms deadline and is woken), leaving an app's window black.
// A window that goes away later ends the drawing and is reported once through `onWindowLost` (on the preview
// thread: it must only post, not call the app).
#pragma once

#include <openlive/live_pusher.h>

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "common/debug_info.h"
#include "pusher/preview_feed.h"

namespace openlive::render {
class PreviewWindow;
}  // namespace openlive::render

namespace openlive::detail {

class PushPreview {
 public:
  using WindowLost = std::function<void(const std::string& why)>;
  // `debug`: the overlay drawn over the preview when shown (showDebugView, the 'd' key of the SDK's window).
  PushPreview(std::shared_ptr<PreviewFeed> feed, std::shared_ptr<DebugInfo> debug, WindowLost onWindowLost);
  ~PushPreview();  // close()
  PushPreview(const PushPreview&) = delete;
  PushPreview& operator=(const PushPreview&) = delete;

  // Opens `view` (Window or NativeWindow) on a new preview thread. Failed (event 1105) when the window cannot
  // be opened (the thread is gone then).
  Result open(const VideoOutput& view, const PreviewOptions& options);
  void close();
  void setOptions(const PreviewOptions& options);

 private:
  void run(VideoOutput view);
  std::unique_ptr<render::PreviewWindow> openWindow(const VideoOutput& view);  // reports to open()
  void drawUntilStopped(render::PreviewWindow& window);
  void updateOverlay(render::PreviewWindow& window);

  const std::shared_ptr<PreviewFeed> feed_;
  const std::shared_ptr<DebugInfo> debug_;
  DebugInfo::Cursor overlay_;  // preview thread: what of debug_ was last drawn
  const WindowLost onWindowLost_;
  std::atomic<bool> stop_{false};
  std::atomic<unsigned> optionsVersion_{0};
  mutable std::mutex mu_;
  PreviewOptions options_;  // guarded by mu_
  // The window's open result, handed from the preview thread to open() (guarded by mu_).
  enum class Opening { Pending, Opened, Failed } opening_ = Opening::Pending;
  std::string openError_;
  std::condition_variable openCv_;
  std::thread thread_;
};

}  // namespace openlive::detail
