// Pusher congestion control under real faults: a throughput cap on the pusher -> server direction of the
// FaultProxy (and once through a tbf-shaped namespace link), with the bounds asserted:
//   cap at 60 % of max: encoder bitrate at or under the cap within 5 s, queue <= 1 s of media throughout,
//   < 1 % of frames dropped after adaptation; cap lifted: back at max within 30 s; reconnect still works.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <optional>

#include "faults/fault_proxy.h"
#include "faults/shaped_link.h"
#include "fixtures/ports.h"
#include "fixtures/require.h"
#include "fixtures/timing.h"
#include "fixtures/wait.h"
#include "pusher_test_util.h"

namespace openlive::test {
namespace {

int64_t num(const NetStatus& s, std::string_view key) {
  auto it = s.values.find(std::string(key));
  return it == s.values.end() ? -1 : std::atoll(it->second.c_str());
}

// RTC 640x360 @ 15 fps, 150..1200 kbps, starting at max so a cap at 60 % of max must be absorbed.
PushConfig capConfig(AutoAdjust adjust) {
  PushConfig c;
  c.mode = PushMode::RTC;
  c.bitrateKbps = 1200;
  c.autoAdjust = adjust;
  c.netStatusInterval = 250ms;
  c.connectRetryInterval = 500ms;
  return c;
}

// Samples of the pusher's own net status, timed from `t0`.
struct Sample {
  double t;
  int64_t setKbps, cacheMs, drops, videoKbps, width;
};
std::vector<Sample> samplesSince(PushEventLog& log, Clock::time_point t0) {
  auto st = log.statuses();
  auto tt = log.statusTimes();
  std::vector<Sample> out;
  for (size_t i = 0; i < st.size(); ++i)
    out.push_back({std::chrono::duration<double>(tt[i] - t0).count(), num(st[i], net::kSetVideoBitrate),
                   num(st[i], net::kCacheSize), num(st[i], net::kDropSize), num(st[i], net::kVideoBitrate),
                   num(st[i], net::kVideoWidth)});
  return out;
}

// Waits until the latest net status satisfies `pred`; returns seconds from t0 or nullopt on timeout.
template <class Pred>
std::optional<double> waitStatus(PushEventLog& log, Clock::time_point t0, std::chrono::milliseconds timeout, Pred pred) {
  std::optional<double> at;
  size_t seen = 0;
  log.waitForStatuses(
      [&](const std::vector<NetStatus>& st, const std::vector<Clock::time_point>& tt) {
        for (; seen < st.size() && !at; ++seen)
          if (tt[seen] >= t0 && pred(st[seen])) at = std::chrono::duration<double>(tt[seen] - t0).count();
        return at.has_value();
      },
      timeout);
  return at;
}

// Phases of the cap scenario, shared by the proxy and the tbf tests. `setCap(true/false)` applies/lifts it.
void runCapScenario(LivePusher& pusher, PushEventLog& log, const std::function<void(bool)>& setCap,
                    int capKbps, bool checkRecovery, const char* label) {
  ASSERT_TRUE(log.waitFor(EventCode::PUSH_EVT_PUSH_BEGIN, 15s)) << log.describe();
  ASSERT_TRUE(log.waitForStatus(log.statuses().size() + 8, 5s));  // ~2 s clean
  const auto tCap = Clock::now();
  setCap(true);
  auto under = waitStatus(log, tCap, 8s, [&](const NetStatus& s) { return num(s, net::kSetVideoBitrate) <= capKbps; });
  if (!under) {
    for (const auto& s : samplesSince(log, tCap))
      std::printf("  t=%.2f set=%lld cache=%lld drops=%lld video=%lld\n", s.t, static_cast<long long>(s.setKbps),
                  static_cast<long long>(s.cacheMs), static_cast<long long>(s.drops), static_cast<long long>(s.videoKbps));
  }
  ASSERT_TRUE(under.has_value()) << label << ": encoder bitrate never went under " << capKbps << " kbps";
  EXPECT_LE(*under, 5.0) << label << ": took " << *under << " s to go under the cap";
  // Keep the cap for 15 s in all; "after adaptation" starts at the moment the bitrate went under the cap.
  std::this_thread::sleep_until(tCap + 15s);  // scenario: the cap lasts 15 s
  auto capped = samplesSince(log, tCap);
  int64_t maxCache = 0, dropsAt = -1, dropsEnd = 0;
  double sumVideo = 0;
  int nVideo = 0;
  for (const auto& s : capped) {
    if (s.t < 0) continue;
    maxCache = std::max(maxCache, s.cacheMs);
    if (s.t >= *under && dropsAt < 0) dropsAt = s.drops;
    dropsEnd = s.drops;
    if (s.t >= *under + 2) {
      sumVideo += static_cast<double>(s.videoKbps);
      ++nVideo;
    }
  }
  EXPECT_LE(maxCache, 1000) << label << ": the queue held " << maxCache << " ms of media";
  if (std::getenv("OPENLIVE_TEST_TIMELINE"))
    for (const auto& s : capped)
      std::printf("  t=%.2f set=%lld cache=%lld drops=%lld video=%lld\n", s.t, static_cast<long long>(s.setKbps),
                  static_cast<long long>(s.cacheMs), static_cast<long long>(s.drops), static_cast<long long>(s.videoKbps));
  const double framesAfter = (15.0 - *under) * 15;  // 15 fps
  const double dropRatio = static_cast<double>(dropsEnd - std::max<int64_t>(dropsAt, 0)) / framesAfter;
  EXPECT_LT(dropRatio, 0.01) << label << ": " << dropsEnd - dropsAt << " frames dropped after adaptation";
  std::printf("[ info ] %s cap %d kbps: under the cap after %.2f s, max queue %lld ms, drops after adaptation "
              "%lld of %.0f frames, mean encoded video %.0f kbps\n",
              label, capKbps, *under, static_cast<long long>(maxCache),
              static_cast<long long>(dropsEnd - std::max<int64_t>(dropsAt, 0)), framesAfter,
              nVideo ? sumVideo / nVideo : 0.0);
  ::testing::Test::RecordProperty("seconds_to_under_cap", std::to_string(*under));
  ::testing::Test::RecordProperty("max_queue_ms", std::to_string(maxCache));
  if (!checkRecovery) return;
  const auto tLift = Clock::now();
  setCap(false);
  auto back = waitStatus(log, tLift, 32s, [&](const NetStatus& s) { return num(s, net::kSetVideoBitrate) >= 1200; });
  ASSERT_TRUE(back.has_value()) << label << ": not back at max within 32 s of lifting the cap";
  EXPECT_LE(*back, 30.0);
  std::printf("[ info ] %s: back at max 1200 kbps %.1f s after lifting the cap\n", label, *back);
  ::testing::Test::RecordProperty("seconds_back_to_max", std::to_string(*back));
}

}  // namespace

TEST(PusherCongestionTiming, ProxyCapAt60PercentAdaptsThenRecovers) {
  std::string skip;
  auto server = startServerOrSkip(false, &skip);
  OPENLIVE_NEED(server, skip);
  FaultProxy proxy("127.0.0.1", server->rtmpPort());
  proxy.setMaxBuffered(16 * 1024);  // a bottleneck with a short queue, not 8 MiB of bufferbloat
  // Declared before the pusher: its callbacks use it until the pusher is destroyed.
  PushEventLog log;
  LivePusher pusher(capConfig(AutoAdjust::BitrateOnly));
  log.attach(pusher);
  ASSERT_TRUE(pusher.start("rtmp://127.0.0.1:" + std::to_string(proxy.port()) + "/live/cap"));
  const int capKbps = 1200 * 60 / 100;
  runCapScenario(
      pusher, log,
      [&](bool on) { proxy.setThroughput(on ? capKbps * 1000 / 8 : 0, Direction::Upstream); }, capKbps, true,
      "proxy");
  EXPECT_GE(log.count(EventCode::PUSH_EVT_CHANGE_BITRATE), 2);
  EXPECT_GE(log.count(EventCode::PUSH_WARNING_NET_BUSY), 0);
  EXPECT_EQ(log.count(EventCode::PUSH_EVT_CHANGE_RESOLUTION), 0) << "bitrate-only must keep the size";
  pusher.stop();
}

TEST(PusherCongestion, FixedBitrateDoesNotAdaptAndWarnsNetBusy) {
  std::string skip;
  auto server = startServerOrSkip(false, &skip);
  OPENLIVE_NEED(server, skip);
  FaultProxy proxy("127.0.0.1", server->rtmpPort());
  proxy.setMaxBuffered(16 * 1024);
  // Declared before the pusher: its callbacks use it until the pusher is destroyed.
  PushEventLog log;
  LivePusher pusher(capConfig(AutoAdjust::None));
  log.attach(pusher);
  ASSERT_TRUE(pusher.start("rtmp://127.0.0.1:" + std::to_string(proxy.port()) + "/live/fixed"));
  ASSERT_TRUE(log.waitFor(EventCode::PUSH_EVT_PUSH_BEGIN, 15s));
  proxy.setThroughput(720 * 1000 / 8, Direction::Upstream);
  EXPECT_TRUE(log.waitFor(EventCode::PUSH_WARNING_NET_BUSY, scaled(10s))) << log.describe();
  std::this_thread::sleep_for(4s);  // scenario: 4 s more under the cap
  // Rate-limited: at most one 1101 per 5 s.
  EXPECT_LE(log.count(EventCode::PUSH_WARNING_NET_BUSY), 2);
  EXPECT_EQ(log.count(EventCode::PUSH_EVT_CHANGE_BITRATE), 0);
  auto st = log.statuses();
  ASSERT_FALSE(st.empty());
  EXPECT_EQ(num(st.back(), net::kSetVideoBitrate), 1200);
  EXPECT_GT(num(st.back(), net::kDropSize), 0) << "a fixed 1.2 Mbit/s over 720 kbit/s must drop frames";
  pusher.stop();
}

TEST(PusherCongestion, ReconnectsThroughACutWhileCapped) {
  std::string skip;
  auto server = startServerOrSkip(false, &skip);
  OPENLIVE_NEED(server, skip);
  FaultProxy proxy("127.0.0.1", server->rtmpPort());
  proxy.setMaxBuffered(16 * 1024);
  // Declared before the pusher: its callbacks use it until the pusher is destroyed.
  PushEventLog log;
  LivePusher pusher(capConfig(AutoAdjust::BitrateOnly));
  log.attach(pusher);
  ASSERT_TRUE(pusher.start("rtmp://127.0.0.1:" + std::to_string(proxy.port()) + "/live/cut"));
  ASSERT_TRUE(log.waitFor(EventCode::PUSH_EVT_PUSH_BEGIN, 15s));
  proxy.setThroughput(720 * 1000 / 8, Direction::Upstream);
  const auto tCap = Clock::now();
  ASSERT_TRUE(waitStatus(log, tCap, 8s, [](const NetStatus& s) { return num(s, net::kSetVideoBitrate) <= 720; }))
      << "never adapted under the cap";
  proxy.cutAll();
  EXPECT_TRUE(log.waitFor(EventCode::PUSH_WARNING_RECONNECT, 10s)) << log.describe();
  EXPECT_TRUE(log.waitFor(EventCode::PUSH_EVT_PUSH_BEGIN, 15s, 2)) << log.describe();
  // The queue stays bounded after the reconnect (the bitrate may probe up again after 4 s of calm).
  const auto t = Clock::now();
  ASSERT_TRUE(log.waitForStatus(log.statuses().size() + 12, 6s));
  for (const auto& s : samplesSince(log, t)) {
    if (s.t < 0) continue;
    EXPECT_LE(s.cacheMs, 1000);
  }
  EXPECT_TRUE(pusher.isPublished());
  pusher.stop();
}

// The resolution ladder under a tight cap: 1005 with the new size; ffmpeg reading the stream keeps going and
// decodes both sizes.
TEST(PusherCongestion, ResolutionLadderUnderTightCapKeepsPlayersPlaying) {
  std::string skip;
  auto server = startServerOrSkip(false, &skip);
  OPENLIVE_NEED(server, skip);
  TempDir dir("ol-congestion");
  FaultProxy proxy("127.0.0.1", server->rtmpPort());
  proxy.setMaxBuffered(16 * 1024);
  PushRecorder rec(server->rtmpUrl("ladder"), dir.path(), "ladder");
  ASSERT_TRUE(rec.ready()) << rec.logTail();
  // Declared before the pusher: its callbacks use it until the pusher is destroyed.
  PushEventLog log;
  LivePusher pusher(capConfig(AutoAdjust::BitrateAndResolution));
  log.attach(pusher);
  ASSERT_TRUE(pusher.start("rtmp://127.0.0.1:" + std::to_string(proxy.port()) + "/live/ladder"));
  ASSERT_TRUE(log.waitFor(EventCode::PUSH_EVT_PUSH_BEGIN, 15s));
  std::this_thread::sleep_for(2s);  // scenario: 2 s at full rate, then the cap
  proxy.setThroughput(400 * 1000 / 8, Direction::Upstream);
  ASSERT_TRUE(log.waitFor(EventCode::PUSH_EVT_CHANGE_RESOLUTION, 15s)) << log.describe();
  std::this_thread::sleep_for(4s);  // scenario: keep playing at the new size
  pusher.stop();
  rec.finish();
  CommandResult r = runCommand({"ffprobe", "-v", "error", "-select_streams", "v", "-show_entries",
                                "frame=width,height", "-of", "csv=p=0", rec.path()},
                               60s);
  ASSERT_EQ(r.exitCode, 0) << r.err;
  std::map<std::string, int> sizes;
  std::istringstream is(r.out);
  for (std::string line; std::getline(is, line);)
    if (!line.empty()) ++sizes[line];
  std::string all;
  for (auto& [k, v] : sizes) all += k + ":" + std::to_string(v) + " ";
  std::printf("[ info ] decoded frames by size: %s\n", all.c_str());
  EXPECT_GE(sizes["640,360"], 15) << all;
  int smaller = 0;
  for (auto& [k, v] : sizes)
    if (k != "640,360") smaller += v;
  EXPECT_GE(smaller, 30) << "less than 2 s decoded at the reduced size: " << all;
}

// The same cap through the kernel: tbf on a veth into a network namespace where nginx runs.
TEST(PusherCongestionTiming, TbfCapAt60PercentAdapts) {
  std::string why;
  OPENLIVE_NEED(nginxRtmpAvailable(&why), why);
  auto link = ShapedLink::create(&why);
  OPENLIVE_NEED(link, why);
  TempDir dir("ol-tbf-nginx");
  const std::string d = dir.path().string();
  std::string module;
  for (const char* p : {"/usr/lib/nginx/modules/ngx_rtmp_module.so", "/usr/lib64/nginx/modules/ngx_rtmp_module.so"})
    if (std::filesystem::exists(p)) module = p;
  {
    std::ofstream f(dir.path() / "nginx.conf");
    if (!module.empty()) f << "load_module " << module << ";\n";
    f << "daemon off;\nmaster_process off;\nworker_processes 1;\n";
    if (::geteuid() == 0) f << "user root;\n";
    f << "pid " << d << "/nginx.pid;\nerror_log " << d << "/error.log info;\nevents { worker_connections 64; }\n";
    f << "rtmp { server { listen " << link->nsAddress() << ":1935; chunk_size 4096;\n"
      << "  application live { live on; } } }\n";
  }
  std::vector<std::string> argv = link->nsExecPrefix();
  for (const char* a : {"nginx", "-p"}) argv.push_back(a);
  argv.push_back(d);
  argv.push_back("-c");
  argv.push_back(d + "/nginx.conf");
  ProcessOptions po;
  po.out = Redirect::null();
  po.err = Redirect::file(d + "/stderr.log");
  Process nginx(argv, po);
  // Wait until it accepts inside the namespace (connect from the host through the veth).
  const bool up = waitUntil(
      [&] { return runCommand({"bash", "-c", "exec 3<>/dev/tcp/" + link->nsAddress() + "/1935"}, 2s).exitCode == 0; },
      10s, 50ms);
  ASSERT_TRUE(up) << "nginx did not start in the namespace";
  // Declared before the pusher: its callbacks use it until the pusher is destroyed.
  PushEventLog log;
  LivePusher pusher(capConfig(AutoAdjust::BitrateOnly));
  log.attach(pusher);
  ASSERT_TRUE(pusher.start("rtmp://" + link->nsAddress() + ":1935/live/tbf"));
  const int capKbps = 1200 * 60 / 100;
  runCapScenario(
      pusher, log,
      [&](bool on) {
        std::string err;
        ASSERT_TRUE(link->setRate(on ? int64_t{capKbps} * 1000 : 0, true, &err)) << err;
      },
      capKbps, false, "tbf");
  pusher.stop();
}

}  // namespace openlive::test
