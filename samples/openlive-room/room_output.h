// openlive-room's output: one line per room event (text, or JSON with --json) on stdout, and a status line per
// member every --status-interval (decoded pictures per second of each stream this client plays).
#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <map>
#include <mutex>
#include <string>

namespace openlive::samples {

class RoomOutput {
 public:
  explicit RoomOutput(bool json) : json_(json), t0_(std::chrono::steady_clock::now()) {}

  // `what`: "anchorEnter", "text", ...; `fields`: what goes with it.
  void event(const std::string& what, const nlohmann::json& fields = nlohmann::json::object()) {
    std::lock_guard lk(mu_);
    if (json_) {
      nlohmann::json line = fields;
      line["t"] = seconds();
      line["event"] = what;
      std::printf("%s\n", line.dump().c_str());
    } else {
      std::string rest;
      for (const auto& [k, v] : fields.items()) rest += " " + k + "=" + (v.is_string() ? v.get<std::string>() : v.dump());
      std::printf("[%7.1f s] %s%s\n", seconds(), what.c_str(), rest.c_str());
    }
    std::fflush(stdout);
  }

  void frame(const std::string& stream) {
    std::lock_guard lk(mu_);
    ++frames_[stream];
  }

  // One status line: per stream, pictures decoded since the last line and the rate.
  void status(const std::string& role, const std::string& roomID) {
    std::lock_guard lk(mu_);
    const double now = seconds(), dt = now - lastStatus_;
    lastStatus_ = now;
    nlohmann::json streams = nlohmann::json::object();
    for (auto& [name, n] : frames_) {
      const double fps = dt > 0 ? double(n - reported_[name]) / dt : 0;
      reported_[name] = n;
      streams[name] = {{"frames", n}, {"fps", std::round(fps * 10) / 10}};
    }
    if (json_) {
      std::printf("%s\n", nlohmann::json{{"t", now}, {"status", role}, {"room", roomID}, {"streams", streams}}.dump().c_str());
    } else {
      std::string s;
      for (const auto& [name, v] : streams.items()) s += " " + name + " " + v["fps"].dump() + " fps";
      std::printf("[%7.1f s] status %s room=%s%s\n", now, role.c_str(), roomID.c_str(), s.empty() ? " (no streams)" : s.c_str());
    }
    std::fflush(stdout);
  }

  int64_t framesOf(const std::string& stream) {
    std::lock_guard lk(mu_);
    return frames_[stream];
  }

 private:
  double seconds() const {
    return std::round(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0_).count() * 10) / 10;
  }
  const bool json_;
  const std::chrono::steady_clock::time_point t0_;
  std::mutex mu_;
  std::map<std::string, int64_t> frames_, reported_;
  double lastStatus_ = 0;
};

}  // namespace openlive::samples
