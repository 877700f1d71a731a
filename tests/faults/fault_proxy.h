// A fault-injecting TCP proxy for bad-network tests: client -> 127.0.0.1:port() -> upstream.
//
// Faults (all thread-safe, effective immediately, applied to every current and future connection):
//   delay + jitter   each chunk read at time t is released at t + delay + U(0, jitter), order kept
//   throughput cap   token bucket in bytes/s per direction (0 = unlimited)
//   stall            stop forwarding in one or both directions for N ms (data is held, not lost)
//   cut              close both sides of every current connection
//   black hole       accept new connections but never connect upstream nor forward a byte
// A schedule (list of timed steps) can drive these from a background thread. Everything the proxy does is
// logged with a timestamp (ms since start) and readable through log().
//
// Bounded: at most kMaxBuffered bytes held per direction per connection; beyond that the proxy stops reading
// from the sender (back-pressure, as a slow link would), so memory stays bounded.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace openlive::test {

enum class Direction { Upstream, Downstream, Both };  // Upstream = client -> server

struct FaultStep {
  enum class Kind { Delay, Throughput, Stall, Cut, BlackHole, Clear };
  std::chrono::milliseconds at{0};  // from the schedule's start
  Kind kind = Kind::Clear;
  Direction direction = Direction::Both;
  std::chrono::milliseconds duration{0};  // Stall length; Delay value
  std::chrono::milliseconds jitter{0};    // Delay jitter
  int64_t bytesPerSecond = 0;             // Throughput cap (0 = unlimited)
  bool on = true;                         // BlackHole on/off
};

// Parses a schedule like "0:delay=200,jitter=50;5000:stall=500,dir=down;9000:rate=100000;12000:cut;15000:clear".
// Throws std::invalid_argument with the offending step.
std::vector<FaultStep> parseSchedule(const std::string& text);
std::string describe(const FaultStep& step);

class FaultProxy {
 public:
  static constexpr size_t kMaxBuffered = 8 * 1024 * 1024;

  FaultProxy(std::string upstreamHost, int upstreamPort);
  ~FaultProxy();
  FaultProxy(const FaultProxy&) = delete;
  FaultProxy& operator=(const FaultProxy&) = delete;

  int port() const { return port_; }

  void setDelay(std::chrono::milliseconds delay, std::chrono::milliseconds jitter = {});
  void setThroughput(int64_t bytesPerSecond, Direction dir = Direction::Both);
  void stall(std::chrono::milliseconds duration, Direction dir = Direction::Both);
  void cutAll();
  void setBlackHole(bool on);
  // Bytes held per direction per connection before back-pressure (default kMaxBuffered, i.e. a very
  // bufferbloated link). A small value (e.g. 64 KiB) behaves like a bottleneck with a short queue, so a sender
  // sees the cap in its own queue. At least 4096.
  void setMaxBuffered(size_t bytes);
  void clear();  // no delay, no cap, no stall, no black hole
  void apply(const FaultStep& step);

  // Runs the steps at their times on a background thread (replaces a running schedule).
  void runSchedule(std::vector<FaultStep> steps);

  // The newest kMaxLogLines lines (older ones are dropped, and a first line says how many).
  std::vector<std::string> log() const;
  static constexpr size_t kMaxLogLines = 10000;
  uint64_t bytesForwarded(Direction dir) const;
  int connectionsAccepted() const { return accepted_.load(); }

 private:
  struct Shared;
  void loop();
  void note(const std::string& what);

  std::shared_ptr<Shared> s_;
  int port_ = 0;
  std::atomic<int> accepted_{0};
  std::thread thread_;
  std::thread scheduleThread_;
};

}  // namespace openlive::test
