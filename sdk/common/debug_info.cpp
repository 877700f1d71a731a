// DebugInfo: the debug overlay's text (see debug_info.h).
#include "common/debug_info.h"

#include <ctime>

namespace openlive::detail {

namespace {

std::string get(const ParamMap& m, std::string_view key, const char* absent = "-") {
  auto it = m.find(key);
  return it == m.end() || it->second.empty() ? std::string(absent) : it->second;
}

std::string sizeAndRate(const ParamMap& s) {
  return get(s, net::kVideoWidth) + "x" + get(s, net::kVideoHeight) + "  " + get(s, net::kVideoFps) + " fps";
}

std::string bitrates(const ParamMap& s) {
  return "video " + get(s, net::kVideoBitrate) + " kbps  audio " + get(s, net::kAudioBitrate) + " kbps  net " +
         get(s, net::kNetSpeed) + " kbps";
}

std::vector<std::string> playLines(const ParamMap& s) {
  std::vector<std::string> out;
  out.push_back("PLAY  " + sizeAndRate(s) + "  " + get(s, net::kPlayState));
  out.push_back(bitrates(s));
  out.push_back("cache video " + get(s, net::kVideoCache) + " / audio " + get(s, net::kAudioCache) +
                " ms  target " + get(s, net::kAudioCacheThreshold) + " s  speed " + get(s, net::kAudioPlaySpeed));
  std::string latency = "jitter " + get(s, net::kNetJitter) + " ms  a/v " + get(s, net::kAvPlayInterval) + " ms";
  if (s.count(net::kLatency)) latency += "  e2e " + get(s, net::kLatency) + " ms";
  out.push_back(latency);
  out.push_back("drops " + get(s, net::kVideoDrop) + "  stalls " + get(s, net::kStallCount) + " (" +
                get(s, net::kStallMs) + " ms)  cpu " + get(s, net::kCpuUsage) + " %");
  return out;
}

std::vector<std::string> pushLines(const ParamMap& s) {
  std::vector<std::string> out;
  out.push_back("PUSH  " + sizeAndRate(s) + "  gop " + get(s, net::kVideoGop) + " s");
  out.push_back(bitrates(s) + "  target " + get(s, net::kSetVideoBitrate) + " kbps");
  out.push_back("queue " + get(s, net::kCacheSize) + " ms  drops " + get(s, net::kDropSize) + "  capture->wire " +
                get(s, net::kCaptureToWire) + " ms  cpu " + get(s, net::kCpuUsage) + " %");
  return out;
}

}  // namespace

std::vector<std::string> DebugInfo::format(Side side, const ParamMap& status, const std::deque<std::string>& events) {
  std::vector<std::string> out;
  if (status.empty()) {
    out.push_back(side == Side::Play ? "PLAY  no statistics yet" : "PUSH  not pushing");
  } else {
    out = side == Side::Play ? playLines(status) : pushLines(status);
    out.push_back("server " + get(status, net::kServerIp));
  }
  for (auto it = events.rbegin(); it != events.rend(); ++it) out.push_back(*it);  // newest first
  return out;
}

void DebugInfo::setShown(bool shown) {
  std::lock_guard lk(mu_);
  if (shown_ == shown) return;
  shown_ = shown;
  ++version_;
}

void DebugInfo::toggleShown() {
  std::lock_guard lk(mu_);
  shown_ = !shown_;
  ++version_;
}

bool DebugInfo::shown() const {
  std::lock_guard lk(mu_);
  return shown_;
}

void DebugInfo::clearReports() {
  std::lock_guard lk(mu_);
  status_.clear();
  events_.clear();
  ++version_;
}

void DebugInfo::onNetStatus(const ParamMap& values) {
  std::lock_guard lk(mu_);
  status_ = values;
  ++version_;
}

void DebugInfo::onEvent(EventCode code, int64_t wallMs) {
  const std::time_t t = static_cast<std::time_t>(wallMs / 1000);
  std::tm tm{};
  localtime_r(&t, &tm);
  char when[16];
  std::strftime(when, sizeof when, "%H:%M:%S", &tm);
  std::string line = std::string(when) + "  " + std::to_string(toInt(code)) + " " + std::string(eventName(code));
  std::lock_guard lk(mu_);
  events_.push_back(std::move(line));
  while (events_.size() > kEventLines) events_.pop_front();  // the overlay shows the newest
  ++version_;
}

uint64_t DebugInfo::version() const {
  std::lock_guard lk(mu_);
  return version_;
}

std::optional<std::vector<std::string>> DebugInfo::changes(Cursor& cursor) const {
  std::lock_guard lk(mu_);
  if (version_ == cursor.version) return std::nullopt;
  cursor.version = version_;
  if (!shown_ && !cursor.shown) return std::nullopt;  // off and already off
  cursor.shown = shown_;
  return shown_ ? format(side_, status_, events_) : std::vector<std::string>{};
}

std::vector<std::string> DebugInfo::lines() const {
  std::lock_guard lk(mu_);
  return format(side_, status_, events_);
}

}  // namespace openlive::detail
