// PreviewWindow: the pusher preview's window over the shared sinks (see preview_window.h).
#include "render/preview_window.h"

#include "render/native_window_sink.h"

extern "C" {
#include <libavutil/frame.h>
#include <libavutil/pixfmt.h>
}

#include <vector>

namespace openlive::render {

std::unique_ptr<PreviewWindow> PreviewWindow::open(uint64_t appWindow, const std::string& title,
                                                   const ViewOptions& view, std::string* why) {
  std::unique_ptr<VideoSink> sink =
      appWindow ? createNativeWindowSink(appWindow, view, why) : createSdlWindow(title, view, why);
  if (!sink) return nullptr;
  return std::unique_ptr<PreviewWindow>(new PreviewWindow(std::move(sink), 0, 0));
}

PreviewWindow::PreviewWindow(std::unique_ptr<VideoSink> sink, int lastW, int lastH)
    : sink_(std::move(sink)), frame_(av_frame_alloc()), lastW_(lastW), lastH_(lastH) {}

PreviewWindow::~PreviewWindow() {
  sink_.reset();
  av_frame_free(&frame_);
}

void PreviewWindow::show(const detail::PlaneView& p) {
  if (!frame_ || !p.valid()) return;
  // Not reference-counted: a sink that keeps the picture (the app's-window sink, for redraws) copies it.
  for (int i = 0; i < 3; ++i) {
    frame_->data[i] = const_cast<uint8_t*>(p.data[i]);
    frame_->linesize[i] = p.stride[i];
  }
  frame_->width = p.width;
  frame_->height = p.height;
  frame_->format = AV_PIX_FMT_YUV420P;
  sink_->show(frame_);
  lastW_ = p.width;
  lastH_ = p.height;
}

void PreviewWindow::setView(const ViewOptions& view) {
  sink_->setView(view);
  sink_->refresh();
}

void PreviewWindow::setOverlay(std::vector<std::string> lines) {
  sink_->setOverlay(std::move(lines));
  sink_->refresh();
}

void PreviewWindow::blank() {
  // A black picture of the last one's size: fit or fill, every pixel of the window is black (no overlay).
  sink_->setOverlay({});
  detail::I420Image black;
  black.allocate(lastW_ > 0 ? lastW_ : 16, lastH_ > 0 ? lastH_ : 16);
  black.fill(0, 128, 128);
  show(black.view());
}

}  // namespace openlive::render
