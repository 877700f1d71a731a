// The debug overlay's text (LivePlayer / LivePusher::showDebugView, the TX `debug` attribute): what a session
// reports, kept for the window that draws it. The session hands over each NET_STATUS (once a second) and each
// event as it emits them; the drawing thread (the player's render thread, the preview thread) asks for the lines
// when it draws. The text is built from the very values the app gets, so the overlay never says something the
// callbacks did not.
//
// Thread-safe; bounded: the newest NET_STATUS and the last kEventLines events (older ones are dropped: the
// overlay shows the newest). The drawing is in render/debug_overlay.h.
#pragma once

#include <openlive/types.h>

#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace openlive::detail {

class DebugInfo {
 public:
  enum class Side { Play, Push };
  static constexpr size_t kEventLines = 3;

  explicit DebugInfo(Side side) : side_(side) {}

  // Shown or not (showDebugView, the window's 'd' key); kept across sessions, off by default.
  void setShown(bool shown);
  void toggleShown();
  bool shown() const;
  // A new session: the last one's statistics and events go.
  void clearReports();

  void onNetStatus(const ParamMap& values);
  void onEvent(EventCode code, int64_t wallMs);
  // Bumped by every change: a drawing thread re-reads the lines only when it moved.
  uint64_t version() const;
  std::vector<std::string> lines() const;

  // What a drawing thread last took (one per thread).
  struct Cursor {
    uint64_t version = 0;
    bool shown = false;
  };
  // The overlay's new lines when something changed since `cursor` (empty: hide it), nullopt when there is
  // nothing to redraw (no change, or a change while it stays hidden).
  std::optional<std::vector<std::string>> changes(Cursor& cursor) const;

  // The formatting alone (unit-tested): `status` may be empty (nothing reported yet).
  static std::vector<std::string> format(Side side, const ParamMap& status, const std::deque<std::string>& events);

 private:
  const Side side_;
  mutable std::mutex mu_;
  ParamMap status_;                // guarded by mu_
  std::deque<std::string> events_;  // guarded by mu_, newest last, at most kEventLines
  uint64_t version_ = 0;           // guarded by mu_
  bool shown_ = false;             // guarded by mu_
};

}  // namespace openlive::detail
