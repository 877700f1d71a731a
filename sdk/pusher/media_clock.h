// The publishing session's media clock: media time in ms since the stream was first published (1002), so file
// sources lose no frames to the connect and timestamps start at 0; it keeps running across reconnects, so
// timestamps stay monotonic. Started once by the io thread; read by every capture path.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>

#include "pusher/run_signal.h"

namespace openlive::detail {

class MediaClock {
 public:
  using Clock = std::chrono::steady_clock;
  explicit MediaClock(RunSignal& signal) : signal_(signal) {}

  // Starts the clock (once; later calls do nothing) and wakes the threads waiting for it.
  void start();
  bool started() const { return started_.load(std::memory_order_acquire); }
  // Waits for start(); false when the session drains or stops first.
  bool waitStarted();
  // Media time now (0 before the start).
  int64_t nowMs() const;
  // Media time of a steady-clock instant (0 before the start).
  int64_t msAt(Clock::time_point t) const;
  // Wall-clock ms since the Unix epoch at media time `ptsMs` (the capture-time SEI).
  int64_t wallMsAt(int64_t ptsMs) const;

 private:
  RunSignal& signal_;
  std::once_flag once_;
  std::atomic<bool> started_{false};
  // Written once before started_ is released, read after it is acquired.
  Clock::time_point epoch_{};
  int64_t epochWallMs_ = 0;
};

// Steady-clock microseconds now (capture instants carried by packets, EncodedPacket::captureUs).
int64_t steadyNowUs();

}  // namespace openlive::detail
