#include "pusher/preview_source.h"

#include "common/logging.h"
#include "pusher/push_params.h"
#include "pusher/source_factory.h"

#include <pthread.h>

#include <algorithm>
#include <chrono>

namespace openlive::detail {
namespace {

bool previewMayOpen(const VideoSourceConfig& v) {
  switch (v.type) {
    case VideoSourceType::TestPattern:
    case VideoSourceType::Camera:
    case VideoSourceType::Screen: return true;
    case VideoSourceType::Y4m: return !v.path.empty() && v.path != "-";
    default: return false;
  }
}

}  // namespace

std::unique_ptr<PreviewSourceReader> PreviewSourceReader::start(const PushConfig& config,
                                                                 std::shared_ptr<PreviewFeed> feed) {
  if (!previewMayOpen(config.video)) return nullptr;
  return std::unique_ptr<PreviewSourceReader>(new PreviewSourceReader(config, std::move(feed)));
}

PreviewSourceReader::PreviewSourceReader(const PushConfig& config, std::shared_ptr<PreviewFeed> feed)
    : config_(config), feed_(std::move(feed)) {
  thread_ = std::thread([this] { run(); });
}

PreviewSourceReader::~PreviewSourceReader() {
  signal_.requestStop();
  if (thread_.joinable()) thread_.join();
}

void PreviewSourceReader::run() {
  pthread_setname_np(pthread_self(), "ol-push-pvsrc");
  VideoOpenError error;
  std::unique_ptr<VideoSource> source = tryOpenVideoSource(config_, resolveVideoParams(config_), signal_.stopFlag(), &error);
  if (!source) {
    if (!signal_.stopping()) OL_LOGW("push", "preview: %s; nothing to show until the push starts", error.message.c_str());
    return;
  }
  const bool paced = source->pacing() == SourcePacing::Realtime;
  const auto frameTime = std::chrono::microseconds(static_cast<int64_t>(1e6 / std::max(1.0, source->fps())));
  auto due = std::chrono::steady_clock::now();
  I420Image picture;
  std::string err;
  while (signal_.running()) {
    const SourceRead r = source->read(picture, signal_.stopFlag(), &err);
    if (r != SourceRead::Ok) {
      if (r != SourceRead::Cancelled) OL_LOGI("push", "preview source: %s", r == SourceRead::End ? "ended" : err.c_str());
      return;
    }
    feed_->offer(picture.view());
    if (!paced) continue;
    due = std::max(due + frameTime, std::chrono::steady_clock::now() - std::chrono::seconds(1));
    if (!signal_.sleepUntil(due)) return;
  }
}

}  // namespace openlive::detail
