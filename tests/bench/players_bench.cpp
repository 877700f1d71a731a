// openlive-bench-players: N LivePlayers of one URL in one process, headless (issue 12 item 5).
//
//   openlive-bench-players URL [--players N] [--warmup W] [--seconds S] [--type rtc|rtmp] [--lag-limit MS]
//
// Every player runs with no window and no audio device (VideoOutput::Kind::None, AudioOutput::Kind::None: the
// pictures are decoded, paced and then dropped), in RTC mode by default (PlayType::Rtc: every picture at 1x
// from the start). --type rtmp is live mode with a 1 s cache (CacheMode::Fast), which by design plays at 0.96x
// for its first ~20 s to fill that cache (CacheController::kFillSpeed): a short window then reads < 29 fps and
// a growing lag whatever the CPU, so it needs a warm-up past the fill. The decoded-frame
// callback of each player records (arrival wall time, media time) of every picture shown. Once every player
// has shown its first picture (or --start-timeout passed), W seconds of warm-up, then the next S seconds are
// measured, per player:
//   fps        pictures shown in the window / S
//   lag growth how much later the pictures come out at the end of the window than at its start: the median of
//              (wall - media time) over the window's last 2 s minus that over its first 2 s; a player that
//              cannot keep up falls behind the live edge and this grows
// and, for the process, the peak RSS (VmHWM) and the RSS at the end (VmRSS), read before the players stop.
// Prints one "P ..." line per player and KEY=VALUE summary lines on stdout (tests/bench/players_scaling.sh
// reads them); OK=1 when every player showed >= --min-fps and its lag grew by <= --lag-limit ms.
#include <openlive/live_player.h>
#include <openlive/log.h>

#include <CLI/CLI.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

std::atomic<bool> gStop{false};
std::mutex gMu;  // with gCv: main waits for first pictures, the end of the window, or a signal
std::condition_variable gCv;
int gStarted = 0;  // players that have shown a picture (under gMu)
void onSignal(int) { gStop = true; }  // the main wait re-checks the flag at least every 100 ms

double nowMs(Clock::time_point t0) { return std::chrono::duration<double, std::milli>(Clock::now() - t0).count(); }

// What one player's callbacks saw. Written on that player's callback thread, read by main after the window.
struct Tally {
  std::mutex mu;
  std::vector<std::pair<double, int64_t>> frames;  // (ms since the bench started, media time ms)
  double videoDrop = 0, stalls = 0, callbackDrops = 0;
  int errors = 0;
};

struct Options {
  std::string url, type = "rtc";
  int players = 1;
  double warmup = 2, seconds = 8, minFps = 29, lagLimitMs = 300, startTimeout = 30;
};

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

// Per-player result over [from, to) ms since the bench started.
struct Result {
  double fps = 0, lagGrowthMs = 0;
  size_t frames = 0;
};

Result measure(Tally& t, double from, double to) {
  std::lock_guard lk(t.mu);
  Result r;
  std::vector<double> head, tail;
  const double edge = std::min(2000.0, (to - from) / 4);
  for (const auto& [wall, pts] : t.frames) {
    if (wall < from || wall >= to) continue;
    ++r.frames;
    const double lag = wall - static_cast<double>(pts);
    if (wall < from + edge) head.push_back(lag);
    if (wall >= to - edge) tail.push_back(lag);
  }
  r.fps = static_cast<double>(r.frames) / ((to - from) / 1000.0);
  // No pictures at one end counts as unbounded growth: the player stopped showing anything.
  r.lagGrowthMs = head.empty() || tail.empty() ? 1e9 : median(tail) - median(head);
  return r;
}

long procStatusKb(const char* key) {
  std::ifstream in("/proc/self/status");
  std::string line;
  const std::string prefix = std::string(key) + ":";
  while (std::getline(in, line))
    if (line.rfind(prefix, 0) == 0) return std::stol(line.substr(prefix.size()));
  return -1;
}

openlive::PlayConfig headlessConfig() {
  openlive::PlayConfig cfg;
  cfg.setCacheMode(openlive::CacheMode::Fast);
  cfg.video.kind = openlive::VideoOutput::Kind::None;
  cfg.audio.kind = openlive::AudioOutput::Kind::None;
  cfg.connectRetryCount = 3;
  cfg.connectRetryInterval = std::chrono::milliseconds(1000);
  return cfg;
}

std::unique_ptr<openlive::LivePlayer> startPlayer(const Options& o, Tally& t, Clock::time_point t0) {
  auto p = std::make_unique<openlive::LivePlayer>(headlessConfig());
  p->setVideoFrameCallback([&t, t0](const openlive::VideoFrame& f) {
    const double wall = nowMs(t0);
    bool first = false;
    {
      std::lock_guard lk(t.mu);
      first = t.frames.empty();
      t.frames.emplace_back(wall, f.ptsMs);
    }
    if (!first) return;
    {
      std::lock_guard lk(gMu);
      ++gStarted;
    }
    gCv.notify_all();
  });
  p->setNetStatusCallback([&t](const openlive::NetStatus& st) {
    std::lock_guard lk(t.mu);
    t.videoDrop = st.number(openlive::net::kVideoDrop).value_or(t.videoDrop);
    t.stalls = st.number(openlive::net::kStallCount).value_or(t.stalls);
    t.callbackDrops = st.number(openlive::net::kFrameCallbackDrop).value_or(t.callbackDrops);
  });
  p->setEventCallback([&t](const openlive::Event& ev) {
    if (auto* info = openlive::findEvent(ev.code); info && info->category == openlive::EventCategory::Error) {
      std::lock_guard lk(t.mu);
      ++t.errors;
      std::fprintf(stderr, "player error %d: %s\n", openlive::toInt(ev.code), ev.message().c_str());
    }
  });
  const auto type = o.type == "rtc" ? openlive::PlayType::Rtc : openlive::PlayType::Rtmp;
  if (auto r = p->start(o.url, type); !r) {
    std::fprintf(stderr, "openlive-bench-players: start failed: %s\n", r.message.c_str());
    return nullptr;
  }
  return p;
}

// Waits until `done` (checked under gMu), `deadline` or a signal; false on a signal. Timed waits are only the
// start timeout and the measurement window; the 100 ms step is for the signal flag.
template <typename Pred>
bool waitFor(Clock::time_point deadline, Pred done) {
  std::unique_lock lk(gMu);
  while (!gStop && !done() && Clock::now() < deadline)
    gCv.wait_until(lk, std::min(deadline, Clock::now() + std::chrono::milliseconds(100)));
  return !gStop;
}

int report(const Options& o, std::vector<std::unique_ptr<Tally>>& tallies, double from, double to) {
  const long hwm = procStatusKb("VmHWM"), rss = procStatusKb("VmRSS");
  std::vector<double> fps;
  double worstGrowth = -1e18;
  bool ok = true;
  for (size_t i = 0; i < tallies.size(); ++i) {
    Tally& t = *tallies[i];
    const Result r = measure(t, from, to);
    std::lock_guard lk(t.mu);
    std::printf("P %zu fps=%.2f lag_growth_ms=%.0f frames=%zu video_drop=%.0f stalls=%.0f callback_drop=%.0f "
                "errors=%d\n",
                i, r.fps, r.lagGrowthMs, r.frames, t.videoDrop, t.stalls, t.callbackDrops, t.errors);
    fps.push_back(r.fps);
    worstGrowth = std::max(worstGrowth, r.lagGrowthMs);
    ok = ok && r.fps >= o.minFps && r.lagGrowthMs <= o.lagLimitMs;
  }
  std::printf("PLAYERS=%d\nSECONDS=%.1f\n", o.players, (to - from) / 1000.0);
  std::printf("FPS_MIN=%.2f\nFPS_MEDIAN=%.2f\n", *std::min_element(fps.begin(), fps.end()), median(fps));
  std::printf("LAG_GROWTH_MAX_MS=%.0f\n", worstGrowth);
  std::printf("PEAK_RSS_KB=%ld\nRSS_KB=%ld\nOK=%d\n", hwm, rss, ok ? 1 : 0);
  std::fflush(stdout);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"N headless OpenLive players of one stream in one process: decoded fps, lag growth, peak RSS"};
  Options o;
  app.add_option("url", o.url, "rtmp://host/app/stream")->required();
  app.add_option("--players", o.players, "players in this process")->check(CLI::Range(1, 1000));
  app.add_option("--warmup", o.warmup, "seconds before the measurement window")->check(CLI::Range(0.0, 600.0));
  app.add_option("--seconds", o.seconds, "length of the measurement window, s")->check(CLI::Range(1.0, 3600.0));
  app.add_option("--type", o.type, "rtc (default) | rtmp (live, 1 s cache)")->check(CLI::IsMember({"rtmp", "rtc"}));
  app.add_option("--min-fps", o.minFps, "a player below this fps fails")->check(CLI::PositiveNumber);
  app.add_option("--lag-limit", o.lagLimitMs, "a player whose lag grows more than this (ms) fails");
  app.add_option("--start-timeout", o.startTimeout, "seconds to wait for every player's first picture")
      ->check(CLI::Range(1.0, 600.0));
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  openlive::setLogLevel(openlive::LogLevel::Error);
  std::signal(SIGINT, onSignal);
  std::signal(SIGTERM, onSignal);

  const auto t0 = Clock::now();
  std::vector<std::unique_ptr<Tally>> tallies;
  std::vector<std::unique_ptr<openlive::LivePlayer>> players;
  for (int i = 0; i < o.players; ++i) {
    tallies.push_back(std::make_unique<Tally>());
    auto p = startPlayer(o, *tallies.back(), t0);
    if (!p) return 1;
    players.push_back(std::move(p));
  }
  const auto ms = [](double v) { return std::chrono::milliseconds(static_cast<int64_t>(v)); };
  bool complete = waitFor(t0 + ms(o.startTimeout * 1000), [&] { return gStarted == o.players; });
  const double started = nowMs(t0);
  {
    std::lock_guard lk(gMu);
    std::printf("STARTED=%d\nALL_STARTED_MS=%.0f\n", gStarted, started);
  }
  const double from = started + o.warmup * 1000, to = from + o.seconds * 1000;
  complete = complete && waitFor(t0 + ms(to), [] { return false; });
  if (!complete) std::fprintf(stderr, "openlive-bench-players: interrupted\n");
  const int rc = report(o, tallies, from, complete ? to : nowMs(t0));
  std::vector<std::thread> stoppers;  // each stop() takes up to 200 ms: in parallel, not N x 200 ms
  for (auto& p : players) stoppers.emplace_back([&p] { p->stop(); });
  for (auto& t : stoppers) t.join();
  return complete ? rc : 1;
}
