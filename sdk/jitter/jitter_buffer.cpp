#include "jitter/jitter_buffer.h"

#include <algorithm>
#include <vector>

namespace openlive::jitter {

void ArrivalJitter::onArrival(int64_t mediaMs, int64_t wallMs) {
  samples_.push_back({wallMs, wallMs - mediaMs});
  while (!samples_.empty() && samples_.front().wall < wallMs - windowMs_) samples_.pop_front();
}

int64_t ArrivalJitter::spreadMs() const {
  // Lateness of each arrival relative to the earliest one before it in the window. Early arrivals (a GOP-cache
  // burst of old frames, a catch-up flush) cost no buffering and are not counted; late ones are.
  if (samples_.size() < 2) return 0;
  int64_t minDelay = samples_.front().delay, worst = 0;
  for (const auto& s : samples_) {
    worst = std::max(worst, s.delay - minDelay);
    minDelay = std::min(minDelay, s.delay);
  }
  return worst;
}

int64_t ArrivalJitter::lateMsAt(double share) const {
  if (share >= 1.0) return spreadMs();
  if (samples_.size() < 2) return 0;
  std::vector<int64_t> late;
  late.reserve(samples_.size());
  int64_t minDelay = samples_.front().delay;
  for (const auto& s : samples_) {
    late.push_back(std::max<int64_t>(0, s.delay - minDelay));
    minDelay = std::min(minDelay, s.delay);
  }
  const size_t k = std::min(late.size() - 1, static_cast<size_t>(share * double(late.size())));
  std::nth_element(late.begin(), late.begin() + static_cast<std::ptrdiff_t>(k), late.end());
  return late[k];
}

int64_t ArrivalJitter::maxGapMs() const {
  int64_t g = 0;
  for (size_t i = 1; i < samples_.size(); ++i) g = std::max(g, samples_[i].wall - samples_[i - 1].wall);
  return g;
}

void JitterBuffer::Spacing::onTs(int64_t ts) {
  if (last && ts > *last && ts - *last < 1000) avg = avg == 0 ? double(ts - *last) : avg * 0.9 + double(ts - *last) * 0.1;
  last = ts;
}

void JitterBuffer::push(Packet&& p, int64_t arrivalWallMs) {
  {
    std::lock_guard lk(mu_);
    auto& dq = q(p.kind);
    bytes_ += p.data.size();
    if (p.isVideo()) {
      sawVideo_ = true;
      newestVideo_ = std::max(newestVideo_.value_or(p.ptsMs), p.ptsMs);
      videoReorders_ = videoReorders_ || p.ptsMs != p.dtsMs;
      videoSpacing_.onTs(p.dtsMs);
    } else {
      sawAudio_ = true;
      newestAudio_ = std::max(newestAudio_.value_or(p.ptsMs), p.ptsMs);
      audioSpacing_.onTs(p.ptsMs);
    }
    // Jitter is measured on the master track only (audio when present) so A/V interleaving is not counted.
    if (jitterOnVideo_ ? p.isVideo() : (!p.isVideo() || !sawAudio_)) jitter_.onArrival(p.isVideo() ? p.dtsMs : p.ptsMs, arrivalWallMs);
    dq.push_back(std::move(p));
    woken_ = true;
    auto ts = [](const Packet& x) { return x.isVideo() ? x.dtsMs : x.ptsMs; };
    while (dq.size() > 1 && ts(dq.back()) - ts(dq.front()) > kMaxSpanMs) {
      dq.pop_front();
      ++overflow_;
    }
  }
  cv_.notify_all();
}

void JitterBuffer::setJitterFollowsVideo(bool video) {
  std::lock_guard lk(mu_);
  jitterOnVideo_ = video;
}

void JitterBuffer::setJitterShare(double share) {
  std::lock_guard lk(mu_);
  jitterShare_ = std::clamp(share, 0.5, 1.0);
}

void JitterBuffer::setJitterWindow(int64_t windowMs) {
  std::lock_guard lk(mu_);
  jitter_ = ArrivalJitter(windowMs);
}

void JitterBuffer::clear() {
  std::lock_guard lk(mu_);
  video_.clear();
  audio_.clear();
  newestVideo_.reset();
  newestAudio_.reset();
  videoSpacing_ = {};
  audioSpacing_ = {};
  sawAudio_ = sawVideo_ = videoReorders_ = false;
  eos_ = false;
  jitter_.reset();
}

void JitterBuffer::setEndOfStream(bool eos) {
  {
    std::lock_guard lk(mu_);
    eos_ = eos;
  }
  cv_.notify_all();
}

bool JitterBuffer::endOfStream() const {
  std::lock_guard lk(mu_);
  return eos_;
}

std::optional<JitterBuffer::Packet> JitterBuffer::popIfDue(Packet::Kind kind, int64_t dueMs) {
  std::lock_guard lk(mu_);
  auto& dq = q(kind);
  if (dq.empty()) return std::nullopt;
  int64_t ts = kind == Packet::Kind::Video ? dq.front().dtsMs : dq.front().ptsMs;
  if (ts > dueMs) return std::nullopt;
  Packet p = std::move(dq.front());
  dq.pop_front();
  return p;
}

std::optional<JitterBuffer::Packet> JitterBuffer::pop(Packet::Kind kind) {
  std::lock_guard lk(mu_);
  auto& dq = q(kind);
  if (dq.empty()) return std::nullopt;
  Packet p = std::move(dq.front());
  dq.pop_front();
  return p;
}

std::optional<int64_t> JitterBuffer::dropToNewestKeyframe(int64_t keepMs) {
  std::lock_guard lk(mu_);
  if (video_.empty()) return std::nullopt;
  const int64_t newest = video_.back().dtsMs;
  // keepMs > 0: the newest keyframe that leaves keepMs after it, but never the head itself (a jump must drop
  // something, or the caller would jump again and again); failing that, the oldest keyframe after the head.
  std::optional<size_t> pick, oldestKey;
  for (size_t i = video_.size(); i-- > (keepMs > 0 ? 1 : 0);) {
    if (!video_[i].keyframe) continue;
    oldestKey = i;
    if (!pick && (keepMs <= 0 || newest - video_[i].dtsMs >= keepMs)) pick = i;
  }
  if (!pick) pick = oldestKey;
  if (!pick) return std::nullopt;
  const size_t idx = *pick;
  int64_t pts = video_[idx].ptsMs;
  overflow_ += idx;
  video_.erase(video_.begin(), video_.begin() + static_cast<std::ptrdiff_t>(idx));
  while (!audio_.empty() && audio_.front().ptsMs < pts) audio_.pop_front();
  return pts;
}

std::optional<int64_t> JitterBuffer::dropToFirstKeyframe() {
  std::lock_guard lk(mu_);
  while (!video_.empty() && !video_.front().keyframe) video_.pop_front();
  if (video_.empty()) return std::nullopt;
  int64_t pts = video_.front().ptsMs;
  while (!audio_.empty() && audio_.front().ptsMs < pts) audio_.pop_front();
  return pts;
}

bool JitterBuffer::hasAudio() const {
  std::lock_guard lk(mu_);
  return sawAudio_;
}
bool JitterBuffer::hasVideo() const {
  std::lock_guard lk(mu_);
  return sawVideo_;
}
size_t JitterBuffer::count(Packet::Kind kind) const {
  std::lock_guard lk(mu_);
  return q(kind).size();
}
std::optional<int64_t> JitterBuffer::oldestTs(Packet::Kind kind) const {
  std::lock_guard lk(mu_);
  auto& dq = q(kind);
  if (dq.empty()) return std::nullopt;
  return kind == Packet::Kind::Video ? dq.front().dtsMs : dq.front().ptsMs;
}
std::optional<int64_t> JitterBuffer::newestTs(Packet::Kind kind) const {
  std::lock_guard lk(mu_);
  return kind == Packet::Kind::Video ? newestVideo_ : newestAudio_;
}
bool JitterBuffer::videoReorders() const {
  std::lock_guard lk(mu_);
  return videoReorders_;
}
int64_t JitterBuffer::typicalIntervalMs(Packet::Kind kind) const {
  std::lock_guard lk(mu_);
  return static_cast<int64_t>((kind == Packet::Kind::Video ? videoSpacing_ : audioSpacing_).avg + 0.5);
}
bool JitterBuffer::hasKeyframe() const {
  std::lock_guard lk(mu_);
  return std::any_of(video_.begin(), video_.end(), [](const Packet& p) { return p.keyframe; });
}
int64_t JitterBuffer::jitterMs() const {
  std::lock_guard lk(mu_);
  return jitter_.lateMsAt(jitterShare_);
}
int64_t JitterBuffer::maxArrivalGapMs() const {
  std::lock_guard lk(mu_);
  return jitter_.maxGapMs();
}
uint64_t JitterBuffer::overflowDrops() const {
  std::lock_guard lk(mu_);
  return overflow_;
}
uint64_t JitterBuffer::receivedBytes() const {
  std::lock_guard lk(mu_);
  return bytes_;
}

void JitterBuffer::waitForData(std::chrono::milliseconds timeout) {
  std::unique_lock lk(mu_);
  cv_.wait_for(lk, timeout, [&] { return woken_; });
  woken_ = false;
}

void JitterBuffer::wake() {
  {
    std::lock_guard lk(mu_);
    woken_ = true;
  }
  cv_.notify_all();
}

}  // namespace openlive::jitter
