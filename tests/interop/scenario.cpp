#include "interop/scenario.h"

#include <gtest/gtest.h>

#include <iostream>
#include <optional>

#include "fixtures/temp_dir.h"
#include "interop/play_runs.h"

namespace openlive::test {
namespace {

using namespace std::chrono_literals;

ProcessOptions outAndErrPipes() {
  ProcessOptions po;
  po.out = Redirect::pipe();
  po.err = Redirect::pipe();
  return po;
}

int64_t keyframeIntervalMs(const std::vector<FlvTag>& tags) {
  int64_t first = -1, second = -1;
  for (const auto& t : tags) {
    if (!t.isKeyframe()) continue;
    if (first < 0) {
      first = t.timestamp;
    } else {
      second = t.timestamp;
      break;
    }
  }
  return second < 0 ? -1 : second - first;
}

struct Players {
  std::unique_ptr<CliPlay> cli;
  std::vector<std::unique_ptr<ApiPlay>> api;
  int64_t apiUntilMs = 0;
};

void report(const std::string& scenario, const PlayRecord& r, const PlayExpect& e) {
  PlayVerdict v = judgePlayback(r, e);
  std::cout << "[interop] " << scenario << " | " << (v.ok() ? "PASS " : "FAIL ") << v.text() << std::endl;
  if (v.ok()) return;
  std::string failures;
  for (const auto& f : v.failures) failures += "\n    " + f;
  const size_t tail = r.output.size() > 2500 ? r.output.size() - 2500 : 0;
  ADD_FAILURE() << scenario << " | " << r.label << ":" << failures
                << (r.output.empty() ? "" : "\n--- CLI output tail:\n" + r.output.substr(tail));
}

// Collects every player's record once its time is up, judges it against the tap's keyframe arrival.
void collect(const std::string& scenario, Players& p, FlvTap& tap, const PlayExpect& base, double cliSeconds) {
  std::vector<PlayRecord> records;
  for (auto& a : p.api) records.push_back(a->observeUntil(p.apiUntilMs));
  if (p.cli) records.push_back(p.cli->finish(std::chrono::milliseconds(int64_t(cliSeconds * 1000) + 20000)));
  PlayExpect e = base;
  e.keyframeMs = base.fps > 0 ? firstKeyframeArrival(tap.flv().tags()) : -1;
  for (const auto& r : records) {
    // A player cannot show a keyframe before it is connected: on a GOP-cache server the keyframe waits in the
    // cache, and the time to first picture counts from the player's own connect (2001) when that came later
    // (a CLI process takes a moment to start).
    PlayExpect mine = e;
    if (mine.keyframeMs > 0) mine.keyframeMs = std::max(mine.keyframeMs, r.eventTime(2001));
    report(scenario, r, mine);
  }
}

}  // namespace

// ---- FlvTap

FlvTap::FlvTap(std::vector<std::string> argv, const std::string& copyPath, bool rtmpdump)
    : rtmpdump_(rtmpdump),
      proc_(std::move(argv), outAndErrPipes()),
      flv_(std::make_unique<FlvReader>(copyPath)),
      err_(std::make_unique<LineReader>()) {
  flv_->start(proc_.stdoutFd());
  err_->start(proc_.stderrFd());
}

std::unique_ptr<FlvTap> FlvTap::rtmp(const std::string& url, const std::string& copyPath) {
  // -v: live; -m: network timeout (s). It would otherwise run until the server drops it.
  return std::unique_ptr<FlvTap>(new FlvTap({"rtmpdump", "-v", "-m", "30", "-r", url, "-o", "-"}, copyPath, true));
}

std::unique_ptr<FlvTap> FlvTap::httpFlv(const std::string& url) {
  return std::unique_ptr<FlvTap>(new FlvTap({"curl", "-sS", "-N", "--max-time", "60", url}, "", false));
}

FlvTap::~FlvTap() { stop(); }

void FlvTap::stop() {
  proc_.terminate(std::chrono::milliseconds(1000));
  flv_->stop();
  err_->stop();
}

bool FlvTap::waitUntilPlaying(std::chrono::milliseconds timeout) {
  if (rtmpdump_) return err_->waitForLine("Starting Live Stream", timeout);
  return flv_->waitForTags([](const std::vector<FlvTag>& t) { return !t.empty(); }, timeout);
}

std::string FlvTap::describe() const {
  auto tags = flv_->tags();
  int sound = -1, v = 0, a = 0;
  for (const auto& t : tags) {
    if (t.isAudio() && t.isMediaFrame()) {
      ++a;
      sound = t.soundFormat;
    }
    if (t.isVideo() && t.isMediaFrame()) ++v;
  }
  return std::to_string(v) + " video / " + std::to_string(a) + " audio frames, keyframe interval " +
         std::to_string(keyframeIntervalMs(tags)) + " ms, FLV sound format " + std::to_string(sound) +
         ", video span " + std::to_string(mediaSpanMs(tags, 9)) + " ms, audio span " +
         std::to_string(mediaSpanMs(tags, 8)) + " ms";
}

// ---- runScenario

void runScenario(const Scenario& s) {
  std::string why;
  auto nginx = startNginxRtmp(&why);
  OPENLIVE_NEED(nginx, "nginx-rtmp: " + why);
  auto nms = startNodeMediaServer(&why);
  OPENLIVE_NEED(nms, "node-media-server: " + why);
  const std::string stream = "interop";
  TempDir dir("ol-interop");

  // nginx: the reference client and our players wait for the stream before it exists.
  auto nginxTap = FlvTap::rtmp(nginx->rtmpUrl(stream));
  Players onNginx;
  if (s.cliPlayers)
    onNginx.cli = std::make_unique<CliPlay>("openlive-play rtmp nginx", nginx->rtmpUrl(stream), s.nginxPlaySeconds);
  onNginx.api.push_back(std::make_unique<ApiPlay>("LivePlayer rtmp nginx"));
  ASSERT_TRUE(onNginx.api[0]->start(nginx->rtmpUrl(stream)).ok());
  onNginx.apiUntilMs = wallMs() + int64_t(s.nginxPlaySeconds * 1000);
  ASSERT_TRUE(nginxTap->waitUntilPlaying(10s)) << nginxTap->log().text();
  ASSERT_TRUE(onNginx.api[0]->waitForEvent(2001, 10s));
  if (onNginx.cli) {
    ASSERT_TRUE(onNginx.cli->waitForEvent(2001, 10s));
  }

  ProcessOptions po;
  po.out = Redirect::file((dir / "publisher.log").string());
  po.err = Redirect::file((dir / "publisher.log").string());
  Process publisher(s.publisher({nginx->rtmpUrl(stream), nms->rtmpUrl(stream)}), po);

  // node-media-server: join once the publisher has sent ~2 s of media (seen by the nginx reference client).
  const bool flowing = nginxTap->flv().waitForTags(
      [&](const std::vector<FlvTag>& t) {
        return std::max(mediaSpanMs(t, 9), mediaSpanMs(t, 8)) >= s.nmsJoinAfterMediaMs;
      },
      20s);
  ASSERT_TRUE(flowing) << "publisher sent no media: " << publisher.commandLine();
  auto nmsTap = FlvTap::httpFlv(nms->httpFlvUrl(stream));
  Players onNms;
  if (s.cliPlayers)
    onNms.cli = std::make_unique<CliPlay>("openlive-play http-flv nms", nms->httpFlvUrl(stream), s.nmsPlaySeconds);
  if (s.nmsPlayers) {
    onNms.api.push_back(std::make_unique<ApiPlay>("LivePlayer rtmp nms"));
    onNms.api.push_back(std::make_unique<ApiPlay>("LivePlayer http-flv nms"));
    EXPECT_TRUE(onNms.api[0]->start(nms->rtmpUrl(stream)).ok());
    EXPECT_TRUE(onNms.api[1]->start(nms->httpFlvUrl(stream)).ok());
  }
  onNms.apiUntilMs = wallMs() + int64_t(s.nmsPlaySeconds * 1000);

  collect(s.name, onNginx, *nginxTap, s.expect, s.nginxPlaySeconds);
  collect(s.name, onNms, *nmsTap, s.expect, s.nmsPlaySeconds);
  auto rc = publisher.wait(std::chrono::milliseconds(int64_t(s.publishSeconds * 1000) + 30000));
  EXPECT_EQ(rc.value_or(-1), 0) << "publisher: " << publisher.commandLine();
  nginxTap->stop();
  nmsTap->stop();
  std::cout << "[interop] " << s.name << " | reference rtmpdump on nginx: " << nginxTap->describe() << std::endl;
  std::cout << "[interop] " << s.name << " | reference curl on nms: " << nmsTap->describe() << std::endl;
  if (s.checkWire) s.checkWire(nginxTap->flv().tags());
}

}  // namespace openlive::test
