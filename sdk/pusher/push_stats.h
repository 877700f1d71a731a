// The publishing session's counters and the NET_STATUS they make: bytes and frames produced by the encoders,
// bytes written to the network, and the capture-to-wire time of every video frame (from the moment its source
// delivered it to the moment its FLV tag was written to the socket), reported as the median over the last
// second. Producers are the encode paths and the send thread; report() runs on the stat thread.
#pragma once

#include <openlive/types.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>

namespace openlive::detail {

class PushStats {
 public:
  using Clock = std::chrono::steady_clock;

  struct Totals {
    uint64_t videoBytes = 0, audioBytes = 0, videoFrames = 0;  // produced by the encoders
    uint64_t sentBytes = 0, sentAudioBytes = 0;                // written to the network
  };
  // What report() cannot count itself.
  struct Snapshot {
    int width = 0, height = 0, targetKbps = 0;
    double gopSeconds = 0;
    int64_t queueMs = 0;
    uint64_t dropped = 0;
    std::string audioInfo, serverIp, state;
  };

  PushStats();
  void addVideo(size_t bytes);
  void addAudio(size_t bytes);
  void addSent(bool video, size_t bytes);
  // A video frame's FLV tag was written `now`; its source delivered it at `captureUs` (steady clock).
  void addCaptureToWire(int64_t captureUs, Clock::time_point now);

  Totals totals() const;
  // Median capture-to-wire time (ms) of the frames written during the second before `now`.
  std::optional<double> captureToWireMs(Clock::time_point now);
  // NET_STATUS for the time since the previous report (stat thread only).
  NetStatus report(Clock::time_point now, const Snapshot& s);

 private:
  std::atomic<uint64_t> videoBytes_{0}, audioBytes_{0}, videoFrames_{0}, sentBytes_{0}, sentAudioBytes_{0};
  std::mutex c2wMu_;
  std::deque<std::pair<Clock::time_point, double>> c2w_;  // guarded by c2wMu_: (written at, ms), last ~1 s
  // Stat thread only: the previous report.
  Clock::time_point lastAt_ = Clock::now();
  double lastCpu_ = 0;
  Totals last_;
};

}  // namespace openlive::detail
