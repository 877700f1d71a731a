// The issue-10 assertions on one play run, from outside the SDK: event order, pictures per second after the
// first picture, render gaps, audio played against wall time, stall events, first picture against the time the
// next keyframe reached a reference client (rtmpdump / curl) started beside the player.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "interop/play_runs.h"

namespace openlive::test {

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
int64_t longestRenderGapMs(const PlayRecord& r);

}  // namespace openlive::test
