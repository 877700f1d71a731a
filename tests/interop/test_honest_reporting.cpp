// Issue 10 item 7: bad input stays bad input, and is named. Not found, refused by the server, an empty body and
// never connected each give their own code and a non-zero CLI exit; net status from connect on, text as text.
#include <gtest/gtest.h>

#include <httplib.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <sstream>
#include <thread>

#include "fixtures/media_probe.h"
#include "fixtures/ports.h"
#include "fixtures/servers.h"
#include "interop/play_runs.h"
#include "interop/publishers.h"
#include "interop/scenario.h"

using namespace openlive::test;
using namespace std::chrono_literals;

namespace {

using namespace openlive::test::code;

struct CliOutcome {
  int exitCode = -1;
  std::vector<PlayEvent> events;
  std::string out;
  int count(int code) const {
    return int(std::count_if(events.begin(), events.end(), [&](const PlayEvent& e) { return e.code == code; }));
  }
  int indexOf(int code) const {
    for (size_t i = 0; i < events.size(); ++i)
      if (events[i].code == code) return int(i);
    return -1;
  }
  std::string codes() const {
    std::string s;
    for (const auto& e : events) s += std::to_string(e.code) + "(" + e.description + ") ";
    return s;
  }
};

// openlive-play URL --video null --audio null --json [args], run to completion.
CliOutcome runCli(const std::string& url, std::vector<std::string> args, std::chrono::milliseconds timeout = 40s) {
  std::vector<std::string> argv{samplePath("openlive-play"), url, "--video", "null", "--audio", "null", "--json"};
  argv.insert(argv.end(), args.begin(), args.end());
  auto r = runCommand(argv, timeout);
  CliOutcome o;
  o.exitCode = r.timedOut ? -1 : r.exitCode;
  o.out = r.out + r.err;
  std::istringstream in(r.out);
  for (std::string line; std::getline(in, line);) {
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded() || j.value("type", "") != "event") continue;
    PlayEvent e;
    e.code = j.value("code", 0);
    e.msg = j.value("msg", "");
    if (j.contains("params")) e.description = j["params"].value("EVT_DESCRIPTION", "");
    o.events.push_back(e);
  }
  return o;
}

bool playBuilt() {
  const std::string p = samplePath("openlive-play");
  return !p.empty() && std::filesystem::exists(p);
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  return s;
}

}  // namespace

TEST(HonestReporting, HttpFlv404IsFileNotFoundWithoutRetries) {
  OPENLIVE_NEED(playBuilt(), "openlive-play not built");
  std::string why;
  auto nms = startNodeMediaServer(&why);
  OPENLIVE_NEED(nms, "node-media-server: " + why);
  // node-media-server answers an unknown stream under an app with 200 and waits for a publisher; a path
  // outside its /app/stream.flv scheme gets a real 404 (checked first).
  const std::string url = "http://127.0.0.1:" + std::to_string(nms->httpPort()) + "/missing.flv";
  auto status = runCommand({"curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", url}, 10s);
  ASSERT_EQ(status.out, "404") << "node-media-server's answer for an unknown stream";
  CliOutcome o = runCli(url, {"--retries", "3", "--retry-interval", "0.5", "--duration", "20"});
  EXPECT_EQ(o.count(kFileNotFound), 1) << o.codes();
  EXPECT_EQ(o.count(kReconnect), 0) << "a 404 is not retried: " << o.codes();
  EXPECT_EQ(o.count(kStreamBegin), 0) << o.codes();
  EXPECT_NE(o.exitCode, 0) << o.codes();
}

TEST(HonestReporting, NginxDenyPlayIsServerRefused) {
  OPENLIVE_NEED(playBuilt(), "openlive-play not built");
  std::string why;
  NginxRtmpOptions opt;
  opt.denyPlay = true;
  auto nginx = startNginxRtmp(opt, &why);
  OPENLIVE_NEED(nginx, "nginx-rtmp: " + why);
  CliOutcome o = runCli(nginx->rtmpUrl("denied"), {"--retries", "1", "--retry-interval", "0.5", "--duration", "20"});
  const int refused = o.indexOf(kServerRefuse);
  EXPECT_GE(refused, 0) << o.codes();
  const int begin = o.indexOf(kStreamBegin);
  EXPECT_TRUE(begin < 0 || (refused >= 0 && begin > refused)) << "2002 before the refusal: " << o.codes();
  EXPECT_NE(o.exitCode, 0) << o.codes();
}

TEST(HonestReporting, EmptyHttpFlvBodyIsFileNotFoundSayingEmpty) {
  OPENLIVE_NEED(playBuilt(), "openlive-play not built");
  httplib::Server server;
  server.Get("/live/empty.flv", [](const httplib::Request&, httplib::Response& res) {
    res.status = 200;
    res.set_content("", "video/x-flv");
  });
  const int port = server.bind_to_any_port("127.0.0.1");
  ASSERT_GT(port, 0);
  std::thread serving([&] { server.listen_after_bind(); });
  // bind_to_any_port() already listens: connections queue until the accept loop runs.
  CliOutcome o = runCli("http://127.0.0.1:" + std::to_string(port) + "/live/empty.flv",
                        {"--retries", "1", "--retry-interval", "0.5", "--duration", "20"});
  server.stop();
  serving.join();
  const int i = o.indexOf(kFileNotFound);
  ASSERT_GE(i, 0) << o.codes();
  EXPECT_NE(lower(o.events[size_t(i)].description + " " + o.events[size_t(i)].msg).find("empty"), std::string::npos)
      << "the description should say the body was empty: " << o.codes();
  EXPECT_NE(o.exitCode, 0) << o.codes();
}

TEST(HonestReporting, RefusedConnectionRetriesThenFails) {
  OPENLIVE_NEED(playBuilt(), "openlive-play not built");
  const std::string port = std::to_string(pickFreeLoopbackPorts(1).at(0));
  for (const std::string& url : {"rtmp://127.0.0.1:" + port + "/live/x", "http://127.0.0.1:" + port + "/live/x.flv"}) {
    CliOutcome o = runCli(url, {"--retries", "2", "--retry-interval", "0.3", "--duration", "30"});
    EXPECT_EQ(o.count(kReconnect), 2) << url << ": " << o.codes();
    ASSERT_FALSE(o.events.empty()) << url;
    EXPECT_EQ(o.events.back().code, kNetDisconnect) << url << ": " << o.codes();
    EXPECT_EQ(o.exitCode, 1) << url << ": " << o.codes();
    // --duration ending before the retries are used up: still never connected, still a failure.
    CliOutcome cut = runCli(url, {"--retries", "10", "--retry-interval", "1", "--duration", "2"});
    EXPECT_NE(cut.exitCode, 0) << url << " (never connected, --duration 2): " << cut.codes();
  }
}

// --json keeps text net-status values as JSON strings and prints net status from connect on, before 2004.
TEST(HonestReporting, JsonNetStatusFromConnectKeepsText) {
  OPENLIVE_NEED(playBuilt(), "openlive-play not built");
  std::string why;
  OPENLIVE_NEED(haveFfmpegCli(&why), why);
  auto nginx = startNginxRtmp(&why);
  OPENLIVE_NEED(nginx, "nginx-rtmp: " + why);
  const std::string url = nginx->rtmpUrl("status");
  CliPlay cli("openlive-play rtmp nginx", url, 8);
  ASSERT_TRUE(cli.waitForEvent(2001, 10s));
  // Net status from connect on: one should come within ~1 s, before there is any media.
  const bool statusBeforeMedia = cli.waitForOutput("\"type\":\"net_status\"", 3s);
  FfmpegPublish p;
  p.seconds = 12;
  p.videoCodecArgs = {"-preset", "veryfast", "-g", "30"};
  ProcessOptions po;
  po.out = Redirect::null();
  po.err = Redirect::null();
  Process publisher(ffmpegPublishArgv(p, {url}), po);
  PlayRecord r = cli.finish(30s);
  EXPECT_TRUE(statusBeforeMedia) << "no net_status line within 3 s of 2001";
  std::vector<std::string> lines;
  std::istringstream in(r.output);
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  auto firstLine = [&](const std::string& needle) {
    for (size_t i = 0; i < lines.size(); ++i)
      if (lines[i].find(needle) != std::string::npos) return int(i);
    return -1;
  };
  const int begin = firstLine("\"code\":" + std::to_string(kPlayBegin) + ",");
  const int status = firstLine("\"type\":\"net_status\"");
  ASSERT_GE(begin, 0) << r.output.substr(0, 3000);
  EXPECT_TRUE(status >= 0 && status < begin) << "first net_status line " << status << ", 2004 at line " << begin;
  ASSERT_FALSE(r.netStatus.empty());
  const auto& last = r.netStatus.back()["values"];
  ASSERT_TRUE(last.contains("SERVER_IP") && last.contains("AUDIO_INFO")) << last.dump();
  EXPECT_TRUE(last["SERVER_IP"].is_string()) << last.dump();
  EXPECT_EQ(last["SERVER_IP"].dump(), "\"127.0.0.1:" + std::to_string(nginx->rtmpPort()) + "\"");
  EXPECT_TRUE(last["AUDIO_INFO"].is_string()) << last.dump();
  EXPECT_EQ(last["AUDIO_INFO"].dump(), "\"44100,2\"");
}
