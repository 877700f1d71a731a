#include "interop/play_checks.h"

#include <openlive/events.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace openlive::test {
namespace {

using namespace code;

std::string fmt(const char* f, double a, double b = 0, double c = 0) {
  char s[256];
  std::snprintf(s, sizeof s, f, a, b, c);
  return s;
}

// 2001 < 2002 < 2008 < 2003 < 2004 (video) / 2001 < 2002 (< 2004) (audio only).
void checkOrder(const PlayRecord& r, const PlayExpect& e, std::vector<std::string>& out) {
  std::vector<int> want{kConnect, kStreamBegin};
  if (e.fps > 0) want.insert(want.end(), {kDecoder, kFirstI, kPlayBegin});
  int prev = -1;
  for (int code : want) {
    int i = r.indexOf(code);
    if (i < 0) {
      out.push_back("no " + std::to_string(code));
      return;
    }
    if (i < prev) out.push_back(std::to_string(code) + " out of order");
    prev = i;
  }
  if (e.fps == 0 && r.indexOf(kPlayBegin) < 0) out.push_back("no 2004 (audio only)");
}

void checkWarnings(const PlayRecord& r, const PlayExpect& e, std::vector<std::string>& out) {
  for (const auto& ev : r.events) {
    if (ev.code < 0) out.push_back("error " + std::to_string(ev.code) + " " + ev.msg + " " + ev.description);
  }
  if (r.count(kReconnect) > 0) out.push_back(std::to_string(r.count(kReconnect)) + "x 2103 on a clean link");
  if (r.count(kRenderLag) > 0) out.push_back(std::to_string(r.count(kRenderLag)) + "x 2105 (render stall)");
  const int begin = r.indexOf(kPlayBegin);
  for (size_t i = size_t(std::max(begin, 0)); begin >= 0 && i < r.events.size(); ++i)
    if (r.events[i].code == kLoading) {
      out.push_back("2007 (buffering) after 2004");
      break;
    }
  if (e.undecodableAudio) {
    if (r.count(kAudioDecodeFail) != 1)
      out.push_back(std::to_string(r.count(kAudioDecodeFail)) + "x 2102 for undecodable audio (want exactly 1)");
  } else if (r.count(kAudioDecodeFail) > 0) {
    out.push_back(std::to_string(r.count(kAudioDecodeFail)) + "x 2102");
  }
  if (r.exitCode && e.cliExitZero && *r.exitCode != 0) out.push_back("CLI exit " + std::to_string(*r.exitCode));
}

void checkVideo(const PlayRecord& r, const PlayExpect& e, std::vector<std::string>& out) {
  if (e.fps <= 0) {
    if (!r.pictures.empty()) out.push_back(std::to_string(r.pictures.size()) + " pictures from a stream without video");
    return;
  }
  if (r.pictures.size() < 2) {
    out.push_back(std::to_string(r.pictures.size()) + " pictures");
    return;
  }
  const double window = double(r.endMs - r.pictures.front()) / 1000.0;
  const double fps = picturesPerSecondAfterFirst(r);
  if (window < 2.0) out.push_back(fmt("pictures for only %.1f s before the end", window));
  if (std::fabs(fps - e.fps) > e.fps * e.fpsTolerance)
    out.push_back(fmt("%.1f pictures/s after the first (source %.0f, tolerance %.0f%%)", fps, e.fps, e.fpsTolerance * 100));
  const int64_t gap = longestRenderGapMs(r);
  if (gap > e.maxRenderGapMs) out.push_back(fmt("render gap of %.0f ms", double(gap)));
  if (e.keyframeMs > 0 && r.pictures.front() > e.keyframeMs + e.firstPictureSlackMs)
    out.push_back(fmt("first picture %.0f ms after the keyframe reached the reference client (allowed %.0f)",
                      double(r.pictures.front() - e.keyframeMs), double(e.firstPictureSlackMs)));
  if (e.width > 0 && (r.width != e.width || r.height != e.height))
    out.push_back(fmt("picture %.0fx%.0f, want ", r.width, r.height) + std::to_string(e.width) + "x" +
                  std::to_string(e.height));
}

void checkAudio(const PlayRecord& r, const PlayExpect& e, std::vector<std::string>& out) {
  const int64_t first = r.eventTime(kFirstAudio);
  if (e.undecodableAudio || !e.audio) {
    if (r.audioSeconds > 0.2 && !e.undecodableAudio) out.push_back(fmt("%.1f s of audio from a stream without audio", r.audioSeconds));
    return;
  }
  if (first < 0) {
    out.push_back("no 2026 (first audio)");
    return;
  }
  const double wall = double(r.endMs - first) / 1000.0;
  if (wall < 2.0) out.push_back(fmt("sound for only %.1f s before the end", wall));
  // The player may play faster while it catches up with a backlog (a GOP-cache server's burst on join) or
  // slower while it builds its cache, and says so in AUDIO_PLAY_SPEED (the CLI's net_status; a LivePlayer
  // record has none: speed 1). The sound played must lie within the wall time at the slowest and the fastest
  // speed it reported, with the tolerance on each side.
  const auto [slowest, fastest] = reportedSpeedRange(r);
  const double low = wall * slowest * (1 - e.audioTolerance), high = wall * fastest * (1 + e.audioTolerance);
  if (r.audioSeconds < low || r.audioSeconds > high)
    out.push_back(fmt("%.2f s of audio played in %.2f s since the first sound", r.audioSeconds, wall) +
                  fmt(" (reported speeds %.2f..%.2f, tolerance %.0f%%)", slowest, fastest, e.audioTolerance * 100));
}

}  // namespace

std::pair<double, double> reportedSpeedRange(const PlayRecord& r) {
  double slowest = 1.0, fastest = 1.0;
  for (const auto& j : r.netStatus) {
    const auto& v = j.contains("values") ? j["values"] : j;
    if (!v.contains("AUDIO_PLAY_SPEED") || !v["AUDIO_PLAY_SPEED"].is_number()) continue;
    const double speed = v["AUDIO_PLAY_SPEED"].get<double>();
    slowest = std::min(slowest, speed);
    fastest = std::max(fastest, speed);
  }
  return {slowest, fastest};
}

double picturesPerSecondAfterFirst(const PlayRecord& r) {
  if (r.pictures.size() < 2 || r.endMs <= r.pictures.front()) return 0;
  size_t n = 0;
  for (auto t : r.pictures)
    if (t > r.pictures.front() && t <= r.endMs) ++n;
  return double(n) * 1000.0 / double(r.endMs - r.pictures.front());
}

int64_t longestRenderGapMs(const PlayRecord& r) {
  int64_t gap = 0;
  for (size_t i = 1; i < r.pictures.size(); ++i) gap = std::max(gap, r.pictures[i] - r.pictures[i - 1]);
  return gap;
}

std::string PlayVerdict::text() const {
  std::string s = numbers;
  for (const auto& f : failures) s += "\n    FAIL: " + f;
  return s;
}

PlayVerdict judgePlayback(const PlayRecord& r, const PlayExpect& e) {
  PlayVerdict v;
  checkOrder(r, e, v.failures);
  checkWarnings(r, e, v.failures);
  checkVideo(r, e, v.failures);
  checkAudio(r, e, v.failures);
  const int64_t firstPic = r.pictures.empty() ? -1 : r.pictures.front() - r.startMs;
  const int64_t kf = e.keyframeMs > 0 ? e.keyframeMs - r.startMs : -1;
  const int64_t snd = r.eventTime(kFirstAudio) < 0 ? -1 : r.eventTime(kFirstAudio) - r.startMs;
  char s[320];
  std::snprintf(s, sizeof s,
                ": first picture +%lld ms (keyframe at reference +%lld ms), %zu pictures, %.1f/s after the first, "
                "longest gap %lld ms; first sound +%lld ms, audio %.2f s; events ",
                (long long)firstPic, (long long)kf, r.pictures.size(), picturesPerSecondAfterFirst(r),
                (long long)longestRenderGapMs(r), (long long)snd, r.audioSeconds);
  v.numbers = r.label + s + r.eventsText();
  return v;
}

}  // namespace openlive::test
