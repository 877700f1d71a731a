// Watches one PulseAudio source (a microphone) for its removal: when a USB microphone is unplugged, or its
// source otherwise unloaded, PulseAudio does not fail the recording stream but moves it to another source (the
// default one), so the capture would go on from a microphone the app did not choose. The capture thread asks
// gone() between chunks and treats a removed source like a failed one (audio_capture.cpp).
//
// Threading: libpulse's threaded mainloop runs the subscription on its own thread ("ol-pulse-watch"); gone() is
// an atomic read from any thread. The destructor stops that thread. A watch that cannot reach the server
// (start() false) watches nothing; the capture then relies on its read failing.
#pragma once

#include <atomic>
#include <memory>
#include <string>

namespace openlive::detail {

class PulseSourceWatch {
 public:
  explicit PulseSourceWatch(std::string sourceName);
  ~PulseSourceWatch();
  PulseSourceWatch(const PulseSourceWatch&) = delete;
  PulseSourceWatch& operator=(const PulseSourceWatch&) = delete;

  // Connects (PULSE_SERVER or the user's server) and subscribes; false with `why` when it cannot.
  bool start(std::string* why);
  // The source was removed since start() (stays true: a new watch follows the reopened source).
  bool gone() const { return gone_.load(); }

  struct Impl;                      // libpulse state (pulse_source_watch.cpp)
  void markGone() { gone_ = true; }  // from the mainloop thread

 private:
  std::string name_;
  std::atomic<bool> gone_{false};
  std::unique_ptr<Impl> impl_;
};

}  // namespace openlive::detail
