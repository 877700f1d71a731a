// One interop case on the play side: a publisher we did not write feeds nginx-rtmp and node-media-server at
// once; our player plays it as the CLI and as LivePlayer, over RTMP and HTTP-FLV, beside a reference client
// (rtmpdump / curl) that records when each FLV tag arrived. Players on nginx start before the publisher (the
// first keyframe is the publisher's first picture); players on node-media-server join once ~2 s of media went
// out (its GOP cache gives them the last keyframe at once).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "fixtures/process.h"
#include "fixtures/require.h"
#include "fixtures/servers.h"
#include "interop/flv_tags.h"
#include "interop/pipe_readers.h"
#include "interop/play_checks.h"

namespace openlive::test {

// A reference client: rtmpdump (RTMP, live) or curl (HTTP-FLV) writing FLV to a pipe we parse as it arrives.
class FlvTap {
 public:
  static std::unique_ptr<FlvTap> rtmp(const std::string& url, const std::string& copyPath = "");
  static std::unique_ptr<FlvTap> httpFlv(const std::string& url);
  ~FlvTap();
  FlvReader& flv() { return *flv_; }
  LineReader& log() { return *err_; }
  // rtmpdump: "Starting Live Stream" (playing); curl: the FLV header arrived.
  bool waitUntilPlaying(std::chrono::milliseconds timeout);
  void stop();  // ends the client; the readers then see end of file
  std::string describe() const;  // tags seen, first keyframe, keyframe interval, sound format

 private:
  FlvTap(std::vector<std::string> argv, const std::string& copyPath, bool rtmpdump);
  bool rtmpdump_;
  Process proc_;
  std::unique_ptr<FlvReader> flv_;
  std::unique_ptr<LineReader> err_;
};

struct Scenario {
  std::string name;
  // argv of the publisher for these URLs (nginx first, then node-media-server).
  std::function<std::vector<std::string>(const std::vector<std::string>& urls)> publisher;
  PlayExpect expect;
  double publishSeconds = 14;
  double nginxPlaySeconds = 11;  // from before the publisher starts
  double nmsPlaySeconds = 8;     // from the join
  int64_t nmsJoinAfterMediaMs = 2000;
  bool cliPlayers = true;        // y4m through a pipe: off for 1080p60
  // Our LivePlayers on node-media-server (rtmp and http-flv) beside the one on nginx. Off for 1080p60: three
  // decoders of 1080p60 at once need more than the two cores CI has (2026-12-03: 1-10 pictures/s each).
  bool nmsPlayers = true;
  // Extra check of what the reference client received (e.g. the timestamps wrapped).
  std::function<void(const std::vector<FlvTag>&)> checkWire;
};

// Runs the scenario and adds a gtest failure per player that fails a check (numbers printed either way).
void runScenario(const Scenario& s);

}  // namespace openlive::test
