#include "room_report.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

namespace soak {

namespace {

std::string cell(double v) { return std::isinf(v) ? std::string("**never**") : v < 0 ? "-" : fmt(v) + " s"; }

// Whether [from, to] overlaps a media fault or the recovery bound after it: no stall judgement there.
bool inMediaFault(const RoomRunData& d, double from, double to) {
  const double bound = d.base.options->recoveryBoundS;
  return std::any_of(d.steps.begin(), d.steps.end(), [&](const RoomStepRecord& r) {
    return r.startT >= 0 && r.mediaFault() && from <= r.endT + bound && to >= r.startT;
  });
}

struct StallSummary {
  double worstJudged = 0, worstExcluded = 0;
  std::string worstWhere;
  int judgedOver = 0, excludedOver = 0;
};

StallSummary summarizeStalls(const RoomRunData& d) {
  StallSummary s;
  const double limit = d.base.options->stallLimitS;
  for (const auto& [id, gaps] : d.gaps) {
    for (const auto& g : gaps) {
      const double len = g.to - g.from;
      if (inMediaFault(d, g.from, g.to)) {
        s.worstExcluded = std::max(s.worstExcluded, len);
        s.excludedOver += len > limit;
        continue;
      }
      s.judgedOver += len > limit;
      if (len <= s.worstJudged) continue;
      s.worstJudged = len;
      s.worstWhere = id + " " + fmt(g.from) + "-" + fmt(g.to) + " s";
    }
  }
  return s;
}

Check checkStalls(const RoomRunData& d) {
  const Options& o = *d.base.options;
  const StallSummary s = summarizeStalls(d);
  uint64_t unreadable = 0;
  for (const auto& [id, n] : d.unreadable) unreadable += n;
  Check c{"audience stalls", s.judgedOver == 0, ""};
  c.detail = "longest stall outside media faults " + fmt(s.worstJudged) + " s" +
             (s.worstWhere.empty() ? "" : " (" + s.worstWhere + ")") + ", limit " + fmt(o.stallLimitS) + " s, " +
             std::to_string(s.judgedOver) + " over it; inside media faults + " + fmt(o.recoveryBoundS) +
             " s (not judged): " + std::to_string(s.excludedOver) + " over the limit, longest " + fmt(s.worstExcluded) +
             " s. A stall: no picture of newer content (capture-time band) for that long; pictures without a "
             "readable band: " + std::to_string(unreadable);
  return c;
}

// Seconds from the fault's end to the first picture captured after it, the worst over the players (*who); INFINITY
// when one showed none (and the run lasted the bound after the fault). A player the run ended too early for is left
// out.
double freshAfter(const RoomRunData& d, const RoomStepRecord& r, std::string* who) {
  const double bound = d.base.options->recoveryBoundS;
  double worst = 0;
  for (const auto& [id, watches] : d.fresh) {
    auto w = std::find_if(watches.begin(), watches.end(), [&](const auto& x) { return x.after == r.endT; });
    double v = w != watches.end() && w->renderedT >= 0 ? w->renderedT - r.endT : INFINITY;
    if (std::isinf(v) && r.endT + bound > d.base.endT) continue;  // undecided
    if (v > worst) worst = v, *who = id;
  }
  return worst;
}

// Seconds from the change to the first second after it (and after the step ended) when every list agreed;
// INFINITY when none did within the bound, -1 when undecided (the run ended first).
double convergedAfter(const RoomRunData& d, const RoomStepRecord& r) {
  const double from = r.fault() ? r.endT : r.startT;
  for (const auto& [t, agree] : d.agree)
    if (t >= r.endT && agree) return t - from;
  return d.base.endT - from >= d.base.options->convergeBoundS ? INFINITY : -1;
}

void checkSteps(const RoomRunData& d, std::vector<Check>& checks, std::vector<std::string>* rows) {
  const Options& o = *d.base.options;
  Check mix{"mix back after faults", true, ""}, members{"membership converges", true, ""};
  double worstMix = 0, worstMembers = 0;
  int faults = 0;
  for (size_t i = 0; i < d.steps.size(); ++i) {
    const auto& r = d.steps[i];
    const std::string tag = "step " + std::to_string(i + 1) + " (" + toString(r.kind) + ")";
    if (r.startT < 0) {
      rows->push_back("| " + std::to_string(i + 1) + " | " + toString(r.kind) + " | | planned " + fmt(r.plannedT) +
                      " s | not run | | | |");
      continue;
    }
    if (!r.ok) {
      (r.fault() ? mix : members).pass = false;
      (r.fault() ? mix : members).detail += tag + " could not be applied: " + r.detail + "; ";
    }
    std::string who;
    const double fresh = r.fault() ? freshAfter(d, r, &who) : -1;
    if (r.fault()) ++faults, worstMix = std::max(worstMix, fresh);
    if (r.fault() && (std::isinf(fresh) || fresh > o.recoveryBoundS)) {
      mix.pass = false;
      mix.detail += tag + ": " + who + " no picture captured after its end within " + fmt(o.recoveryBoundS) + " s; ";
    }
    const double conv = convergedAfter(d, r);
    worstMembers = std::max(worstMembers, conv);
    if (std::isinf(conv) || conv > o.convergeBoundS) {
      members.pass = false;
      members.detail += tag + ": the lists did not agree within " + fmt(o.convergeBoundS) + " s; ";
    }
    rows->push_back("| " + std::to_string(i + 1) + " | " + toString(r.kind) + " | " + r.who + " | " + fmt(r.startT) +
                    " | " + fmt(r.endT) + " | " + (r.fault() ? cell(fresh) : "-") + " | " + cell(conv) + " | " +
                    r.detail + (r.ok ? "" : " **(failed)**") + " |");
  }
  mix.detail = std::to_string(faults) + " faults; worst " + cell(worstMix) + " from a fault's end to every audience "
               "player rendering a picture captured after it (bound " + fmt(o.recoveryBoundS) + " s)" +
               (mix.detail.empty() ? "" : "; " + mix.detail);
  members.detail = std::to_string(d.steps.size()) + " steps; worst " + cell(worstMembers) + " until roomd's member "
                   "list, the anchor's view and every co-anchor's view equal the schedule's (bound " +
                   fmt(o.convergeBoundS) + " s)" + (members.detail.empty() ? "" : "; " + members.detail);
  checks.push_back(mix);
  checks.push_back(members);
}

Check checkPrograms(const RoomRunData& d) {
  Check c{"members' programs", d.coFailures.empty() && d.anchorErrors == 0, ""};
  c.detail = std::to_string(d.coNotes.size()) + " co-anchor programs ended as scheduled or at the end; " +
             std::to_string(d.coFailures.size()) + " failed or ended on their own; anchor room errors: " +
             std::to_string(d.anchorErrors);
  for (size_t i = 0; i < d.coFailures.size() && i < 5; ++i) c.detail += "; " + d.coFailures[i];
  return c;
}

Check checkLeftovers(const RoomRunData& d) {
  Check c{"no leaked processes", d.leftover.total() == 0, ""};
  c.detail = "after the stack stopped: " + std::to_string(d.leftover.total()) + " of its processes alive";
  for (const auto& p : d.leftover.list) c.detail += "; " + p;
  c.detail += " (most openlive-mixer processes of this stack alive at once during the run: " +
              std::to_string(d.maxMixers) + ")";
  return c;
}

void writeHeader(std::ostringstream& md, const RoomRunData& d, bool ok) {
  const Options& o = *d.base.options;
  md << "# openlive-soak report (room scenario): " << (ok ? "PASS" : "FAIL") << "\n\n";
  md << "- Stack: " << d.stack << "\n";
  md << "- Room " << d.roomID << ": anchor (LiveRoom in the soak, test pattern 320x240 RTC), up to three co-anchors "
        "(openlive-room programs), the room's mixer (openlive-mixer under roomd), " << o.players
     << " audience players (LivePlayer, fixed 2 s cache) of its mixedPlayURL; " << fmt(d.base.endT) << " s run\n";
  md << "- Steps: three joins from 2 s, then one every " << fmt(o.faultIntervalS) << " s from " << fmt(o.firstFaultS)
     << " s; kill = nginx down " << o.serverDownMs << " ms; stall " << o.stallMs << " ms; throttle " << o.throttleKbps
     << " kbps for " << o.throttleMs << " ms; roomd liveness: silence " << o.roomdSilenceMs << " ms, sweep "
     << o.roomdSweepMs << " ms\n";
  md << "- App restarts of audience players after the SDK gave up: " << d.base.restarts << "; slowest stop: "
     << fmt(d.base.maxStopMs, 0) << " ms\n\n";
}

void writeLatency(std::ostringstream& md, const RoomRunData& d) {
  std::vector<double> all, steady;
  for (const auto& [id, pts] : d.base.play)
    for (const auto& p : pts) {
      if (!p.fresh || !p.latencyMs) continue;
      all.push_back(*p.latencyMs);
      if (p.t >= 15 && !inMediaFault(d, p.t - 1, p.t)) steady.push_back(*p.latencyMs);
    }
  md << "\n## Glass-to-glass (anchor's capture to the audience's picture, through the mixer; ms)\n\n"
        "| Set | n | p50 | p95 | p99 | max |\n|---|---|---|---|---|---|\n";
  auto row = [&](const char* name, const std::vector<double>& v) {
    md << "| " << name << " | " << v.size() << " | " << fmt(percentile(v, 50), 0) << " | " << fmt(percentile(v, 95), 0)
       << " | " << fmt(percentile(v, 99), 0) << " | " << fmt(v.empty() ? NAN : *std::max_element(v.begin(), v.end()), 0)
       << " |\n";
  };
  row("all", all);
  row("steady (after 15 s, outside media faults + recovery)", steady);
}

void writeStalls(std::ostringstream& md, const RoomRunData& d) {
  std::vector<std::pair<double, std::string>> list;
  for (const auto& [id, gaps] : d.gaps)
    for (const auto& g : gaps)
      list.push_back({g.to - g.from, "| " + id + " | " + fmt(g.from) + " | " + fmt(g.to) + " | " + fmt(g.to - g.from) +
                                         " | " + (inMediaFault(d, g.from, g.to) ? "no (media fault)" : "yes") + " |"});
  std::sort(list.begin(), list.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  md << "\n## Longest audience stalls (no newer picture for over 1 s)\n\n| Player | From | To | s | Judged |\n"
        "|---|---|---|---|---|\n";
  for (size_t i = 0; i < list.size() && i < 15; ++i) md << list[i].second << "\n";
}

void writeFaultBands(const std::string& dir, const RoomRunData& d) {
  std::ofstream g(dir + "/faults.gp");
  int n = 0;
  for (const auto& r : d.steps) {
    if (r.startT < 0) continue;
    ++n;
    const double end = std::max(r.endT, r.startT + 0.8);
    const char* color = r.mediaFault() ? "#f4a0a0" : r.fault() ? "#f4d090" : "#a0c8f4";
    g << "set object " << n << " rect from first " << r.startT << ", graph 0 to first " << end << ", graph 1 fc rgb '"
      << color << "' fs solid 0.35 noborder behind\n";
    g << "set label " << n << " '" << toString(r.kind) << "' at first " << r.startT
      << ", graph 0.96 font ',8' tc rgb '#a02020'\n";
  }
}

}  // namespace

std::vector<Check> evaluateRoom(const RoomRunData& d, std::vector<std::string>* rows) {
  std::vector<Check> checks;
  checks.push_back({"no crash", true, "the soak process ran to the end (a crash is reported by the supervisor)"});
  checks.push_back(checkStartup(d.base));
  checks.push_back(checkStalls(d));
  checkSteps(d, checks, rows);
  checks.push_back(checkPrograms(d));
  checks.push_back(checkLeftovers(d));
  checks.push_back(checkRss(d.base));
  checks.push_back(checkBaseline(d.base));
  checks.push_back(checkEvents(d.base));
  return checks;
}

void writeRoomReport(const std::string& dir, const RoomRunData& d, const std::vector<Check>& checks,
                     const std::vector<std::string>& rows) {
  std::ostringstream md;
  const bool ok = std::all_of(checks.begin(), checks.end(), [](const Check& c) { return c.pass; });
  writeHeader(md, d, ok);
  md << "## Invariants\n\n| Invariant | Result | Measured |\n|---|---|---|\n";
  for (const auto& c : checks)
    md << "| " << c.name << " | " << (c.pass ? "pass" : "**FAIL**") << " | " << c.detail << " |\n";
  md << "\n## Steps\n\nTimes in s from the start. Mix back: from the fault's end until every audience player rendered "
        "a picture captured after it. Members agree: from the change (a join, leave or kill: its start; a fault: its "
        "end) until roomd's member list, the anchor's view and every co-anchor's view equal the schedule's.\n\n"
        "| # | Step | Who | Start | End | Mix back | Members agree | Detail |\n|---|---|---|---|---|---|---|---|\n";
  for (const auto& r : rows) md << r << "\n";
  writeLatency(md, d);
  writeStalls(md, d);
  md << "\n## Co-anchor programs\n\n";
  for (const auto& n : d.coNotes) md << "- " << n << "\n";
  for (const auto& f : d.coFailures) md << "- **failed**: " << f << "\n";
  md << "\n## Events (the anchor's room callbacks and the audience players' events)\n\n| Event | Count |\n|---|---|\n";
  for (const auto& [k, n] : d.base.eventCounts) md << "| " << k << " | " << n << " |\n";
  if (!d.base.eventViolations.empty()) {
    md << "\nViolations:\n\n";
    for (const auto& v : d.base.eventViolations) md << "- " << v << "\n";
  }
  md << "\n## Plots\n\n![latency](latency.png)\n![cache](cache.png)\n![rss](rss.png)\n![resources](resources.png)\n\n"
        "Shaded bands are steps (red: media faults, orange: cokill / roomd, blue: joins and leaves). Data: "
        "timeline.jsonl (audience players, per second), room.jsonl (membership, views, processes, per second), "
        "roomd.log (every roomd instance, its mixers' output), co*-N.log (each co-anchor program), sdk.log.\n";
  std::ofstream(dir + "/summary.md") << md.str();
  writeFaultBands(dir, d);
  if (d.base.options->plots) runGnuplot(dir, *d.base.options);
}

}  // namespace soak
