#include "report.h"

#include <spawn.h>
#include <sys/wait.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <thread>

extern char** environ;

namespace soak {

std::string fmt(double v, int prec) {
  char b[64];
  std::snprintf(b, sizeof b, "%.*f", prec, v);
  return b;
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return NAN;
  std::sort(v.begin(), v.end());
  size_t i = static_cast<size_t>(std::ceil(p / 100.0 * double(v.size()))) ;
  return v[std::min(v.size() - 1, i == 0 ? 0 : i - 1)];
}

namespace {

// Seconds after `end` until player media captured after `end` was on screen; -1 if not within `bound`.
double freshMediaAfter(const std::vector<PlayPoint>& pts, double end, double bound, bool* usedFallback) {
  bool anyCapture = std::any_of(pts.begin(), pts.end(), [](const PlayPoint& p) { return p.captureT.has_value(); });
  for (const auto& p : pts) {
    if (p.t < end) continue;
    if (p.frameT > end + bound) break;
    if (anyCapture) {
      if (p.captureT && *p.captureT > end) return std::max(0.0, p.frameT - end);
    } else if (p.fresh && p.frameT > end + 1.0) {  // no E2E_LATENCY: a frame rendered over 1 s later
      *usedFallback = true;
      return p.frameT - end;
    }
  }
  return -1;
}

// Seconds after `end` until a fresh post-fault frame showed latency <= limit; -1 if not within `window`.
double latencyBackAfter(const std::vector<PlayPoint>& pts, double end, double window, double limitMs) {
  for (const auto& p : pts) {
    if (p.t < end) continue;
    if (p.t > end + window + 1.0) break;  // +1: the status that reports a frame comes up to 1 s after it
    if (p.captureT && *p.captureT > end && p.latencyMs && *p.latencyMs <= limitMs && p.frameT <= end + window)
      return std::max(0.0, p.frameT - end);
  }
  return -1;
}

double pushBackAfter(const std::vector<PushPoint>& pts, double end, double bound) {
  for (const auto& p : pts) {
    if (p.t < end) continue;
    if (p.t > end + bound) break;
    if (p.published && p.netKbps > 0) return p.t - end;
  }
  return -1;
}

}  // namespace

Check checkStartup(const RunData& d) {
  // Startup: every player shows media at all.
  Check c{"startup", true, ""};
  for (const auto& [id, pts] : d.play) {
    auto it = std::find_if(pts.begin(), pts.end(), [](const PlayPoint& p) { return p.fresh; });
    if (it == pts.end()) {
      c.pass = false;
      c.detail += id + " never rendered a frame; ";
    } else {
      c.detail += id + " first frame by " + fmt(it->frameT) + " s; ";
    }
  }
  if (d.play.empty()) c.detail = "no players";
  return c;
}

namespace {

// One applied fault: how long pushers, fresh media and latency took to come back (INFINITY: never within the
// bound), failures noted in rec / lat.
struct FaultRecovery {
  double push = 0, fresh = 0, latency = 0;
};

FaultRecovery recoveryAfter(const RunData& d, size_t i, Check& rec, Check& lat, bool* fallback) {
  const Options& o = *d.options;
  const auto& f = d.faults[i];
  const std::string tag = "fault " + std::to_string(i + 1);
  FaultRecovery r;
  for (const auto& [id, pts] : d.play) {
    double fresh = freshMediaAfter(pts, f.endT, o.recoveryBoundS, fallback);
    double back = latencyBackAfter(pts, f.endT, o.latencyWindowS, d.latencyBoundMs);
    if (fresh < 0) {
      rec.pass = false;
      rec.detail += tag + " (" + toString(f.kind) + "): " + id + " no fresh media within " + fmt(o.recoveryBoundS) +
                    " s; ";
      r.fresh = INFINITY;
    } else {
      r.fresh = std::max(r.fresh, fresh);
    }
    if (back < 0) {
      lat.pass = false;
      lat.detail += tag + " (" + toString(f.kind) + "): " + id + " latency not <= " + fmt(d.latencyBoundMs, 0) +
                    " ms within " + fmt(o.latencyWindowS) + " s; ";
      r.latency = INFINITY;
    } else {
      r.latency = std::max(r.latency, back);
    }
  }
  for (const auto& [id, pts] : d.push) {
    double p = pushBackAfter(pts, f.endT, o.recoveryBoundS);
    if (p >= 0) {
      r.push = std::max(r.push, p);
      continue;
    }
    r.push = INFINITY;
    if (d.play.empty()) {
      rec.pass = false;
      rec.detail += tag + ": " + id + " not publishing within bound; ";
    }
  }
  return r;
}

void checkFaults(const RunData& d, std::vector<Check>& checks, std::vector<std::string>* rows) {
  const Options& o = *d.options;
  Check rec{"fault recovery", true, ""}, lat{"latency after faults", true, ""};
  double worstRec = 0, worstLat = 0;
  int applied = 0;
  bool fallback = false;
  auto cell = [](double v) { return std::isinf(v) ? std::string("**never**") : fmt(v) + " s"; };
  for (size_t i = 0; i < d.faults.size(); ++i) {
    const auto& f = d.faults[i];
    if (f.startT < 0) {
      rows->push_back("| " + std::to_string(i + 1) + " | " + toString(f.kind) + " | planned " + fmt(f.plannedT) +
                      " s | not run | | | |");
      continue;
    }
    ++applied;
    if (!f.ok) {
      rec.pass = false;
      rec.detail += "fault " + std::to_string(i + 1) + " could not be applied (" + f.detail + "); ";
    }
    const FaultRecovery r = recoveryAfter(d, i, rec, lat, &fallback);
    worstRec = std::max(worstRec, r.fresh);
    worstLat = std::max(worstLat, r.latency);
    rows->push_back("| " + std::to_string(i + 1) + " | " + toString(f.kind) + " | " + fmt(f.startT) + " | " +
                    fmt(f.endT) + " | " + cell(r.push) + " | " + (d.play.empty() ? "-" : cell(r.fresh)) + " | " +
                    (d.play.empty() ? "-" : cell(r.latency)) + " |");
  }
  std::string summary = std::to_string(applied) + " faults; worst: fresh media " +
                        (std::isinf(worstRec) ? "never" : fmt(worstRec) + " s") + " after the fault ended (bound " +
                        fmt(o.recoveryBoundS) + " s)";
  if (fallback) summary += "; E2E_LATENCY missing, judged on rendered frames only";
  rec.detail = summary + (rec.detail.empty() ? "" : "; " + rec.detail);
  lat.detail = "worst " + (std::isinf(worstLat) ? std::string("never") : fmt(worstLat) + " s") +
               " until latency <= " + fmt(d.latencyBoundMs, 0) + " ms (max cache + slack), window " +
               fmt(o.latencyWindowS) + " s" + (lat.detail.empty() ? "" : "; " + lat.detail);
  if (applied == 0) {
    rec.detail = "no fault ran (run too short for the schedule, or --faults none)";
    lat.detail = rec.detail;
  }
  checks.push_back(rec);
  checks.push_back(lat);
}

// Least-squares trend (per hour) of a per-sample value after the warm-up.
struct Trend {
  double first = 0, last = 0, perHour = 0, windowH = 0;
  size_t n = 0;
};

template <class Value>
Trend trendAfterWarmup(const RunData& d, Value value) {
  const Options& o = *d.options;
  Trend t;
  double sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (const auto& s : d.samples) {
    if (s.t < o.warmupS) continue;
    const double x = s.t, y = value(s);
    if (t.n++ == 0) t.first = y;
    t.last = y;
    sx += x, sy += y, sxx += x * x, sxy += x * y;
    t.windowH = x;
  }
  const double n = double(t.n);
  if (t.n >= 10) {
    t.perHour = (n * sxy - sx * sy) / (n * sxx - sx * sx) * 3600;
    t.windowH = (t.windowH - std::max(o.warmupS, d.samples.front().t)) / 3600;
  }
  return t;
}

}  // namespace

// Memory trend after warm-up: least-squares slope (MB/hour) of the anonymous resident memory (RssAnon: heap arenas,
// mmap'd buffers, thread stacks; what a leak grows) less the runner's own records. File-backed pages (RssFile: library
// code and data paged in as new paths run) are reported beside it but not judged: they are bounded by the libraries'
// size and reclaimable. The heap in use (mallinfo2) and malloc's footprint tell a leak (in use grows) from allocator
// retention (only the footprint grows).
Check checkRss(const RunData& d) {
  const Options& o = *d.options;
  Check c{"RSS growth", true, ""};
  auto mb = [](int64_t kb) { return double(kb) / 1024.0; };
  const Trend anon = trendAfterWarmup(d, [&](const Sample& s) { return mb(s.proc.rssAnonKb - s.selfKb); });
  const Trend rss = trendAfterWarmup(d, [&](const Sample& s) { return mb(s.proc.rssKb - s.selfKb); });
  const Trend file = trendAfterWarmup(d, [&](const Sample& s) { return mb(s.proc.rssFileKb); });
  const Trend heap = trendAfterWarmup(d, [&](const Sample& s) { return mb(s.proc.heapKb - s.selfKb); });
  const Trend foot = trendAfterWarmup(d, [&](const Sample& s) { return mb(s.proc.heapFootprintKb - s.selfKb); });
  if (anon.n < 10) {
    c.detail = "not measured: fewer than 10 samples after the " + fmt(o.warmupS) + " s warm-up";
    return c;
  }
  const double limit = o.rssLimitMbPerHour + o.rssNoiseMb / anon.windowH;
  c.pass = anon.perHour <= limit;
  auto line = [](const char* what, const Trend& t) {
    return std::string(what) + " " + fmt(t.first) + " -> " + fmt(t.last) + " MB, trend " + fmt(t.perHour, 2) + " MB/h";
  };
  c.detail = line("anonymous RSS less the runner's own records", anon) + " over " + fmt(anon.windowH * 60) +
             " min after warm-up (runner's records " + fmt(mb(d.samples.back().selfKb), 2) + " MB at the end); limit " +
             fmt(o.rssLimitMbPerHour) + " MB/h + " + fmt(o.rssNoiseMb) + " MB noise over the window = " +
             fmt(limit, 1) + " MB/h. Not judged: " + line("total RSS", rss) + "; " +
             line("file-backed RSS", file) + "; " + line("heap in use (mallinfo2)", heap) + "; " +
             line("malloc footprint", foot);
  if (anon.windowH < 0.5)
    c.detail += " (a window under 30 min only catches gross leaks; the 2 MB/h figure needs the 1-hour run)";
  return c;
}

void settleToBaseline(RunData& data, const std::map<std::string, int>& baseThreads,
                      const std::map<std::string, int>& baseFds) {
  auto deadline = Clock::now() + std::chrono::seconds(5);
  do {
    data.end = readProcStats();
    if (data.end.fds <= data.baseline.fds && data.end.threads <= data.baseline.threads) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));  // the kernel's counts have no notifier
  } while (Clock::now() < deadline);
  data.extraThreads = describeExtra(baseThreads, threadNames());
  data.extraFds = describeExtra(baseFds, fdTargets());
}

Check checkBaseline(const RunData& d) {
  Check c{"fds and threads back to baseline", true, ""};
  c.pass = d.end.fds <= d.baseline.fds && d.end.threads <= d.baseline.threads;
  c.detail = "fds " + std::to_string(d.baseline.fds) + " -> " + std::to_string(d.end.fds) + ", threads " +
             std::to_string(d.baseline.threads) + " -> " + std::to_string(d.end.threads) +
             " (baseline before the first SDK object, end after every object was destroyed)";
  if (!c.pass) c.detail += "; still open: threads [" + d.extraThreads + "], fds [" + d.extraFds + "]";
  return c;
}

Check checkEvents(const RunData& d) {
  Check c{"event sequences", d.eventViolations.empty(), ""};
  int total = 0;
  for (const auto& [k, n] : d.eventCounts) total += n;
  c.detail = std::to_string(total) + " events, " + std::to_string(d.eventViolations.size()) + " violations";
  for (size_t i = 0; i < d.eventViolations.size() && i < 5; ++i) c.detail += "; " + d.eventViolations[i];
  return c;
}

namespace {

void writeHeader(std::ostringstream& md, const RunData& d, bool ok) {
  const Options& o = *d.options;
  md << "# openlive-soak report: " << (ok ? "PASS" : "FAIL") << "\n\n";
  md << "- Server: " << d.serverName << ", behind the fault proxy (pushers and players connect through it)\n";
  md << "- " << o.pushers << " pushers (mode " << o.pushMode << "), " << o.players << " players, "
     << fmt(d.endT) << " s run\n";
  md << "- Faults: one every " << fmt(o.faultIntervalS) << " s from " << fmt(o.firstFaultS)
     << " s; kill = server down " << o.serverDownMs << " ms; stall " << o.stallMs << " ms; throttle "
     << o.throttleKbps << " kbps for " << o.throttleMs << " ms\n";
  md << "- Latency bound: " << fmt(d.latencyBoundMs, 0) << " ms (player max cache + " << o.latencySlackMs
     << " ms slack); app restarts after the SDK gave up: " << d.restarts << "; slowest stop: "
     << fmt(d.maxStopMs, 0) << " ms\n\n";
}

void writeLatency(std::ostringstream& md, const RunData& d) {
  const Options& o = *d.options;
  std::vector<double> all, steady;
  for (const auto& [id, pts] : d.play) {
    for (const auto& p : pts) {
      if (!p.fresh || !p.latencyMs) continue;
      all.push_back(*p.latencyMs);
      bool inFault = std::any_of(d.faults.begin(), d.faults.end(), [&](const FaultRecord& f) {
        return f.startT >= 0 && p.t >= f.startT && p.t <= f.endT + o.latencyWindowS;
      });
      if (!inFault && p.t >= 10) steady.push_back(*p.latencyMs);
    }
  }
  md << "\n## Latency (E2E_LATENCY, ms, per player per second with fresh frames)\n\n| Set | n | p50 | p95 | p99 | max |\n|---|---|---|---|---|---|\n";
  auto row = [&](const char* name, const std::vector<double>& v) {
    md << "| " << name << " | " << v.size() << " | " << fmt(percentile(v, 50), 0) << " | " << fmt(percentile(v, 95), 0)
       << " | " << fmt(percentile(v, 99), 0) << " | " << fmt(v.empty() ? NAN : *std::max_element(v.begin(), v.end()), 0)
       << " |\n";
  };
  row("all", all);
  row("steady (after 10 s, outside fault + window)", steady);
}

void writeFaultBands(const std::string& dir, const RunData& d) {
  std::ofstream g(dir + "/faults.gp");
  int n = 0;
  for (const auto& f : d.faults) {
    if (f.startT < 0) continue;
    ++n;
    double end = std::max(f.endT, f.startT + 0.8);
    g << "set object " << n << " rect from first " << f.startT << ", graph 0 to first " << end
      << ", graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind\n";
    g << "set label " << n << " '" << toString(f.kind) << "' at first " << f.startT << ", graph 0.96 font ',8' tc rgb '#a02020'\n";
  }
}

}  // namespace

void runGnuplot(const std::string& dir, const Options& o) {
  std::string arg = "dir='" + dir + "'";
  const char* argv[] = {"gnuplot", "-e", arg.c_str(), o.plotScript.c_str(), nullptr};
  pid_t pid = 0;
  if (posix_spawnp(&pid, "gnuplot", nullptr, nullptr, const_cast<char**>(argv), environ) != 0) {
    std::fprintf(stderr, "openlive-soak: gnuplot not found; plots skipped\n");
    return;
  }
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    std::fprintf(stderr, "openlive-soak: gnuplot failed (%s); plots may be missing\n", o.plotScript.c_str());
}

std::vector<Check> evaluate(const RunData& d, std::vector<std::string>* rows) {
  std::vector<Check> checks;
  checks.push_back({"no crash", true, "the soak process ran to the end (a crash is reported by the supervisor)"});
  checks.push_back(checkStartup(d));
  checkFaults(d, checks, rows);
  checks.push_back(checkRss(d));
  checks.push_back(checkBaseline(d));
  checks.push_back(checkEvents(d));
  return checks;
}

std::string writeReport(const std::string& dir, const RunData& d, const std::vector<Check>& checks,
                        const std::vector<std::string>& rows) {
  std::ostringstream md;
  bool ok = std::all_of(checks.begin(), checks.end(), [](const Check& c) { return c.pass; });
  writeHeader(md, d, ok);
  md << "## Invariants\n\n| Invariant | Result | Measured |\n|---|---|---|\n";
  for (const auto& c : checks) md << "| " << c.name << " | " << (c.pass ? "pass" : "**FAIL**") << " | " << c.detail << " |\n";
  md << "\n## Faults\n\nTimes in s from the start. Recovery columns are measured from the fault's end: pushers "
        "publishing again, every player rendering media captured after the fault ended, every player's "
        "glass-to-glass latency back within the bound.\n\n"
        "| # | Fault | Start | End | Pushers back | Players fresh media | Latency back |\n|---|---|---|---|---|---|---|\n";
  for (const auto& r : rows) md << r << "\n";
  writeLatency(md, d);
  if (!d.samples.empty()) {
    const auto& s = d.samples.back();
    md << "\nTotals at the end: stalls " << s.stalls << ", drops " << fmt(s.drops, 0) << ", reconnect attempts "
       << s.reconnects << ".\n";
  }
  md << "\n## Events\n\n| Event | Count |\n|---|---|\n";
  for (const auto& [k, n] : d.eventCounts) md << "| " << k << " | " << n << " |\n";
  if (!d.eventViolations.empty()) {
    md << "\nViolations:\n\n";
    for (const auto& v : d.eventViolations) md << "- " << v << "\n";
  }
  md << "\n## Plots\n\n![latency](latency.png)\n![bitrate](bitrate.png)\n![cache](cache.png)\n![rss](rss.png)\n"
        "![resources](resources.png)\n\nShaded bands are faults (label = kind). Data: timeline.jsonl (every "
        "session, per second), timeline.tsv (aggregates), sdk.log (SDK warnings).\n";
  std::string text = md.str();
  std::ofstream(dir + "/summary.md") << text;
  writeFaultBands(dir, d);
  if (d.options->plots) runGnuplot(dir, *d.options);
  return text;
}

}  // namespace soak
