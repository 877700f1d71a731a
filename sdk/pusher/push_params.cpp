// Quality modes -> concrete encode parameters (the table is documented in include/openlive/live_pusher.h).
#include "pusher/push_params.h"

#include "encode/video_encoder.h"

#include <algorithm>
#include <cctype>

namespace openlive {
namespace {
struct ModeRow {
  PushMode mode;
  int width, height, fps;
  double gop;
  int target, min, max;
  bool lowLatency;
  AutoAdjust autoAdjust;  // what AutoAdjust::ModeDefault means in this mode
};
constexpr ModeRow kModes[] = {
    {PushMode::SD, 640, 360, 15, 1.0, 600, 300, 800, false, AutoAdjust::BitrateOnly},
    {PushMode::HD, 960, 540, 24, 1.0, 1000, 600, 1200, false, AutoAdjust::BitrateOnly},
    {PushMode::FHD, 1280, 720, 30, 1.0, 1500, 600, 1800, false, AutoAdjust::BitrateOnly},
    {PushMode::RTC, 640, 360, 15, 1.0, 700, 150, 1200, true, AutoAdjust::BitrateAndResolution},
    // reference.md section 4: LINKMIC_MAIN_PUBLISHER (prefers 960x540, 600-1500 kbps, both adjust) and
    // LINKMIC_SUB_PUBLISHER (480x320 / 320x480, fixed 350 kbps).
    {PushMode::LinkMicMain, 960, 540, 15, 1.0, 1000, 600, 1500, true, AutoAdjust::BitrateAndResolution},
    {PushMode::LinkMicSub, 480, 320, 15, 1.0, 350, 350, 350, true, AutoAdjust::None},
};
}  // namespace

namespace detail {

ResolvedVideoParams resolveVideoParams(const PushConfig& c) {
  const ModeRow* row = &kModes[3];
  for (const auto& r : kModes)
    if (r.mode == c.mode) row = &r;
  ResolvedVideoParams p;
  int w = row->width, h = row->height;
  if (c.aspect == AspectRatio::R4x3) w = (h * 4 / 3 + 1) & ~1;
  if (!c.landscape) std::swap(w, h);
  p.width = c.width ? c.width : w;
  p.height = c.height ? c.height : h;
  p.fps = c.fps ? c.fps : row->fps;
  p.gopSeconds = c.gopSeconds > 0 ? c.gopSeconds : row->gop;
  p.minBitrateKbps = c.minBitrateKbps ? c.minBitrateKbps : row->min;
  p.maxBitrateKbps = c.maxBitrateKbps ? c.maxBitrateKbps : row->max;
  p.bitrateKbps = c.bitrateKbps ? c.bitrateKbps : row->target;
  if (p.maxBitrateKbps < p.minBitrateKbps) p.maxBitrateKbps = p.minBitrateKbps;
  p.bitrateKbps = std::clamp(p.bitrateKbps, p.minBitrateKbps, p.maxBitrateKbps);
  p.lowLatency = row->lowLatency;
  p.autoAdjust = c.autoAdjust != AutoAdjust::ModeDefault ? c.autoAdjust : row->autoAdjust;
  return p;
}

Interleaver::Options interleaverOptionsFor(const PushConfig& c, int fps) {
  const ResolvedVideoParams v = resolveVideoParams(c);
  const X264Settings x = x264SettingsFor(v);
  Interleaver::Options o;
  o.hasVideo = c.video.type != VideoSourceType::None;
  o.hasAudio = c.audio.type != AudioSourceType::None;
  o.audioToleranceMs = 1000 / std::max(1, fps);
  o.videoToleranceMs = 3 * 1024 * 1000 / audioRateFor(c);
  o.maxHold = Interleaver::holdFor(v.lowLatency ? 1 : x.lookahead + x.bframes + 4, fps);
  return o;
}

}  // namespace detail

std::string_view toString(PushMode mode) noexcept {
  switch (mode) {
    case PushMode::SD: return "SD";
    case PushMode::HD: return "HD";
    case PushMode::FHD: return "FHD";
    case PushMode::RTC: return "RTC";
    case PushMode::LinkMicMain: return "LinkMicMain";
    case PushMode::LinkMicSub: return "LinkMicSub";
  }
  return "?";
}

bool parsePushMode(std::string_view text, PushMode* out) noexcept {
  auto upper = [](std::string_view v) {
    std::string u;
    for (char ch : v) u.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(ch))));
    return u;
  };
  const std::string up = upper(text);
  for (const auto& r : kModes)
    if (upper(toString(r.mode)) == up) {
      *out = r.mode;
      return true;
    }
  return false;
}

std::string_view toString(PushState s) noexcept {
  switch (s) {
    case PushState::Idle: return "idle";
    case PushState::Connecting: return "connecting";
    case PushState::Publishing: return "publishing";
    case PushState::Reconnecting: return "reconnecting";
    case PushState::Paused: return "paused";
    case PushState::Failed: return "failed";
  }
  return "?";
}

}  // namespace openlive
