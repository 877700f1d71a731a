// PreviewSourceReader: the local preview's own source while nothing is pushed (LivePusher::startPreview before
// start(), and again after stop()). A thread ("ol-push-pvsrc") opens the configured picture source
// (tryOpenVideoSource, as the push would) and offers each picture to the PreviewFeed, at the source's rate for a
// Realtime file, as they arrive for a live one. start() of the push stops it first (the source is closed, then
// the push opens it). A source that cannot be opened, or ends, leaves the preview with its last picture; Custom
// frames, stdin ("-") and None have no reader (stdin is read once, by the push).
#pragma once

#include <openlive/live_pusher.h>

#include <memory>
#include <thread>

#include "pusher/preview_feed.h"
#include "pusher/run_signal.h"

namespace openlive::detail {

class PreviewSourceReader {
 public:
  // Null when `config` names no source the preview may open on its own.
  static std::unique_ptr<PreviewSourceReader> start(const PushConfig& config, std::shared_ptr<PreviewFeed> feed);
  ~PreviewSourceReader();  // cancels the read and joins (bounded by the source's cancellation)
  PreviewSourceReader(const PreviewSourceReader&) = delete;
  PreviewSourceReader& operator=(const PreviewSourceReader&) = delete;

 private:
  PreviewSourceReader(const PushConfig& config, std::shared_ptr<PreviewFeed> feed);
  void run();

  const PushConfig config_;
  const std::shared_ptr<PreviewFeed> feed_;
  RunSignal signal_;  // its stop cancels the read and the pacing wait
  std::thread thread_;
};

}  // namespace openlive::detail
