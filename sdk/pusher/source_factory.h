// The pull-style sources a PushConfig names (capture/source.h), opened on the capture thread that reads them.
// A source that cannot be opened is the session's fatal error (its event code says which device); an opened
// camera or screen is announced (1003 / 1004).
#pragma once

#include <openlive/live_pusher.h>

#include <atomic>
#include <memory>
#include <string>

#include "capture/source.h"
#include "pusher/push_events.h"
#include "pusher/push_params.h"

namespace openlive::detail {

template <class Source>
struct OpenedSource {
  std::unique_ptr<Source> source;  // null when it could not be opened (already reported)
  EventCode readFailCode{};        // the error when reading it fails later
};

// Opens the picture source of `config` without reporting: null with `error` (the event code that names the
// device, and why). On success `error->message` says what was opened (for 1003 / 1004). The local preview uses
// it before start() (pusher/preview_source.h); sessions use openVideoSource.
struct VideoOpenError {
  EventCode code{};
  std::string message;
};
std::unique_ptr<VideoSource> tryOpenVideoSource(const PushConfig& config, const ResolvedVideoParams& video,
                                                const std::atomic<bool>& cancel, VideoOpenError* error);
OpenedSource<VideoSource> openVideoSource(const PushConfig& config, const ResolvedVideoParams& video,
                                          const std::atomic<bool>& cancel, PushEvents& events);
// `rate` / `channels`: what the encoder takes (generated and captured audio is made at that format).
OpenedSource<AudioSource> openAudioSource(const PushConfig& config, int rate, int channels,
                                          const std::atomic<bool>& cancel, PushEvents& events);
// The pacing of a file source: the configured one, or by its type (pipe: Live, regular file: Realtime).
SourcePacing pacingFor(SourcePacingMode mode, const std::string& path);

}  // namespace openlive::detail
