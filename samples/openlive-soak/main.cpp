// openlive-soak: N pushers and M players in one process against a local RTMP server (nginx-rtmp or
// node-media-server) behind a fault-injecting proxy, for a duration, with a fault schedule; writes a per-second
// JSONL timeline and a report (summary.md + PNG plots) and exits non-zero when an invariant fails. --scenario room
// soaks a live room instead (room_scenario.h).
//
// Exit codes: 0 every invariant held; 1 an invariant failed (or the run could not be set up); 2 bad command
// line; 77 the chosen server is not installed here (ctest: skipped).
#include "faults.h"
#include "probes.h"
#include "proc_stats.h"
#include "report.h"
#include "room_scenario.h"
#include "soak_options.h"
#include "timeline.h"

#include "faults/fault_proxy.h"
#include "fixtures/require.h"
#include "fixtures/servers.h"

#include <openlive/live_player.h>
#include <openlive/live_pusher.h>
#include <openlive/log.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <functional>
#include <mutex>
#include <thread>

namespace {

using namespace soak;

std::atomic<bool> gInterrupted{false};
void onSignal(int) { gInterrupted = true; }

constexpr int kExitSkip = 77;

openlive::LogLevel parseLevel(const std::string& s) {
  using L = openlive::LogLevel;
  if (s == "trace") return L::Trace;
  if (s == "debug") return L::Debug;
  if (s == "info") return L::Info;
  if (s == "error") return L::Error;
  if (s == "off") return L::Off;
  return L::Warning;
}

openlive::PushConfig pushConfig(const Options& o) {
  openlive::PushConfig c;
  openlive::parsePushMode(o.pushMode, &c.mode);
  c.audio.type = openlive::AudioSourceType::Tone;
  c.video.type = openlive::VideoSourceType::TestPattern;
  c.connectRetryCount = o.retries;
  c.connectRetryInterval = std::chrono::milliseconds(static_cast<int>(o.retryIntervalS * 1000));
  return c;
}

openlive::PlayConfig playConfig(const Options& o) {
  openlive::PlayConfig c;
  if (o.cacheMode == "fast") c.setCacheMode(openlive::CacheMode::Fast);
  if (o.cacheMode == "smooth") c.setCacheMode(openlive::CacheMode::Smooth);
  if (o.cacheMode == "auto") c.setCacheMode(openlive::CacheMode::Auto);
  auto ms = [](double seconds) { return std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000)); };
  if (o.minCacheS > 0) c.minCacheTime = ms(o.minCacheS);
  if (o.maxCacheS > 0) c.maxCacheTime = ms(o.maxCacheS);
  if (c.minCacheTime > c.maxCacheTime) c.minCacheTime = c.maxCacheTime;
  c.video.kind = openlive::VideoOutput::Kind::None;
  c.audio.kind = openlive::AudioOutput::Kind::None;
  c.connectRetryCount = o.retries;
  c.connectRetryInterval = ms(o.retryIntervalS);
  return c;
}

double playerMaxCacheS(const openlive::PlayConfig& c) {
  return std::chrono::duration<double>(c.autoAdjustCache ? c.maxCacheTime : c.cacheTime).count();
}

// SDK log lines go to <dir>/sdk.log, not the console.
void routeSdkLog(const std::string& dir, const std::string& level) {
  auto logFile = std::make_shared<std::ofstream>(dir + "/sdk.log");
  auto logMu = std::make_shared<std::mutex>();
  openlive::setLogHandler(parseLevel(level), [logFile, logMu](openlive::LogLevel l, std::string_view comp,
                                                              std::string_view msg) {
    std::lock_guard lk(*logMu);
    *logFile << openlive::toString(l) << " [" << comp << "] " << msg << '\n';
    logFile->flush();
  });
}

// The pushers and players of one run, with their ids.
struct Fleet {
  std::vector<std::unique_ptr<PushProbe>> pushers;
  std::vector<std::unique_ptr<PlayProbe>> players;
  std::vector<std::string> pushIds, playIds;

  // Starts the pushers, then the players once the streams are published (or after 10 s, whatever the pushers
  // managed). False (with `why`) when a probe cannot start.
  bool start(const Options& o, Clock::time_point t0, const openlive::PlayConfig& pc,
             const std::function<std::string(int)>& url, std::string* why) {
    for (int i = 0; i < o.pushers; ++i) {
      pushIds.push_back("push" + std::to_string(i));
      pushers.push_back(std::make_unique<PushProbe>(pushIds.back(), t0, pushConfig(o), url(i)));
    }
    for (int i = 0; i < o.players; ++i) {
      playIds.push_back("play" + std::to_string(i));
      players.push_back(std::make_unique<PlayProbe>(playIds.back(), t0, pc, url(i % o.pushers)));
    }
    for (auto& p : pushers)
      if (!p->start(why)) return false;
    while (secondsSince(t0) < 10 && !gInterrupted) {
      bool all = true;
      for (auto& p : pushers) all = all && p->snapshot().published;
      if (all) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));  // the probes' state has no notifier
    }
    for (auto& p : players)
      if (!p->start(why)) return false;
    return true;
  }

  // The per-second records, reserved for the whole run: their growth is the runner's, not the SDK's, and is
  // subtracted from RSS in the report (Sample::selfKb); reserving avoids reallocation steps in the RSS.
  void reserve(RunData& data, double durationS) {
    const size_t expected = static_cast<size_t>(durationS) + 120;
    data.samples.reserve(expected);
    for (auto& p : pushers) p->reservePoints(2 * expected);
    for (auto& p : players) p->reservePoints(2 * expected);
  }

  // One second of the timeline: every probe's snapshot and events.
  Sample record(Timeline& timeline, RunData& data, double t, const std::string& fault) {
    std::vector<PushSnapshot> ps;
    std::vector<PlaySnapshot> ls;
    std::vector<EventRecord> events;
    for (auto& p : pushers) {
      ps.push_back(p->snapshot());
      auto e = p->takeEvents();
      events.insert(events.end(), e.begin(), e.end());
    }
    for (auto& p : players) {
      ls.push_back(p->snapshot());
      auto e = p->takeEvents();
      events.insert(events.end(), e.begin(), e.end());
    }
    for (const auto& e : events) ++data.eventCounts[std::to_string(e.code) + " " + e.name];
    size_t self = (data.samples.size() + 1) * sizeof(Sample);
    for (auto& p : pushers) self += p->recordedBytes();
    for (auto& p : players) self += p->recordedBytes();
    return timeline.add(t, readProcStats(), static_cast<int64_t>(self / 1024), fault, ps, pushIds, ls, playIds,
                        events);
  }

  // The SDK gave up (-1307 / -2301): restart as an app would; the recovery invariant still counts it.
  void restartGivenUp() {
    for (auto& p : pushers)
      if (p->needsRestart()) p->restart();
    for (auto& p : players)
      if (p->needsRestart()) p->restart();
  }

  // Stops everything, timing each stop, then collects points, violations and late events.
  void stopAndCollect(RunData& data) {
    auto timedStop = [&](auto& p) {
      auto a = Clock::now();
      p->stop();
      data.maxStopMs = std::max(data.maxStopMs, std::chrono::duration<double, std::milli>(Clock::now() - a).count());
    };
    for (auto& p : players) timedStop(p);
    for (auto& p : pushers) timedStop(p);
    // scenario: anything arriving in this second is an event after stop.
    std::this_thread::sleep_for(std::chrono::milliseconds(1000));
    auto collect = [&](auto& probes, auto& points) {
      for (auto& p : probes) {
        points[p->id()] = p->points();
        auto v = p->violations();
        data.eventViolations.insert(data.eventViolations.end(), v.begin(), v.end());
        data.restarts += p->restarts();
        for (const auto& e : p->takeEvents()) ++data.eventCounts[std::to_string(e.code) + " " + e.name];
      }
    };
    collect(pushers, data.push);
    collect(players, data.play);
  }
};

void printProgress(double t, const Sample& s, const Options& o) {
  std::fprintf(stderr,
               "[soak %7.1f s] published %d/%d, playing %d/%d, latency max %s ms, rss %.1f MB, fds %d, "
               "threads %d, reconnects %d%s\n",
               t, s.published, o.pushers, s.playing, o.players,
               s.latencyMaxMs ? std::to_string(int(*s.latencyMaxMs)).c_str() : "-", double(s.proc.rssKb) / 1024,
               s.proc.fds, s.proc.threads, s.reconnects, s.fault.empty() ? "" : (", fault: " + s.fault).c_str());
}

// The media run: one record per second until the duration (or Ctrl-C), faults injected on their schedule.
void runTimeline(Fleet& fleet, RunData& data, Timeline& timeline, const Options& o, Clock::time_point t0,
                 openlive::test::MediaServer& server, openlive::test::FaultProxy& proxy) {
  FaultInjector faults(o, t0, server, proxy);
  faults.start();
  for (int tick = 1; !gInterrupted; ++tick) {
    std::this_thread::sleep_until(t0 + std::chrono::seconds(tick));  // scenario: one record per second
    const double t = secondsSince(t0);
    auto s = fleet.record(timeline, data, t, faults.activeFault());
    data.samples.push_back(s);
    if (tick % 10 == 0) printProgress(t, s, o);
    fleet.restartGivenUp();
    if (t >= o.durationS) break;
  }
  data.endT = secondsSince(t0);
  data.faults = faults.records();
}  // faults stop; impairments lifted

// Evaluates the invariants, writes the report and prints the verdict; the exit status.
int reportVerdict(const std::string& dir, RunData& data, const Options& o) {
  std::vector<std::string> rows;
  auto checks = evaluate(data, &rows);
  writeReport(dir, data, checks, rows);
  bool ok = true;
  std::printf("openlive-soak: %s, %d pushers, %d players, %.0f s, %zu faults\n", data.serverName.c_str(), o.pushers,
              o.players, data.endT, data.faults.size());
  for (const auto& c : checks) {
    std::printf("  [%s] %s: %s\n", c.pass ? "PASS" : "FAIL", c.name.c_str(), c.detail.c_str());
    ok = ok && c.pass;
  }
  std::printf("openlive-soak: %s; report %s/summary.md\n", ok ? "PASS" : "FAIL", dir.c_str());
  std::fflush(stdout);
  if (gInterrupted) return 1;
  return ok ? 0 : 1;
}

// The server the run needs, or the exit status when it is missing (skip, or a failure under
// OPENLIVE_REQUIRE_FIXTURES=1: tests/fixtures/require.h) or does not start.
std::unique_ptr<openlive::test::MediaServer> startServer(const Options& o, int* exitStatus) {
  std::string why;
  bool available = o.server == "nginx" ? openlive::test::nginxRtmpAvailable(&why)
                                       : openlive::test::nodeMediaServerAvailable(&why);
  if (!available) {
    const bool required = openlive::test::requireFixtures();
    std::fprintf(stderr, "openlive-soak: %s: %s\n", required ? "missing fixture (OPENLIVE_REQUIRE_FIXTURES=1)" : "skipped",
                 why.c_str());
    *exitStatus = required ? 1 : kExitSkip;
    return nullptr;
  }
  auto server = o.server == "nginx" ? openlive::test::startNginxRtmp(&why) : openlive::test::startNodeMediaServer(&why);
  if (!server) {
    std::fprintf(stderr, "openlive-soak: cannot start %s: %s\n", o.server.c_str(), why.c_str());
    *exitStatus = 1;
  }
  return server;
}

int runSoak(const Options& o) {
  const std::string dir = std::filesystem::absolute(o.outDir).string();
  routeSdkLog(dir, o.logLevel);
  if (o.scenario == "room") return runRoomSoak(o, dir, gInterrupted);
  int exitStatus = 0;
  auto server = startServer(o, &exitStatus);
  if (!server) return exitStatus;
  openlive::test::FaultProxy proxy("127.0.0.1", server->rtmpPort());
  // A real bottleneck holds little in flight; with the proxy's default 8 MiB per direction and connection a
  // throttle would park megabytes in this process (counted in its RSS) instead of in the SDK's own bounded
  // queues, which are what the soak is about.
  proxy.setMaxBuffered(256 * 1024);
  auto url = [&](int i) {
    return "rtmp://127.0.0.1:" + std::to_string(proxy.port()) + "/live/soak" + std::to_string(i);
  };
  std::fprintf(stderr, "openlive-soak: %s on rtmp port %d, proxy on %d; output in %s\n", server->name().c_str(),
               server->rtmpPort(), proxy.port(), dir.c_str());

  RunData data;
  data.options = &o;
  data.serverName = server->name();
  const auto pc = playConfig(o);
  data.latencyBoundMs = playerMaxCacheS(pc) * 1000 + o.latencySlackMs;
  Timeline timeline(dir);
  // Baseline before the first SDK object.
  data.baseline = readProcStats();
  const auto baseThreads = threadNames();
  const auto baseFds = fdTargets();
  const auto t0 = Clock::now();
  {
    Fleet fleet;
    std::string why;
    if (!fleet.start(o, t0, pc, url, &why)) {
      std::fprintf(stderr, "openlive-soak: %s\n", why.c_str());
      return 1;
    }
    fleet.reserve(data, o.durationS);
    runTimeline(fleet, data, timeline, o, t0, *server, proxy);
    fleet.stopAndCollect(data);
  }  // every SDK object destroyed

  // The proxy (test tooling in this process) may still hold half-closed pairs towards the server; close them
  // so the descriptor check sees only what the SDK left behind.
  proxy.cutAll();
  settleToBaseline(data, baseThreads, baseFds);
  return reportVerdict(dir, data, o);
}

// Runs the soak in a child so that a crash or hang is reported with the timeline so far.
int supervise(const Options& o) {
  std::fflush(nullptr);
  pid_t pid = fork();
  if (pid < 0) return runSoak(o);
  if (pid == 0) _exit(runSoak(o));
  const double limitS = o.durationS + 180;  // setup + stop + report fit easily in 3 min
  const auto start = Clock::now();
  int status = 0;
  for (;;) {
    pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid) break;
    if (gInterrupted) kill(pid, SIGINT), gInterrupted = false;
    if (secondsSince(start) > limitS) {
      kill(pid, SIGABRT);  // a core / backtrace is more useful than SIGKILL
      waitpid(pid, &status, 0);
      std::fprintf(stderr, "openlive-soak: [FAIL] no crash: the soak hung (no end after %.0f s), aborted\n", limitS);
      std::ofstream(o.outDir + "/summary.md", std::ios::app) << "\n**FAIL: hung after " << limitS << " s; aborted.**\n";
      return 1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  if (WIFSIGNALED(status)) {
    int sig = WTERMSIG(status);
    std::fprintf(stderr, "openlive-soak: [FAIL] no crash: the soak process died of signal %d (%s) after %.0f s; "
                 "timeline so far in %s/timeline.jsonl\n", sig, strsignal(sig), secondsSince(start), o.outDir.c_str());
    std::ofstream(o.outDir + "/summary.md", std::ios::app)
        << "# openlive-soak report: FAIL\n\nThe soak process died of signal " << sig << " (" << strsignal(sig)
        << ") after " << secondsSince(start) << " s. The timeline up to then is in timeline.jsonl.\n";
    return 1;
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

}  // namespace

int main(int argc, char** argv) {
  soak::Options o;
  if (int rc = soak::parseOptions(argc, argv, &o); rc >= 0) return rc;
  std::error_code ec;
  std::filesystem::create_directories(o.outDir, ec);
  if (ec) {
    std::fprintf(stderr, "openlive-soak: error: cannot create %s: %s\n", o.outDir.c_str(), ec.message().c_str());
    return 2;
  }
  struct sigaction sa{};
  sa.sa_handler = onSignal;
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  signal(SIGPIPE, SIG_IGN);
  return o.fork ? supervise(o) : runSoak(o);
}
