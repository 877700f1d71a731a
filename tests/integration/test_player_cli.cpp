// The openlive-play CLI: exit codes (0 done, 1 failed, 2 bad command line), --json lines, y4m on stdout.
#include "fixtures/media_probe.h"
#include "fixtures/ports.h"
#include "fixtures/process.h"
#include "fixtures/require.h"
#include "fixtures/servers.h"
#include "fixtures/temp_dir.h"
#include "integration/test_player_util.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <sstream>
#include <thread>

using namespace openlive::test;
using namespace std::chrono_literals;

namespace {
std::string playBin() {
  std::string p = samplePath("openlive-play");
  return std::filesystem::exists(p) ? p : "";
}
std::vector<nlohmann::json> jsonLines(const std::string& text) {
  std::vector<nlohmann::json> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (!j.is_discarded()) out.push_back(std::move(j));
  }
  return out;
}
}  // namespace

TEST(PlayerCli, ExitCodesForBadArgumentsAndFailures) {
  std::string play = playBin();
  OPENLIVE_NEED(!play.empty(), "openlive-play not built");
  EXPECT_EQ(runCommand({play, "rtmp://127.0.0.1/live/x", "--rotation", "45"}, 10s).exitCode, 2);
  EXPECT_EQ(runCommand({play, "rtmp://127.0.0.1/live/x", "--video", "bogus"}, 10s).exitCode, 2);
  EXPECT_EQ(runCommand({play}, 10s).exitCode, 2);
  EXPECT_EQ(runCommand({play, "--help"}, 10s).exitCode, 0);
  EXPECT_EQ(runCommand({play, "ftp://127.0.0.1/x", "--video", "null", "--audio", "null"}, 10s).exitCode, 1);
  // Nothing listens: 3002 then 2103 then -2301 -> exit code 1, all as JSON lines.
  auto port = std::to_string(pickFreeLoopbackPorts(1).at(0));
  auto r = runCommand({play, "rtmp://127.0.0.1:" + port + "/live/x", "--video", "null", "--audio", "null", "--retries",
                       "1", "--retry-interval", "0.2", "--json"},
                      20s);
  EXPECT_EQ(r.exitCode, 1) << r.err;
  std::vector<int> codes;
  for (auto& j : jsonLines(r.out))
    if (j.value("type", "") == "event") codes.push_back(j.value("code", 0));
  EXPECT_EQ(codes, (std::vector<int>{3002, 2103, 3002, -2301})) << r.out;
}

TEST(PlayerCli, Y4mOnStdoutJsonOnStderr) {
  std::string why, play = playBin();
  OPENLIVE_NEED(!play.empty(), "openlive-play not built");
  OPENLIVE_NEED(haveFfmpegCli(&why), why);
  auto server = startNginxRtmp(&why);
  OPENLIVE_NEED(server, why);
  TempDir dir("ol-cli");
  auto push = startFfmpegTestPush(server->rtmpUrl("cli"), 20, "320x240", 30);
  ASSERT_TRUE(server->waitForPublish("cli", 10s)) << server->logTail();
  std::string wav = (dir / "a.wav").string();
  auto r = runCommand({play, server->rtmpUrl("cli"), "--video", "y4m:-", "--audio", "wav:" + wav, "--duration", "4",
                       "--cache-mode", "fast", "--json"},
                      30s);
  EXPECT_EQ(r.exitCode, 0) << r.err;
  ASSERT_EQ(r.out.rfind("YUV4MPEG2 W320 H240", 0), 0u);
  size_t frames = 0;
  for (size_t pos = 0; (pos = r.out.find("FRAME\n", pos)) != std::string::npos; pos += 6) ++frames;
  EXPECT_GT(frames, 30u);  // 4 s minus start-up and the 1 s cache
  bool sawBegin = false, sawStatus = false;
  for (auto& j : jsonLines(r.err)) {
    if (j.value("type", "") == "event" && j.value("code", 0) == 2004) sawBegin = true;
    if (j.value("type", "") == "net_status" && j.contains("values") && j["values"].contains("VIDEO_FPS")) sawStatus = true;
  }
  EXPECT_TRUE(sawBegin) << r.err;
  EXPECT_TRUE(sawStatus) << r.err;
  auto w = readWav(wav);
  EXPECT_GT(tonePower(w, 1000), 0.3);
}
