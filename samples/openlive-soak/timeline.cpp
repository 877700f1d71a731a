#include "timeline.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace soak {

namespace {
double r1(double v) { return std::round(v * 10) / 10; }
}  // namespace

Timeline::Timeline(const std::string& dir) {
  jsonl_ = std::fopen((dir + "/timeline.jsonl").c_str(), "w");
  tsv_ = std::fopen((dir + "/timeline.tsv").c_str(), "w");
  if (!jsonl_ || !tsv_) throw std::runtime_error("cannot create the timeline files in " + dir);
  std::fprintf(tsv_,
               "# t\tlatency_max_ms\tlatency_avg_ms\tpush_kbps\tpush_cache_max_ms\tplay_cache_max_ms\trss_mb\tfds\t"
               "threads\tstalls\tdrops\treconnects\tself_mb\theap_mb\trss_anon_mb\trss_file_mb\theap_footprint_mb\n");
  std::fflush(tsv_);
}

Timeline::~Timeline() {
  if (jsonl_) std::fclose(jsonl_);
  if (tsv_) std::fclose(tsv_);
}

Sample Timeline::add(double t, const ProcStats& proc, int64_t selfKb, const std::string& fault, const std::vector<PushSnapshot>& push,
                     const std::vector<std::string>& pushIds, const std::vector<PlaySnapshot>& play,
                     const std::vector<std::string>& playIds, const std::vector<EventRecord>& events) {
  using nlohmann::json;
  Sample s;
  s.t = t;
  s.proc = proc;
  s.selfKb = selfKb;
  s.fault = fault;
  json line;
  line["t"] = r1(t);
  line["rss_kb"] = proc.rssKb;
  line["self_kb"] = selfKb;
  line["heap_kb"] = proc.heapKb;
  line["rss_anon_kb"] = proc.rssAnonKb;
  line["rss_file_kb"] = proc.rssFileKb;
  line["heap_footprint_kb"] = proc.heapFootprintKb;
  line["fds"] = proc.fds;
  line["threads"] = proc.threads;
  line["fault"] = fault.empty() ? json(nullptr) : json(fault);
  json jp = json::array();
  for (size_t i = 0; i < push.size(); ++i) {
    const auto& p = push[i];
    jp.push_back({{"id", pushIds[i]}, {"state", p.state}, {"published", p.published},
                  {"video_kbps", r1(p.videoKbps)}, {"net_kbps", r1(p.netKbps)}, {"cache_ms", r1(p.cacheMs)},
                  {"drops", p.drops}, {"reconnects", p.reconnects}});
    s.pushKbps += p.videoKbps;
    s.pushCacheMaxMs = std::max(s.pushCacheMaxMs, p.cacheMs);
    s.drops += p.drops;
    s.reconnects += p.reconnects;
    s.published += p.published ? 1 : 0;
  }
  line["push"] = std::move(jp);
  json jl = json::array();
  double latSum = 0;
  int latN = 0;
  for (size_t i = 0; i < play.size(); ++i) {
    const auto& p = play[i];
    json o{{"id", playIds[i]}, {"fresh", p.fresh}, {"cache_ms", r1(p.cacheMs)}, {"cache_target_s", p.cacheTargetS},
           {"fps", r1(p.fps)}, {"net_kbps", r1(p.netKbps)}, {"frames", p.frames}, {"stalls", p.stalls},
           {"stall_ms", p.stallMs}, {"drops", p.drops}, {"reconnects", p.reconnects}};
    o["latency_ms"] = p.latencyMs ? json(*p.latencyMs) : json(nullptr);
    jl.push_back(std::move(o));
    if (p.fresh && p.latencyMs) {
      latSum += *p.latencyMs;
      ++latN;
      s.latencyMaxMs = std::max(s.latencyMaxMs.value_or(0), *p.latencyMs);
    }
    s.playCacheMaxMs = std::max(s.playCacheMaxMs, p.cacheMs);
    s.stalls += p.stalls;
    s.drops += p.drops;
    s.reconnects += p.reconnects;
    s.playing += p.fresh ? 1 : 0;
  }
  if (latN) s.latencyAvgMs = latSum / latN;
  line["play"] = std::move(jl);
  json je = json::array();
  for (const auto& e : events) je.push_back({{"t", r1(e.t)}, {"who", e.who}, {"code", e.code}, {"name", e.name}});
  line["events"] = std::move(je);
  line["agg"] = {{"latency_max_ms", s.latencyMaxMs ? json(*s.latencyMaxMs) : json(nullptr)},
                 {"push_kbps", r1(s.pushKbps)}, {"push_cache_max_ms", r1(s.pushCacheMaxMs)},
                 {"play_cache_max_ms", r1(s.playCacheMaxMs)}, {"stalls", s.stalls}, {"drops", s.drops},
                 {"reconnects", s.reconnects}, {"published", s.published}, {"playing", s.playing}};
  std::fprintf(jsonl_, "%s\n", line.dump().c_str());
  std::fflush(jsonl_);

  auto opt = [](const std::optional<double>& v) { return v ? std::to_string(*v) : std::string("NaN"); };
  std::fprintf(tsv_, "%.1f\t%s\t%s\t%.1f\t%.1f\t%.1f\t%.3f\t%d\t%d\t%d\t%.0f\t%d\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\n",
               t,
               opt(s.latencyMaxMs).c_str(), opt(s.latencyAvgMs).c_str(), s.pushKbps, s.pushCacheMaxMs,
               s.playCacheMaxMs, double(proc.rssKb) / 1024.0, proc.fds, proc.threads, s.stalls, s.drops, s.reconnects,
               double(selfKb) / 1024.0, double(proc.heapKb) / 1024.0, double(proc.rssAnonKb) / 1024.0,
               double(proc.rssFileKb) / 1024.0, double(proc.heapFootprintKb) / 1024.0);
  std::fflush(tsv_);
  return s;
}

}  // namespace soak
