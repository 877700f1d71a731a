// The issue-10 assertions on one play run, from outside the SDK: event order, pictures per second after the
// first picture, render gaps, audio played against wall time, stall events, first picture against the time the
// next keyframe reached a reference client (rtmpdump / curl) started beside the player.
#pragma once

#include <openlive/events.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "interop/play_runs.h"

namespace openlive::test {

// The play events the interop checks look for, from the SDK's one table.
namespace code {
inline constexpr int kConnect = toInt(EventCode::PLAY_EVT_CONNECT_SUCC);
inline constexpr int kStreamBegin = toInt(EventCode::PLAY_EVT_RTMP_STREAM_BEGIN);
inline constexpr int kFirstI = toInt(EventCode::PLAY_EVT_RCV_FIRST_I_FRAME);
inline constexpr int kPlayBegin = toInt(EventCode::PLAY_EVT_PLAY_BEGIN);
inline constexpr int kLoading = toInt(EventCode::PLAY_EVT_PLAY_LOADING);
inline constexpr int kDecoder = toInt(EventCode::PLAY_EVT_START_VIDEO_DECODER);
inline constexpr int kFirstAudio = toInt(EventCode::PLAY_EVT_RCV_FIRST_AUDIO_FRAME);
inline constexpr int kAudioDecodeFail = toInt(EventCode::PLAY_WARNING_AUDIO_DECODE_FAIL);
inline constexpr int kReconnect = toInt(EventCode::PLAY_WARNING_RECONNECT);
inline constexpr int kRenderLag = toInt(EventCode::PLAY_WARNING_VIDEO_PLAY_LAG);
inline constexpr int kNetDisconnect = toInt(EventCode::PLAY_ERR_NET_DISCONNECT);
inline constexpr int kFileNotFound = toInt(EventCode::PLAY_ERR_FILE_NOT_FOUND);
inline constexpr int kServerRefuse = toInt(EventCode::PLAY_ERR_SERVER_REFUSE);
}  // namespace code

struct PlayExpect {
  double fps = 0;                  // source picture rate; 0 = the stream has no video
  bool audio = true;               // the stream has audio the SDK should decode
  bool undecodableAudio = false;   // audio in a format the SDK cannot decode: one 2102, video goes on
  int64_t keyframeMs = -1;         // wall ms the reference client got the first keyframe (-1: not measured)
  int width = 0, height = 0;       // expected picture size of the first picture (0: not checked)
  double fpsTolerance = 0.10;      // pictures per second after the first, relative
  double audioTolerance = 0.05;    // audio played vs wall time since the first sound, relative
  int64_t firstPictureSlackMs = 300;
  int64_t maxRenderGapMs = 800;    // the 2105 threshold, measured by us
  bool cliExitZero = true;         // a CLI run that ends by --duration exits 0
};

struct PlayVerdict {
  std::vector<std::string> failures;
  std::string numbers;  // one line for docs/INTEROP.md
  bool ok() const { return failures.empty(); }
  std::string text() const;  // numbers, then each failure on its own line
};

PlayVerdict judgePlayback(const PlayRecord& r, const PlayExpect& e);

// Pictures per second over (first picture, end], the longest gap between pictures (from the first), in ms.
double picturesPerSecondAfterFirst(const PlayRecord& r);
// The slowest and fastest AUDIO_PLAY_SPEED of the record's net_status lines, with 1.0 in the range (1..1 without
// them).
std::pair<double, double> reportedSpeedRange(const PlayRecord& r);
int64_t longestRenderGapMs(const PlayRecord& r);

}  // namespace openlive::test
