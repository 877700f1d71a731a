#include "probes.h"

#include <openlive/events.h>

#include <algorithm>
#include <utility>

#include "capture/timecode.h"  // the SDK's band reader, compiled into the soak (CMakeLists.txt)

namespace soak {

using openlive::EventCode;

double secondsSince(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

// ---- Probe

std::vector<EventRecord> Probe::takeEvents() {
  std::lock_guard lk(mu_);
  return std::exchange(pending_, {});
}

std::vector<std::string> Probe::violations() const {
  std::lock_guard lk(mu_);
  return violations_;
}

int Probe::eventsAfterStop() const {
  std::lock_guard lk(mu_);
  return afterStop_;
}

int Probe::reconnects() const {
  std::lock_guard lk(mu_);
  return reconnects_;
}

int Probe::restarts() const {
  std::lock_guard lk(mu_);
  return restarts_;
}

bool Probe::needsRestart() const {
  std::lock_guard lk(mu_);
  return gaveUp_;
}

void Probe::record(int code, std::string_view name) {
  if (stopped_) {
    ++afterStop_;
    violation("event " + std::to_string(code) + " (" + std::string(name) + ") after stop returned");
  }
  if (pending_.size() < 10000) pending_.push_back({now(), id_, code, std::string(name)});
}

void Probe::violation(std::string what) {
  if (violations_.size() < 100) violations_.push_back(id_ + " at " + std::to_string(now()).substr(0, 7) + " s: " + what);
}

// ---- PushProbe

PushProbe::PushProbe(std::string id, Clock::time_point t0, openlive::PushConfig config, std::string url)
    : Probe(std::move(id), t0), url_(std::move(url)), pusher_(std::move(config)) {
  pusher_.setEventCallback([this](const openlive::Event& e) { onEvent(e); });
  pusher_.setNetStatusCallback([this](const openlive::NetStatus& s) { onStatus(s); });
}

PushProbe::~PushProbe() { stop(); }

void PushProbe::reservePoints(size_t n) {
  std::lock_guard lk(mu_);
  points_.reserve(n);
}

size_t PushProbe::recordedBytes() const {
  std::lock_guard lk(mu_);
  return points_.size() * sizeof(PushPoint);
}

bool PushProbe::start(std::string* why) {
  {
    std::lock_guard lk(mu_);
    stopped_ = false;
    connected_ = false;
    gaveUp_ = false;
  }
  auto r = pusher_.start(url_);
  if (!r) {
    std::lock_guard lk(mu_);
    stopped_ = true;
    if (why) *why = id_ + ": start failed: " + std::string(openlive::toString(r.code)) + " " + r.message;
    return false;
  }
  return true;
}

void PushProbe::stop() {
  pusher_.stop();
  std::lock_guard lk(mu_);
  stopped_ = true;
}

void PushProbe::restart() {
  stop();
  {
    std::lock_guard lk(mu_);
    ++restarts_;
    if (pending_.size() < 10000) pending_.push_back({now(), id_, 0, "APP_RESTART"});
  }
  start(nullptr);
}

void PushProbe::onEvent(const openlive::Event& e) {
  std::lock_guard lk(mu_);
  record(openlive::toInt(e.code), e.name());
  switch (e.code) {
    case EventCode::PUSH_EVT_CONNECT_SUCC: connected_ = true; break;
    case EventCode::PUSH_EVT_PUSH_BEGIN:
      if (!connected_) violation("1002 (PUSH_BEGIN) before any 1001 (CONNECT_SUCC) in this session");
      break;
    case EventCode::PUSH_WARNING_RECONNECT: ++reconnects_; break;
    case EventCode::PUSH_ERR_NET_DISCONNECT: gaveUp_ = true; break;
    default: break;
  }
}

void PushProbe::onStatus(const openlive::NetStatus& s) {
  namespace net = openlive::net;
  std::lock_guard lk(mu_);
  if (stopped_) {
    ++afterStop_;
    violation("net status after stop returned");
  }
  last_.videoKbps = s.number(net::kVideoBitrate).value_or(0);
  last_.netKbps = s.number(net::kNetSpeed).value_or(0);
  last_.cacheMs = s.number(net::kCacheSize).value_or(0);
  last_.drops = s.number(net::kDropSize).value_or(0);
  bool published = pusher_.isPublished();
  if (points_.size() < 2000000) points_.push_back({now(), published, last_.netKbps});
}

PushSnapshot PushProbe::snapshot() {
  PushSnapshot s;
  {
    std::lock_guard lk(mu_);
    s = last_;
    s.reconnects = reconnects_;
  }
  s.published = pusher_.isPublished();
  s.state = std::string(openlive::toString(pusher_.state()));
  return s;
}

std::vector<PushPoint> PushProbe::points() const {
  std::lock_guard lk(mu_);
  return points_;
}

// ---- PlayProbe

namespace {
double wallMsAt(Clock::time_point t) {
  const auto wallNow = std::chrono::system_clock::now().time_since_epoch();
  return std::chrono::duration<double, std::milli>(wallNow - (Clock::now() - t)).count();
}
}  // namespace

PlayProbe::PlayProbe(std::string id, Clock::time_point t0, openlive::PlayConfig config, std::string url,
                     bool pictureClock)
    : Probe(std::move(id), t0),
      url_(std::move(url)),
      pictureClock_(pictureClock),
      wallMsAtT0_(wallMsAt(t0)),
      player_(std::move(config)) {
  player_.setEventCallback([this](const openlive::Event& e) { onEvent(e); });
  player_.setNetStatusCallback([this](const openlive::NetStatus& s) { onStatus(s); });
  player_.setVideoFrameCallback([this](const openlive::VideoFrame& f) { onFrame(f); });
}

PlayProbe::~PlayProbe() { stop(); }

void PlayProbe::reservePoints(size_t n) {
  std::lock_guard lk(mu_);
  points_.reserve(n);
}

size_t PlayProbe::recordedBytes() const {
  std::lock_guard lk(mu_);
  return points_.size() * sizeof(PlayPoint);
}

bool PlayProbe::start(std::string* why) {
  {
    std::lock_guard lk(mu_);
    stopped_ = false;
    connected_ = false;
    gaveUp_ = false;
  }
  const openlive::Result rc = player_.start(url_, openlive::PlayType::Rtmp);
  if (!rc) {
    std::lock_guard lk(mu_);
    stopped_ = true;
    if (why) *why = id_ + ": start failed: " + rc.message;
    return false;
  }
  return true;
}

void PlayProbe::stop() {
  player_.stop();
  std::lock_guard lk(mu_);
  stopped_ = true;
}

void PlayProbe::restart() {
  stop();
  {
    std::lock_guard lk(mu_);
    ++restarts_;
    if (pending_.size() < 10000) pending_.push_back({now(), id_, 0, "APP_RESTART"});
  }
  start(nullptr);
}

void PlayProbe::onEvent(const openlive::Event& e) {
  std::lock_guard lk(mu_);
  record(openlive::toInt(e.code), e.name());
  switch (e.code) {
    case EventCode::PLAY_EVT_CONNECT_SUCC: connected_ = true; break;
    case EventCode::PLAY_EVT_PLAY_BEGIN:
      if (!connected_) violation("2004 (PLAY_BEGIN) before any 2001 (CONNECT_SUCC) in this session");
      break;
    case EventCode::PLAY_WARNING_RECONNECT: ++reconnects_; break;
    case EventCode::PLAY_ERR_NET_DISCONNECT: gaveUp_ = true; break;
    default: break;
  }
}

void PlayProbe::onFrame(const openlive::VideoFrame& f) {
  std::lock_guard lk(mu_);
  if (stopped_) {
    ++afterStop_;
    violation("video frame callback after stop returned");
  }
  ++last_.frames;
  lastFrameT_ = now();
  if (pictureClock_) readPictureClock(f, lastFrameT_);
}

void PlayProbe::readPictureClock(const openlive::VideoFrame& f, double t) {
  const auto ms = openlive::readTimecode(f.planes[0], f.strides[0], f.width, f.height);
  if (!ms) {
    ++unreadable_;
    lastFrameCaptureT_.reset();
    return;
  }
  const double captureT = (double(*ms) - wallMsAtT0_) / 1000.0;
  lastFrameCaptureT_ = captureT;
  for (; firstOpenWatch_ < watches_.size() && watches_[firstOpenWatch_].after < captureT; ++firstOpenWatch_)
    watches_[firstOpenWatch_].renderedT = t;
  if (captureT <= newestCaptureT_) return;  // the same content again (a held picture): no progress
  newestCaptureT_ = captureT;
  if (progressT_ >= 0 && t - progressT_ > 1.0) {
    if (gaps_.size() >= kMaxGaps) {  // keep the longest
      auto shortest = std::min_element(gaps_.begin(), gaps_.end(),
                                       [](const Gap& a, const Gap& b) { return a.to - a.from < b.to - b.from; });
      if (shortest->to - shortest->from < t - progressT_) *shortest = {progressT_, t};
    } else {
      gaps_.push_back({progressT_, t});
    }
  }
  progressT_ = t;
}

std::vector<PlayProbe::Gap> PlayProbe::contentGaps(double t) const {
  std::lock_guard lk(mu_);
  std::vector<Gap> g = gaps_;
  if (progressT_ >= 0 && t - progressT_ > 1.0) g.push_back({progressT_, t});
  return g;
}

void PlayProbe::watchFresh(double t) {
  std::lock_guard lk(mu_);
  if (watches_.size() < kMaxWatches) watches_.push_back({t, -1});
}

std::vector<PlayProbe::FreshWatch> PlayProbe::freshWatches() const {
  std::lock_guard lk(mu_);
  return watches_;
}

uint64_t PlayProbe::unreadablePictures() const {
  std::lock_guard lk(mu_);
  return unreadable_;
}

void PlayProbe::onStatus(const openlive::NetStatus& s) {
  namespace net = openlive::net;
  std::lock_guard lk(mu_);
  if (stopped_) {
    ++afterStop_;
    violation("net status after stop returned");
  }
  last_.latencyMs = s.number(net::kLatency);
  last_.cacheMs = s.number(net::kVideoCache).value_or(0);
  last_.fps = s.number(net::kVideoFps).value_or(0);
  last_.netKbps = s.number(net::kNetSpeed).value_or(0);
  last_.stalls = static_cast<int>(s.number(net::kStallCount).value_or(0));
  last_.stallMs = s.number(net::kStallMs).value_or(0);
  last_.drops = s.number(net::kVideoDrop).value_or(0);
  last_.cacheTargetS = s.number(net::kAudioCacheThreshold).value_or(0);
  last_.fresh = last_.frames > framesAtStatus_;
  framesAtStatus_ = last_.frames;
  if (pictureClock_) {  // glass-to-glass from the picture itself
    last_.latencyMs.reset();
    if (lastFrameCaptureT_) last_.latencyMs = (lastFrameT_ - *lastFrameCaptureT_) * 1000.0;
  }
  PlayPoint p;
  p.t = now();
  p.fresh = last_.fresh;
  p.frameT = lastFrameT_;
  p.latencyMs = last_.latencyMs;
  if (p.fresh && p.latencyMs) p.captureT = lastFrameT_ - *p.latencyMs / 1000.0;
  if (points_.size() < 2000000) points_.push_back(p);
}

PlaySnapshot PlayProbe::snapshot() {
  std::lock_guard lk(mu_);
  PlaySnapshot s = last_;
  s.reconnects = reconnects_;
  return s;
}

std::vector<PlayPoint> PlayProbe::points() const {
  std::lock_guard lk(mu_);
  return points_;
}

}  // namespace soak
