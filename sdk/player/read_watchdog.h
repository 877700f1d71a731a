// Why a read was cancelled, and the no-data watchdog that may cancel it (player stage). Pure logic over times
// passed in, so the races the soak found are unit-tested in every order.
//
// A read of the stream is cancelled for exactly one reason, latched by whoever cancels first (stop, pause, the
// watchdog). The read loop goes by the latched reason only: a notice that arrives after the cancel (an
// end-of-stream queued behind a stall, say) cannot change what the cancel meant.
//
// The watchdog: while a read runs, media must arrive at least every noDataMs; once the server said the
// publisher left (UnpublishNotify, Play.Stop, StreamEOF) the connection is kept republishGraceMs for a
// republish. Its verdict is decided when it fires (NoData: reconnect, 3005 / 2103; NoRepublish: the stream
// ended, 2006).
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <optional>

namespace openlive::player {

enum class CancelCause : uint8_t { None, Stop, Pause, NoData, NoRepublish };
const char* toString(CancelCause c);

// First cause wins; reset() for the next read.
class CancelLatch {
 public:
  bool raise(CancelCause c) {
    CancelCause none = CancelCause::None;
    return cause_.compare_exchange_strong(none, c);
  }
  CancelCause cause() const { return cause_.load(); }
  void reset() { cause_ = CancelCause::None; }

 private:
  std::atomic<CancelCause> cause_{CancelCause::None};
};

// What a cancelled read means for the session, from the latched cause alone.
enum class CancelledRead { Stop, Pause, EndOfStream, Reconnect };
CancelledRead outcomeOf(CancelCause latched, bool pausedNow);

class ReadWatchdog {
 public:
  ReadWatchdog(int64_t noDataMs, int64_t republishGraceMs) : noDataMs_(noDataMs), graceMs_(republishGraceMs) {}

  void arm(int64_t nowMs);                // a read begins
  void disarm();                          // the read ended
  void onMedia(int64_t nowMs);            // audio/video arrived (the publisher is there)
  void onPublisherLeft(int64_t nowMs);    // the server said the stream ended
  bool waitingForRepublish() const;

  enum class Verdict { Ok, NoData, NoRepublish };
  // What the watchdog says at `nowMs` (Ok when disarmed).
  Verdict check(int64_t nowMs) const;
  // When check() would next fire (steady ms), nullopt when disarmed.
  std::optional<int64_t> deadline() const;

 private:
  const int64_t noDataMs_, graceMs_;
  mutable std::mutex mu_;
  bool armed_ = false;        // guarded by mu_
  bool left_ = false;         // guarded by mu_
  int64_t lastMs_ = 0;        // guarded by mu_: last media, or the read start, or the leave notice
};

}  // namespace openlive::player
