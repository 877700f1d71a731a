// openlive-push, the CLI: exit codes (0 clean stop, 1 fatal event, 2 bad arguments), --json lines, Ctrl-C.
#include <signal.h>

#include "fixtures/require.h"
#include "fixtures/timing.h"
#include "fixtures/wait.h"
#include "pusher_test_util.h"

namespace openlive::test {
namespace {

std::string readFile(const std::string& path) {
  std::ifstream f(path);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

TEST(PusherCli, BadArgumentsExitWith2) {
  const std::string push = samplePath("openlive-push");
  OPENLIVE_NEED(!push.empty(), "openlive-push not built");
  for (std::vector<std::string> args : {std::vector<std::string>{},
                                        {"rtmp://127.0.0.1/live/x", "--mode", "XL"},
                                        {"rtmp://127.0.0.1/live/x", "--source", "webcam"},
                                        {"http://127.0.0.1/live/x"},
                                        {"rtmp://127.0.0.1/live/x", "--width", "641", "--height", "360"}}) {
    args.insert(args.begin(), push);
    CommandResult r = runCommand(args, 10s);
    EXPECT_EQ(r.exitCode, 2) << args.back() << "\n" << r.err;
  }
}

TEST(PusherCli, FatalEventExitsWith1AndJsonLinesParse) {
  const std::string push = samplePath("openlive-push");
  OPENLIVE_NEED(!push.empty(), "openlive-push not built");
  CommandResult r = runCommand({push, "rtmp://127.0.0.1:1/live/x", "--retries", "1", "--retry-interval", "0.1", "--json"}, 20s);
  EXPECT_EQ(r.exitCode, 1) << r.out << r.err;
  std::vector<int> codes;
  std::istringstream lines(r.out);
  for (std::string line; std::getline(lines, line);) {
    auto j = nlohmann::json::parse(line, nullptr, false);
    ASSERT_FALSE(j.is_discarded()) << line;
    if (j.value("type", "") == "event") codes.push_back(j.value("code", 0));
  }
  std::vector<int> net;
  for (int c : codes)
    if (c > 3000 || c < 0 || c == 1102) net.push_back(c);
  EXPECT_EQ(net, (std::vector<int>{3002, 1102, 3002, -1307})) << r.out;
}

TEST(PusherCli, CtrlCStopsCleanlyWithExit0) {
  const std::string push = samplePath("openlive-push");
  OPENLIVE_NEED(!push.empty(), "openlive-push not built");
  std::string skip;
  auto server = startServerOrSkip(false, &skip);
  OPENLIVE_NEED(server, skip);
  TempDir dir("ol-cli");
  const std::string out = (dir.path() / "out.jsonl").string();
  ProcessOptions po;
  po.out = Redirect::file(out);
  po.err = Redirect::null();
  Process p({push, server->rtmpUrl("cli"), "--width", "320", "--height", "180", "--json"}, po);
  waitUntil([&] { return readFile(out).find("\"net_status\"") != std::string::npos; }, 10s);
  ASSERT_NE(readFile(out).find("\"code\":1002"), std::string::npos) << readFile(out);
  p.signal(SIGINT);
  auto code = p.wait(scaled(2s));
  ASSERT_TRUE(code.has_value());
  EXPECT_EQ(*code, 0);
}

TEST(PusherCli, DurationCountsFromPublishAndExits0) {
  const std::string push = samplePath("openlive-push");
  OPENLIVE_NEED(!push.empty(), "openlive-push not built");
  std::string skip;
  auto server = startServerOrSkip(false, &skip);
  OPENLIVE_NEED(server, skip);
  auto start = Clock::now();
  CommandResult r = runCommand({push, server->rtmpUrl("dur"), "--width", "320", "--height", "180", "--duration", "2"}, 20s);
  auto took = Clock::now() - start;
  EXPECT_EQ(r.exitCode, 0) << r.out << r.err;
  EXPECT_GE(took, 2s);
  EXPECT_LT(took, scaled(6s));
  EXPECT_NE(r.out.find("[1002 PUSH_EVT_PUSH_BEGIN]"), std::string::npos) << r.out;  // plain lines off a TTY
}

}  // namespace
}  // namespace openlive::test
