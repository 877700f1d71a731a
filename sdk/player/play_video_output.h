// The player's video sink and its changes (render thread only; one object per session, owned by PlayRenderer).
// Opened from PlayConfig::video at the start; replaced when the app calls updateRenderWindow /
// closeRenderWindow (LiveControls::windowTarget, applied at the next loop turn); dropped, with a report, when the
// app's window does not exist or goes away (2110). The sinks themselves are in render/.
#pragma once

#include "render/sinks.h"

#include <openlive/live_player.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

struct AVFrame;

namespace openlive::player {

struct LiveControls;

class PlayVideoOutput {
 public:
  using WindowFailure = std::function<void(const std::string& why)>;  // -> 2110

  PlayVideoOutput(const PlayConfig& config, uint32_t windowVersion, WindowFailure onWindowFailure);
  void open(const render::ViewOptions& view);
  render::VideoSink& sink() { return *sink_; }
  bool isWindow() const { return kind_ == Sink::SdkWindow || kind_ == Sink::AppWindow; }  // pumped every 16 ms
  // Makes the change the API asked for, if any. `onScreen` (may be null) is shown in a new window at once.
  void applyWindowTarget(LiveControls& controls, const render::ViewOptions& view, const AVFrame* onScreen);
  // The window's input; an app window that went away is reported and replaced by the null sink.
  render::WindowInput poll();
  // The debug overlay's lines (none: off), kept for a window that replaces this one; the sink redraws its
  // picture with them at once.
  void setOverlay(std::vector<std::string> lines);

 private:
  enum class Sink { Null, SdkWindow, AppWindow, File };
  void openAppWindow(NativeWindowHandle window, const render::ViewOptions& view);
  void setNull();

  const PlayConfig& config_;
  uint32_t windowVersion_;
  WindowFailure onWindowFailure_;
  std::unique_ptr<render::VideoSink> sink_;
  Sink kind_ = Sink::Null;
  std::vector<std::string> overlay_;
};

}  // namespace openlive::player
