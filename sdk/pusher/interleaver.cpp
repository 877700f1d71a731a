#include "pusher/interleaver.h"

#include <algorithm>
#include <cmath>
#include <utility>

namespace openlive::detail {
namespace {
int indexOf(EncodedPacket::Kind kind) { return kind == EncodedPacket::Kind::Video ? 1 : 0; }
}  // namespace

Interleaver::Interleaver(Options options, Sink sink) : opt_(options), sink_(std::move(sink)) {
  tracks_[0].present = opt_.hasAudio;
  tracks_[1].present = opt_.hasVideo;
}

std::chrono::milliseconds Interleaver::holdFor(int delayFrames, double fps) {
  const double delayMs = fps > 0 ? 1000.0 * std::max(0, delayFrames) / fps : 0;
  return std::chrono::milliseconds(std::clamp<int64_t>(std::llround(2 * delayMs), 500, 3000));
}

void Interleaver::push(EncodedPacket packet, bool flushing, Clock::time_point now) {
  std::lock_guard lk(mu_);
  Track& t = tracks_[indexOf(packet.kind)];
  if (!packet.isHeader()) t.highDts = std::max(t.highDts, packet.dtsMs);
  t.fifo.push_back(Held{std::move(packet), flushing, now});
  releaseLocked(now, false);
}

void Interleaver::endTrack(EncodedPacket::Kind kind, Clock::time_point now) {
  std::lock_guard lk(mu_);
  tracks_[indexOf(kind)].ended = true;
  releaseLocked(now, false);
}

void Interleaver::releaseExpired(Clock::time_point now) {
  std::lock_guard lk(mu_);
  releaseLocked(now, false);
}

void Interleaver::setMaxHold(std::chrono::milliseconds maxHold) {
  std::lock_guard lk(mu_);
  opt_.maxHold = maxHold;
}

void Interleaver::flush() {
  std::lock_guard lk(mu_);
  releaseLocked(Clock::now(), true);
}

// A packet of `track` is in order when the other track cannot produce anything older than it (less the
// tolerance): that track is absent or ended, or has already produced media up to there.
bool Interleaver::inOrderLocked(int track, const Held& h) const {
  const Track& other = tracks_[1 - track];
  if (!other.present || other.ended) return true;
  const int64_t tolerance = track == 1 ? opt_.videoToleranceMs : opt_.audioToleranceMs;
  return other.highDts != INT64_MIN && other.highDts >= h.packet.dtsMs - tolerance;
}

// Repeatedly takes the head with the lower dts (video first among equals) and releases it when it is in
// order or waited maxHold; stops at the first head that must wait, so the order is kept.
void Interleaver::releaseLocked(Clock::time_point now, bool all) {
  for (;;) {
    Track& a = tracks_[0];
    Track& v = tracks_[1];
    if (a.fifo.empty() && v.fifo.empty()) return;
    int pick = 1;
    if (v.fifo.empty() || (!a.fifo.empty() && a.fifo.front().packet.dtsMs < v.fifo.front().packet.dtsMs)) pick = 0;
    Track& t = tracks_[pick];
    Held& h = t.fifo.front();
    if (!all && !inOrderLocked(pick, h)) {
      if (now - h.since < opt_.maxHold) return;
      ++timedOut_;
    }
    EncodedPacket p = std::move(h.packet);
    const bool flushing = h.flushing;
    t.fifo.pop_front();
    sink_(std::move(p), flushing);
  }
}

size_t Interleaver::held() const {
  std::lock_guard lk(mu_);
  return tracks_[0].fifo.size() + tracks_[1].fifo.size();
}

uint64_t Interleaver::timedOut() const {
  std::lock_guard lk(mu_);
  return timedOut_;
}

bool Interleaver::trackEnded(EncodedPacket::Kind kind) const {
  std::lock_guard lk(mu_);
  return tracks_[indexOf(kind)].ended;
}

}  // namespace openlive::detail
