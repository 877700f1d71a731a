// stopPlay() and stopPush() stay bounded while a local recording drains to a slow disk. The slow disk is a real
// kernel object: a FIFO in place of the recording file, emptied by a reader that takes a few KB a second, so the
// recorder's writer blocks in write() with packets queued behind it. After the stop the reader speeds up; the
// file, finished in the background (RecordingFinisher), must be playable (ffprobe), and no 1029 may arrive
// after the stop. Timing-labelled (tests/CMakeLists.txt, OPENLIVE_TIMING_TESTS): a wall-clock bound.
#include <openlive/live_player.h>
#include <openlive/live_pusher.h>

#include "fixtures/require.h"
#include "fixtures/timing.h"
#include "pusher_test_util.h"
#include "test_player_util.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <thread>

namespace openlive::test {
namespace {

constexpr auto kStopBound = 200ms;

// A FIFO at `path` (created after the recorder checked the path, before it opens the file at the first IDR)
// and a reader thread that empties it at `bytesPerSecond` until drainFast().
class SlowFifoDisk {
 public:
  SlowFifoDisk(std::string path, size_t bytesPerSecond) : path_(std::move(path)), rate_(bytesPerSecond) {
    if (::mkfifo(path_.c_str(), 0600) != 0) return;  // the recorder opened the file first: ok() is false
    fd_ = ::open(path_.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd_ >= 0) thread_ = std::thread([this] { run(); });
  }
  ~SlowFifoDisk() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
    if (fd_ >= 0) ::close(fd_);
  }
  bool ok() const { return fd_ >= 0; }
  void drainFast() { fast_ = true; }
  bool waitForBytes(size_t n, std::chrono::milliseconds timeout) {
    std::unique_lock lk(mu_);
    return cv_.wait_for(lk, timeout, [&] { return data_.size() >= n; });
  }
  bool waitForEof(std::chrono::milliseconds timeout) {
    std::unique_lock lk(mu_);
    return cv_.wait_for(lk, timeout, [&] { return eof_; });
  }
  void saveTo(const std::string& path) {
    std::lock_guard lk(mu_);
    std::ofstream(path, std::ios::binary).write(data_.data(), std::streamsize(data_.size()));
  }

 private:
  void run() {
    char buf[4096];
    double budget = 0;
    auto last = Clock::now();
    while (!stop_) {
      pollfd p{fd_, POLLIN, 0};
      ::poll(&p, 1, 20);  // the reader's own pacing
      const auto now = Clock::now();
      budget = std::min<double>(budget + rate_ * std::chrono::duration<double>(now - last).count(), sizeof buf);
      last = now;
      const size_t want = fast_ ? sizeof buf : static_cast<size_t>(budget);
      if (want == 0) continue;
      const ssize_t n = ::read(fd_, buf, want);
      std::lock_guard lk(mu_);
      if (n > 0) {
        data_.append(buf, size_t(n));
        budget -= double(n);
      } else if (n == 0 && !data_.empty()) {
        eof_ = true;  // the writer closed the file (before any writer, a FIFO also reads 0: ignored)
      }
      cv_.notify_all();
      if (eof_) return;
    }
  }
  const std::string path_;
  const double rate_;
  int fd_ = -1;
  std::atomic<bool> stop_{false}, fast_{false};
  std::mutex mu_;
  std::condition_variable cv_;
  std::string data_;  // guarded by mu_
  bool eof_ = false;  // guarded by mu_
  std::thread thread_;
};

void expectFinishedAndPlayable(SlowFifoDisk& disk, const TempDir& dir);

// Runs the stop, checks it took less than kStopBound, then that the file is finished and plays.
template <class Stop>
void expectBoundedStop(Stop stop, SlowFifoDisk& disk, const TempDir& dir) {
  const auto t0 = Clock::now();
  stop();
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0);
  EXPECT_LT(took, kStopBound);
  ::testing::Test::RecordProperty("stop_ms", static_cast<int>(took.count()));
  expectFinishedAndPlayable(disk, dir);
}

// After the stop: the disk speeds up, the background finisher completes the file, and it plays.
void expectFinishedAndPlayable(SlowFifoDisk& disk, const TempDir& dir) {
  disk.drainFast();
  ASSERT_TRUE(disk.waitForEof(60s)) << "the file was not finished in the background";
  const std::string copy = (dir / "copy.mp4").string();
  disk.saveTo(copy);
  auto probe = probeMedia(copy);
  ASSERT_TRUE(probe.ok) << probe.error;
  ASSERT_NE(probe.video(), nullptr);
  EXPECT_EQ(probe.video()->codecName, "h264");
  EXPECT_GT(probe.duration, 1.0);
}

}  // namespace

TEST(StopTiming, StopPlayWhileARecordingDrainsToASlowDisk) {
  OPENLIVE_SKIP_TIMING_BOUND_UNDER_SANITIZER();
  std::string why;
  OPENLIVE_NEED(haveFfmpegCli(&why), why);
  auto server = startNginxRtmp(&why);
  OPENLIVE_NEED(server, why);
  auto push = startFfmpegTestPush(server->rtmpUrl("rec"), 30, "640x360", 30);
  TempDir dir("ol-stop-rec");
  EventLog log;
  PlayConfig cfg;
  cfg.video = {VideoOutput::Kind::None, ""};
  cfg.audio = {AudioOutput::Kind::None, ""};
  LivePlayer player(cfg);
  log.attach(player);
  ASSERT_TRUE(player.start(server->rtmpUrl("rec")));
  ASSERT_TRUE(log.waitFor(2004, 15s)) << log.dump();
  const std::string path = (dir / "slow.mp4").string();
  ASSERT_EQ(player.startLocalRecord(path).code, ResultCode::Ok);
  SlowFifoDisk disk(path, 8 * 1024);
  ASSERT_TRUE(disk.ok()) << "the recorder opened " << path << " before the FIFO was made";
  ASSERT_TRUE(disk.waitForBytes(64 * 1024, 15s)) << "the writer never filled the pipe";
  log.waitFor(2005, 3s, 1 << 20);  // records on for 3 s: the writer is blocked, packets queue up
  const size_t before = log.codes().size();
  expectBoundedStop([&] { player.stop(); }, disk, dir);
  EXPECT_EQ(log.codes().size(), before) << "no callback after stopPlay(): " << log.dump();
}

TEST(StopTiming, StopPushWhileARecordingDrainsToASlowDisk) {
  OPENLIVE_SKIP_TIMING_BOUND_UNDER_SANITIZER();
  std::string skip;
  auto server = startServerOrSkip(false, &skip);
  OPENLIVE_NEED(server, skip);
  TempDir dir("ol-stop-push-rec");
  PushEventLog log;
  LivePusher pusher(smallRtcPush(30, 300ms, 20));
  log.attach(pusher);
  ASSERT_TRUE(pusher.start(server->rtmpUrl("prec")));
  ASSERT_TRUE(log.waitFor(EventCode::PUSH_EVT_PUSH_BEGIN, 15s)) << log.describe();
  const std::string path = (dir / "slow.mp4").string();
  ASSERT_EQ(pusher.startLocalRecord(path).code, ResultCode::Ok);
  SlowFifoDisk disk(path, 4 * 1024);
  ASSERT_TRUE(disk.ok()) << "the recorder opened " << path << " before the FIFO was made";
  ASSERT_TRUE(disk.waitForBytes(64 * 1024, 30s)) << "the writer never filled the pipe";
  log.waitFor(EventCode::PUSH_EVT_LOCAL_RECORD_RESULT, 3s);  // records on for 3 s (no result comes)
  const size_t before = log.eventCount();
  expectBoundedStop([&] { pusher.stop(); }, disk, dir);
  EXPECT_EQ(log.eventCount(), before) << "no callback after stopPush()";
}

}  // namespace openlive::test
