// Helpers shared by the pusher integration tests (test_pusher_*.cpp): an event recorder and a stream recorder
// (the ffmpeg CLI playing the stream from the server into an FLV file, an independent reader).
#pragma once

#include <gtest/gtest.h>
#include <openlive/live_pusher.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <functional>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "fixtures/media_probe.h"
#include "fixtures/process.h"
#include "fixtures/servers.h"
#include "fixtures/temp_dir.h"
#include "fixtures/wait.h"

namespace openlive::test {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

class PushEventLog {
 public:
  void attach(LivePusher& p) {
    p.setEventCallback([this](const Event& e) {
      std::lock_guard lk(mu_);
      events_.push_back(e);
      times_.push_back(Clock::now());
      cv_.notify_all();
    });
    p.setNetStatusCallback([this](const NetStatus& s) {
      std::lock_guard lk(mu_);
      status_.push_back(s);
      statusTimes_.push_back(Clock::now());
      cv_.notify_all();
    });
  }
  // Waits until `code` has been seen `count` times.
  bool waitFor(EventCode code, std::chrono::milliseconds timeout, int count = 1) {
    std::unique_lock lk(mu_);
    return cv_.wait_for(lk, timeout, [&] { return countLocked(code) >= count; });
  }
  bool waitForStatus(size_t n, std::chrono::milliseconds timeout) {
    std::unique_lock lk(mu_);
    return cv_.wait_for(lk, timeout, [&] { return status_.size() >= n; });
  }
  // Waits until `pred(statuses, their arrival times)` holds; checked under the log's lock on every status.
  using StatusPred = std::function<bool(const std::vector<NetStatus>&, const std::vector<Clock::time_point>&)>;
  bool waitForStatuses(const StatusPred& pred, std::chrono::milliseconds timeout) {
    std::unique_lock lk(mu_);
    return cv_.wait_for(lk, timeout, [&] { return pred(status_, statusTimes_); });
  }
  int count(EventCode code) {
    std::lock_guard lk(mu_);
    return countLocked(code);
  }
  std::vector<int> codes() {
    std::lock_guard lk(mu_);
    std::vector<int> c;
    for (auto& e : events_) c.push_back(toInt(e.code));
    return c;
  }
  std::string describe() {
    std::ostringstream os;
    for (int c : codes()) os << c << " ";
    return os.str();
  }
  std::vector<Event> events() {
    std::lock_guard lk(mu_);
    return events_;
  }
  std::vector<NetStatus> statuses() {
    std::lock_guard lk(mu_);
    return status_;
  }
  std::vector<Clock::time_point> statusTimes() {
    std::lock_guard lk(mu_);
    return statusTimes_;
  }
  size_t eventCount() {
    std::lock_guard lk(mu_);
    return events_.size();
  }
  // Index of the first `code` at or after `from`, -1 if none.
  int indexOf(EventCode code, int from = 0) {
    std::lock_guard lk(mu_);
    for (size_t i = static_cast<size_t>(from); i < events_.size(); ++i)
      if (events_[i].code == code) return static_cast<int>(i);
    return -1;
  }

 private:
  int countLocked(EventCode code) {
    int n = 0;
    for (auto& e : events_) n += e.code == code;
    return n;
  }
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Event> events_;
  std::vector<Clock::time_point> times_;
  std::vector<NetStatus> status_;
  std::vector<Clock::time_point> statusTimes_;
};

// Waits until the ffmpeg/ffprobe debug log at `logPath` says the play command went out.
inline bool waitForPlayCommand(const std::string& logPath, std::chrono::milliseconds timeout) {
  return waitUntil(
      [&] {
        std::ifstream f(logPath);
        std::stringstream ss;
        ss << f.rdbuf();
        return ss.str().find("Sending play command") != std::string::npos;
      },
      timeout, 20ms);
}

// ffmpeg playing `url` into an FLV file (stream copy). ready() waits until ffmpeg has sent its play command,
// so a publisher started afterwards is seen from its first frame. Start the publisher within 3 s of ready().
class PushRecorder {
 public:
  PushRecorder(const std::string& url, const std::filesystem::path& dir, const std::string& name) {
    out_ = (dir / (name + ".flv")).string();
    log_ = (dir / (name + ".log")).string();
    ProcessOptions po;
    po.out = Redirect::null();
    po.err = Redirect::file(log_);
    proc_ = Process({"ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "debug", "-rw_timeout", "3000000", "-i", url,
                     "-c", "copy", "-f", "flv", "-y", out_},
                    po);
  }
  bool ready(std::chrono::milliseconds timeout = 10s) { return waitForPlayCommand(log_, timeout); }
  // Waits for ffmpeg to finish after the publisher stopped. The servers keep an idle play open, so ffmpeg
  // ends through its 3 s read timeout (-rw_timeout) and then writes out what it buffered.
  void finish(std::chrono::milliseconds timeout = 20s) {
    if (!proc_.wait(timeout)) {
      proc_.signal(SIGINT);  // ffmpeg finalises the file on SIGINT
      if (!proc_.wait(5s)) proc_.kill();
    }
  }
  const std::string& path() const { return out_; }
  std::string logTail() const {
    std::ifstream f(log_);
    std::stringstream ss;
    ss << f.rdbuf();
    std::string s = ss.str();
    return s.size() > 3000 ? s.substr(s.size() - 3000) : s;
  }

 private:
  Process proc_;
  std::string out_, log_;
};

// ffprobe reading `url` live and listing every packet as it arrives (JSON: streams + packets), for checks on
// the exact tail of a stream (ffmpeg's stream copy can lose the last frames when its input ends by timeout).
class LiveProbe {
 public:
  LiveProbe(const std::string& url, const std::filesystem::path& dir, const std::string& name) {
    out_ = (dir / (name + ".json")).string();
    log_ = (dir / (name + ".probe.log")).string();
    ProcessOptions po;
    po.out = Redirect::file(out_);
    po.err = Redirect::file(log_);
    proc_ = Process({"ffprobe", "-hide_banner", "-loglevel", "debug", "-rw_timeout", "3000000", "-show_entries",
                     "packet=stream_index,pts_time,dts_time,size,flags:stream=index,codec_type,codec_name,width,height,"
                     "avg_frame_rate,r_frame_rate,sample_rate,channels",
                     "-of", "json", url},
                    po);
  }
  bool ready(std::chrono::milliseconds timeout = 10s) { return waitForPlayCommand(log_, timeout); }
  nlohmann::json finish(std::chrono::milliseconds timeout = 20s) {
    if (!proc_.wait(timeout)) proc_.kill();
    std::ifstream f(out_);
    return nlohmann::json::parse(f, nullptr, false);
  }

 private:
  Process proc_;
  std::string out_, log_;
};

// A small, cheap RTC push (320x240, GOP 1 s, fixed bitrate) for tests about something else than the encoder.
inline PushConfig smallRtcPush(int fps, std::chrono::milliseconds retryInterval, int retries) {
  PushConfig c;
  c.mode = PushMode::RTC;
  c.width = 320;
  c.height = 240;
  c.fps = fps;
  c.gopSeconds = 1;
  c.autoAdjust = AutoAdjust::None;
  c.connectRetryInterval = retryInterval;
  c.connectRetryCount = retries;
  return c;
}

inline std::unique_ptr<MediaServer> startServerOrSkip(bool nms, std::string* skip) {
  std::string why;
  const bool available = nms ? nodeMediaServerAvailable(&why) : nginxRtmpAvailable(&why);
  if (!available) {
    *skip = why;
    return nullptr;
  }
  auto s = nms ? startNodeMediaServer(&why) : startNginxRtmp(&why);
  EXPECT_NE(s, nullptr) << why;
  if (!s) *skip = why;
  return s;
}

}  // namespace openlive::test
