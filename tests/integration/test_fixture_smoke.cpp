// Proves the test fixtures themselves: each real server accepts a stream published with the ffmpeg CLI
// and serves it back (ffprobe over RTMP, and HTTP-FLV for node-media-server); kill()/restart() behave
// like a crash and a recovery; and Process / runCommand clean up after themselves.
#include <gtest/gtest.h>
#include <signal.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <future>

#include "fixtures/media_probe.h"
#include "fixtures/ports.h"
#include "fixtures/process.h"
#include "fixtures/require.h"
#include "fixtures/servers.h"
#include "fixtures/timing.h"
#include "fixtures/wait.h"

namespace openlive::test {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

enum class Kind { Nginx, Nms };

std::string kindName(Kind k) { return k == Kind::Nginx ? "nginx" : "nms"; }
void PrintTo(Kind k, std::ostream* os) { *os << kindName(k); }  // readable ctest names

// Starts the server, or skips when it is not installed. Installed but failing to start is a failure.
std::unique_ptr<MediaServer> startOrSkip(Kind kind, std::string* skipReason) {
  std::string why;
  const bool available = kind == Kind::Nginx ? nginxRtmpAvailable(&why) : nodeMediaServerAvailable(&why);
  if (!available) {
    *skipReason = why;
    return nullptr;
  }
  auto server = kind == Kind::Nginx ? startNginxRtmp(&why) : startNodeMediaServer(&why);
  EXPECT_NE(server, nullptr) << why;
  return server;
}

// Running (a zombie counts as gone: it may be reparented to an init that reaps late).
bool pidAlive(int pid) {
  if (pid <= 0 || (::kill(pid, 0) != 0 && errno == ESRCH)) return false;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  std::getline(stat, line);
  const auto close = line.rfind(')');
  return close == std::string::npos || close + 2 >= line.size() || line[close + 2] != 'Z';
}

// Probes a live URL until it yields both tracks or the deadline passes (the publisher needs a moment
// to connect, and node-media-server refuses players before the stream exists).
ProbeResult probeLive(const std::string& url, double readSeconds, Clock::time_point deadline) {
  ProbeOptions po;
  po.readSeconds = readSeconds;
  ProbeResult r;
  while (Clock::now() < deadline) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    r = probeMedia(url, std::min<std::chrono::milliseconds>(left, 8s), {"-rw_timeout", "5000000"}, po);
    if (r.ok && r.video() && r.audio() && r.video()->packets > 0 && r.audio()->packets > 0) return r;
    if (r.ok) r.error = "stream incomplete (" + std::to_string(r.streams.size()) + " streams)";
    std::this_thread::sleep_for(100ms);  // retry pacing; bounded by the deadline
  }
  return r;
}

void expectTestStream(const ProbeResult& r, const std::string& what) {
  ASSERT_TRUE(r.ok) << what << ": " << r.error;
  ASSERT_NE(r.video(), nullptr) << what;
  ASSERT_NE(r.audio(), nullptr) << what;
  EXPECT_EQ(r.video()->codecName, "h264") << what;
  EXPECT_EQ(r.video()->width, 320) << what;
  EXPECT_EQ(r.video()->height, 240) << what;
  EXPECT_GT(r.video()->packets, 10) << what;
  EXPECT_EQ(r.audio()->codecName, "aac") << what;
  EXPECT_EQ(r.audio()->sampleRate, 48000) << what;
  EXPECT_GT(r.audio()->packets, 10) << what;
}

class FixtureSmoke : public ::testing::TestWithParam<Kind> {
 protected:
  void SetUp() override {
    std::string why;
    OPENLIVE_NEED(haveFfmpegCli(&why), why);
  }
};

TEST_P(FixtureSmoke, PublishWithFfmpegAndReadBackWithFfprobe) {
  std::string skip;
  auto server = startOrSkip(GetParam(), &skip);
  OPENLIVE_NEED(skip.empty(), skip);
  ASSERT_NE(server, nullptr);
  EXPECT_LT(server->lastStartTime(), scaled(3s)) << server->name();
  EXPECT_TRUE(server->running());
  EXPECT_TRUE(portAccepts(server->rtmpPort()));
  if (GetParam() == Kind::Nms) {
    EXPECT_GT(server->httpPort(), 0);
    EXPECT_TRUE(portAccepts(server->httpPort()));
  } else {
    EXPECT_EQ(server->httpPort(), 0);
    EXPECT_EQ(server->httpFlvUrl("x"), "");
  }

  const auto t0 = Clock::now();
  // ffmpeg's start-up and the probe's own connect vary with load: a generous window, not a product bound.
  Process push = startFfmpegTestPush(server->rtmpUrl("smoke"), 6.0, "320x240", 25);
  const auto deadline = t0 + 6500ms;
  auto rtmp = std::async(std::launch::async, [&] { return probeLive(server->rtmpUrl("smoke"), 1.2, deadline); });
  std::future<ProbeResult> flv;
  if (!server->httpFlvUrl("smoke").empty())
    flv = std::async(std::launch::async, [&] { return probeLive(server->httpFlvUrl("smoke"), 1.2, deadline); });

  expectTestStream(rtmp.get(), server->name() + " RTMP");
  if (flv.valid()) expectTestStream(flv.get(), server->name() + " HTTP-FLV");
  EXPECT_EQ(push.wait(10s), std::optional<int>(0)) << "ffmpeg publish failed; server log:\n" << server->logTail();
  EXPECT_TRUE(server->running()) << server->logTail();
}

TEST_P(FixtureSmoke, KillIsACrashAndRestartServesAgainOnTheSamePort) {
  std::string skip;
  auto server = startOrSkip(GetParam(), &skip);
  OPENLIVE_NEED(skip.empty(), skip);
  ASSERT_NE(server, nullptr);
  const int port = server->rtmpPort();
  const int pid = server->pid();
  ASSERT_GT(pid, 0);

  // A publisher is live when the server dies: it must notice (non-zero exit), as with a real crash.
  Process push = startFfmpegTestPush(server->rtmpUrl("crash"), 20.0, "320x240", 25);
  expectTestStream(probeLive(server->rtmpUrl("crash"), 0.5, Clock::now() + 5s), "before kill");
  server->kill();
  EXPECT_FALSE(server->running());
  EXPECT_FALSE(pidAlive(pid));
  EXPECT_FALSE(portAccepts(port));
  auto code = push.wait(10s);
  ASSERT_TRUE(code.has_value()) << "ffmpeg kept running after the server was killed";
  EXPECT_NE(*code, 0);

  const auto t0 = Clock::now();
  server->restart();
  EXPECT_LT(Clock::now() - t0, scaled(2s)) << "restart must fit a 'restarted within 2 s' scenario";
  EXPECT_TRUE(server->running());
  EXPECT_EQ(server->rtmpPort(), port);
  EXPECT_TRUE(portAccepts(port));
  EXPECT_NE(server->pid(), pid);

  Process again = startFfmpegTestPush(server->rtmpUrl("after"), 6.0, "320x240", 25);
  expectTestStream(probeLive(server->rtmpUrl("after"), 0.8, Clock::now() + 6s), "after restart");
  EXPECT_EQ(again.wait(10s), std::optional<int>(0));
}

TEST_P(FixtureSmoke, DestructionStopsTheServerAndRemovesItsTempDir) {
  std::string skip;
  auto server = startOrSkip(GetParam(), &skip);
  OPENLIVE_NEED(skip.empty(), skip);
  ASSERT_NE(server, nullptr);
  const int pid = server->pid();
  const int port = server->rtmpPort();
  const auto dir = std::filesystem::path(server->configPath()).parent_path();
  EXPECT_TRUE(std::filesystem::exists(dir));
  server.reset();
  EXPECT_FALSE(pidAlive(pid));
  EXPECT_FALSE(portAccepts(port));
  EXPECT_FALSE(std::filesystem::exists(dir));
}

INSTANTIATE_TEST_SUITE_P(Servers, FixtureSmoke, ::testing::Values(Kind::Nginx, Kind::Nms),
                         [](const auto& info) { return kindName(info.param); });

TEST(FixtureProcess, RunCommandCapturesOutputAndExitCode) {
  CommandResult r = runCommand({"sh", "-c", "echo out; echo err >&2; exit 3"}, 5s);
  EXPECT_FALSE(r.timedOut);
  EXPECT_EQ(r.exitCode, 3);
  EXPECT_EQ(r.out, "out\n");
  EXPECT_EQ(r.err, "err\n");
}

TEST(FixtureProcess, RunCommandTimeoutKillsTheWholeGroup) {
  const auto t0 = Clock::now();
  CommandResult r = runCommand({"sh", "-c", "sleep 30 & echo $!; wait"}, 500ms);
  EXPECT_TRUE(r.timedOut);
  EXPECT_LT(Clock::now() - t0, scaled(3s));
  const int grandchild = std::atoi(r.out.c_str());
  ASSERT_GT(grandchild, 0) << r.out;
  // The grandchild was in the group: SIGKILLed. It is reparented and reaped by init, so wait briefly.
  EXPECT_TRUE(waitUntil([&] { return !pidAlive(grandchild); }, 2s));
}

TEST(FixtureProcess, DestructorTerminatesAndWaitReportsSignals) {
  int pid = -1;
  {
    Process p({"sleep", "30"});
    pid = p.pid();
    EXPECT_TRUE(p.running());
    EXPECT_EQ(p.wait(50ms), std::nullopt);
  }
  EXPECT_FALSE(pidAlive(pid));
  Process k({"sleep", "30"});
  EXPECT_EQ(k.kill(), 128 + SIGKILL);
  EXPECT_THROW(Process({"openlive-no-such-program-xyz"}), std::runtime_error);
  EXPECT_FALSE(findTool("sh").empty());
  EXPECT_EQ(findTool("openlive-no-such-program-xyz"), "");
}

}  // namespace
}  // namespace openlive::test
