// Probes: one LivePusher or LivePlayer each, driven through the public API, recording what the SDK reports
// (events, net status, rendered frames) and checking event-order rules as events arrive.
//
// Threads: the SDK calls the handlers on its callback thread; the soak's main thread calls snapshot(),
// start/stop and takeEvents(). Everything shared is guarded by mu_.
#pragma once

#include <openlive/live_player.h>
#include <openlive/live_pusher.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace soak {

using Clock = std::chrono::steady_clock;
double secondsSince(Clock::time_point t0);  // run time, s

struct EventRecord {
  double t = 0;
  std::string who;  // "push0", "play3"
  int code = 0;
  std::string name;
};

// A point per net-status report of a player: what was on screen and how old it was.
struct PlayPoint {
  double t = 0;             // status time
  bool fresh = false;       // frames were rendered since the previous status
  double frameT = 0;        // time of the last rendered frame
  std::optional<double> latencyMs;  // E2E_LATENCY
  std::optional<double> captureT;   // frameT - latency: when the last rendered frame was captured
};

struct PushPoint {
  double t = 0;
  bool published = false;
  double netKbps = 0;
};

class Probe {
 public:
  explicit Probe(std::string id, Clock::time_point t0) : id_(std::move(id)), t0_(t0) {}
  virtual ~Probe() = default;
  const std::string& id() const { return id_; }
  std::vector<EventRecord> takeEvents();    // events since the last call
  std::vector<std::string> violations() const;
  int eventsAfterStop() const;
  int reconnects() const;
  int restarts() const;
  bool needsRestart() const;                 // the SDK gave up (-1307 / -2301); the app restarts it

 protected:
  void record(int code, std::string_view name);  // under mu_
  void violation(std::string what);              // under mu_
  double now() const { return secondsSince(t0_); }

  const std::string id_;
  const Clock::time_point t0_;
  mutable std::mutex mu_;
  std::vector<EventRecord> pending_;
  std::vector<std::string> violations_;
  bool stopped_ = true;  // between a stop returning and the next start: no callback may run
  bool connected_ = false;
  bool gaveUp_ = false;
  int reconnects_ = 0, restarts_ = 0, afterStop_ = 0;
};

struct PushSnapshot {
  bool published = false;
  std::string state;
  double videoKbps = 0, netKbps = 0, cacheMs = 0, drops = 0;
  int reconnects = 0;
};

class PushProbe final : public Probe {
 public:
  PushProbe(std::string id, Clock::time_point t0, openlive::PushConfig config, std::string url);
  ~PushProbe() override;
  bool start(std::string* why);
  void stop();
  void restart();
  PushSnapshot snapshot();
  std::vector<PushPoint> points() const;
  // The per-second records this probe keeps for the report: reserved up front (no reallocation churn in the
  // RSS being measured) and counted (the RSS invariant is about the SDK's memory, not the runner's).
  void reservePoints(size_t n);
  size_t recordedBytes() const;

 private:
  void onEvent(const openlive::Event& e);
  void onStatus(const openlive::NetStatus& s);
  std::string url_;
  PushSnapshot last_;  // guarded by mu_
  std::vector<PushPoint> points_;
  // Last: destroyed first, so everything its callbacks use outlives it.
  openlive::LivePusher pusher_;
};

struct PlaySnapshot {
  std::optional<double> latencyMs;
  bool fresh = false;
  double cacheMs = 0, fps = 0, netKbps = 0, stallMs = 0, drops = 0, cacheTargetS = 0;
  int stalls = 0, reconnects = 0;
  uint64_t frames = 0;
};

class PlayProbe final : public Probe {
 public:
  // pictureClock: the capture time of a rendered picture is read from its capture-time band (the test pattern
  // stamps it; openlive-mixer keeps it in the anchor's window at the top of the room's canvas) instead of being
  // derived from E2E_LATENCY, whose SEI clock a re-encoding mixer restarts; the gaps between pictures of newer
  // content are recorded (contentGaps).
  PlayProbe(std::string id, Clock::time_point t0, openlive::PlayConfig config, std::string url,
            bool pictureClock = false);
  ~PlayProbe() override;
  bool start(std::string* why);
  void stop();
  void restart();
  PlaySnapshot snapshot();
  std::vector<PlayPoint> points() const;
  void reservePoints(size_t n);  // as PushProbe
  size_t recordedBytes() const;

  // pictureClock only. A gap: run seconds from a picture of new content to the next one, when over 1 s (at most
  // kMaxGaps kept; the longest ones win when full). The gap still open at `now` is included.
  struct Gap {
    double from = 0, to = 0;
  };
  static constexpr size_t kMaxGaps = 4096;
  std::vector<Gap> contentGaps(double now) const;
  uint64_t unreadablePictures() const;  // rendered pictures without a readable capture-time band
  // pictureClock only: note when the first picture captured after `t` (run seconds; not decreasing from call to
  // call) is rendered. At most kMaxWatches.
  struct FreshWatch {
    double after = 0, renderedT = -1;  // -1: not yet
  };
  static constexpr size_t kMaxWatches = 100000;
  void watchFresh(double t);
  std::vector<FreshWatch> freshWatches() const;

 private:
  void onEvent(const openlive::Event& e);
  void onStatus(const openlive::NetStatus& s);
  void onFrame(const openlive::VideoFrame& f);
  void readPictureClock(const openlive::VideoFrame& f, double now);  // under mu_
  std::string url_;
  const bool pictureClock_;
  const double wallMsAtT0_;  // the wall clock (ms since the epoch) at t0: the band carries wall-clock ms
  PlaySnapshot last_;  // guarded by mu_
  uint64_t framesAtStatus_ = 0;
  double lastFrameT_ = 0;
  std::optional<double> lastFrameCaptureT_;  // pictureClock: capture time of the last rendered picture
  double newestCaptureT_ = -1, progressT_ = -1;  // pictureClock: newest content seen, and when
  uint64_t unreadable_ = 0;
  std::vector<Gap> gaps_;
  std::vector<FreshWatch> watches_;
  size_t firstOpenWatch_ = 0;  // watches before it have their picture
  std::vector<PlayPoint> points_;
  // Last: destroyed first, so everything its callbacks use outlives it.
  openlive::LivePlayer player_;
};

}  // namespace soak
