// The app's live controls of a publishing session (mute, mirror, pause) and the source-end notice, read by the
// capture paths. Plain atomics: each is one value, written by the app's threads, read by the session's.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace openlive::detail {

struct PushControls {
  std::atomic<bool> muted{false};
  std::atomic<bool> mirror{false};
  // Steady-clock µs since the push was paused, -1 while not paused: one word, so the pause flag and its start
  // are never seen apart.
  std::atomic<int64_t> pausedSinceUs{-1};
  bool paused() const { return pausedSinceUs.load() >= 0; }
};

// A file source reached its end: once everything read has been sent, the app hears of it once (onSourceEnd).
struct SourceEndNotice {
  std::atomic<bool> ended{false};
  std::atomic<bool> fired{false};
};

}  // namespace openlive::detail
