#include "player/read_watchdog.h"

namespace openlive::player {

const char* toString(CancelCause c) {
  switch (c) {
    case CancelCause::None: return "none";
    case CancelCause::Stop: return "stop";
    case CancelCause::Pause: return "pause";
    case CancelCause::NoData: return "no data";
    case CancelCause::NoRepublish: return "no republish";
  }
  return "?";
}

CancelledRead outcomeOf(CancelCause latched, bool pausedNow) {
  switch (latched) {
    case CancelCause::Stop: return CancelledRead::Stop;
    case CancelCause::Pause: return CancelledRead::Pause;
    case CancelCause::NoRepublish: return CancelledRead::EndOfStream;
    case CancelCause::NoData: return CancelledRead::Reconnect;
    case CancelCause::None: break;  // cancelled before the latch was armed: only a pause or a stop does that
  }
  return pausedNow ? CancelledRead::Pause : CancelledRead::Stop;
}

void ReadWatchdog::arm(int64_t nowMs) {
  std::lock_guard lk(mu_);
  armed_ = true;
  left_ = false;
  lastMs_ = nowMs;
}

void ReadWatchdog::disarm() {
  std::lock_guard lk(mu_);
  armed_ = false;
}

void ReadWatchdog::onMedia(int64_t nowMs) {
  std::lock_guard lk(mu_);
  left_ = false;
  lastMs_ = nowMs;
}

void ReadWatchdog::onPublisherLeft(int64_t nowMs) {
  std::lock_guard lk(mu_);
  if (left_) return;  // the grace runs from the first notice
  left_ = true;
  lastMs_ = nowMs;
}

bool ReadWatchdog::waitingForRepublish() const {
  std::lock_guard lk(mu_);
  return left_;
}

ReadWatchdog::Verdict ReadWatchdog::check(int64_t nowMs) const {
  std::lock_guard lk(mu_);
  if (!armed_) return Verdict::Ok;
  if (nowMs - lastMs_ <= (left_ ? graceMs_ : noDataMs_)) return Verdict::Ok;
  return left_ ? Verdict::NoRepublish : Verdict::NoData;
}

std::optional<int64_t> ReadWatchdog::deadline() const {
  std::lock_guard lk(mu_);
  if (!armed_) return std::nullopt;
  return lastMs_ + (left_ ? graceMs_ : noDataMs_) + 1;
}

}  // namespace openlive::player
