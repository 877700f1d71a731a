#include "pusher/push_preview.h"

#include "common/logging.h"
#include "render/preview_window.h"

#include <pthread.h>

#include <cstdio>

namespace openlive::detail {
namespace {

using PreviewClock = std::chrono::steady_clock;
constexpr std::chrono::milliseconds kPreviewTick{16};     // window events and option changes
constexpr std::chrono::milliseconds kPreviewOpenWait{1500};  // open(): the window's creation

render::ViewOptions previewViewOf(const PreviewOptions& o) {
  render::ViewOptions v;
  v.fill = o.renderMode == RenderMode::Fill;
  v.rotation = o.rotation;
  v.mirror = o.mirror;
  return v;
}

Result previewWindowError(const std::string& why) {
  return Result::failure(ResultCode::Failed, "preview window: " + why,
                         EventCode::PUSH_WARNING_BEAUTYSURFACE_VIEW_INIT_FAIL);
}

}  // namespace

PushPreview::PushPreview(std::shared_ptr<PreviewFeed> feed, std::shared_ptr<DebugInfo> debug, WindowLost onWindowLost)
    : feed_(std::move(feed)), debug_(std::move(debug)), onWindowLost_(std::move(onWindowLost)) {}

PushPreview::~PushPreview() { close(); }

Result PushPreview::open(const VideoOutput& view, const PreviewOptions& options) {
  if (view.kind != VideoOutput::Kind::Window && view.kind != VideoOutput::Kind::NativeWindow)
    return Result::failure(ResultCode::InvalidArgument, "the preview goes to a Window or a NativeWindow");
  if (view.kind == VideoOutput::Kind::NativeWindow && view.nativeWindow == 0)
    return previewWindowError("no window id");
  close();
  {
    std::lock_guard lk(mu_);
    options_ = options;
    opening_ = Opening::Pending;
  }
  stop_ = false;
  thread_ = std::thread([this, view] { run(view); });
  std::unique_lock lk(mu_);
  if (!openCv_.wait_for(lk, kPreviewOpenWait, [&] { return opening_ != Opening::Pending; })) {
    lk.unlock();
    close();
    return previewWindowError("the window did not open in time");
  }
  if (opening_ == Opening::Opened) return Result::success();
  const std::string why = openError_;
  lk.unlock();
  close();
  return previewWindowError(why);
}

void PushPreview::close() {
  stop_ = true;
  feed_->wake();
  if (thread_.joinable()) thread_.join();
}

void PushPreview::setOptions(const PreviewOptions& options) {
  {
    std::lock_guard lk(mu_);
    options_ = options;
  }
  optionsVersion_.fetch_add(1);
}

std::unique_ptr<render::PreviewWindow> PushPreview::openWindow(const VideoOutput& view) {
  render::ViewOptions v;
  {
    std::lock_guard lk(mu_);
    v = previewViewOf(options_);
  }
  std::string why;
  const uint64_t appWindow = view.kind == VideoOutput::Kind::NativeWindow ? view.nativeWindow : 0;
  auto window = render::PreviewWindow::open(appWindow, "OpenLive preview", v, &why);
  if (!window) {
    char id[32];
    std::snprintf(id, sizeof id, "0x%llx", static_cast<unsigned long long>(appWindow));
    OL_LOGW("push", "preview window %s: %s", appWindow ? id : "(SDK)", why.c_str());
  }
  {
    std::lock_guard lk(mu_);
    opening_ = window ? Opening::Opened : Opening::Failed;
    openError_ = why;
  }
  openCv_.notify_all();
  return window;
}

void PushPreview::run(VideoOutput view) {
  pthread_setname_np(pthread_self(), "ol-push-preview");
  std::unique_ptr<render::PreviewWindow> window = openWindow(view);
  if (!window) return;
  drawUntilStopped(*window);
  if (view.kind == VideoOutput::Kind::NativeWindow && stop_) window->blank();
}

void PushPreview::drawUntilStopped(render::PreviewWindow& window) {
  I420Image picture;
  unsigned version = optionsVersion_.load();
  while (!stop_) {
    if (feed_->take(picture, PreviewClock::now() + kPreviewTick) && !stop_) window.show(picture.view());
    if (const unsigned now = optionsVersion_.load(); now != version) {
      version = now;
      render::ViewOptions v;
      {
        std::lock_guard lk(mu_);
        v = previewViewOf(options_);
      }
      window.setView(v);
    }
    const render::WindowInput in = window.poll();
    if (in.toggleDebug) debug_->toggleShown();
    updateOverlay(window);
    if (in.windowLost || in.quit) {
      const std::string why = in.windowLost ? in.why : "the preview window was closed";
      OL_LOGW("push", "preview: %s; the preview ends", why.c_str());
      if (in.windowLost && onWindowLost_) onWindowLost_(why);
      return;
    }
  }
}

void PushPreview::updateOverlay(render::PreviewWindow& window) {
  if (auto lines = debug_->changes(overlay_)) window.setOverlay(std::move(*lines));
}

}  // namespace openlive::detail
