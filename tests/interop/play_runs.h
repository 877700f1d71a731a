// Our player, observed from outside: the openlive-play CLI as a child process (pictures counted on its y4m
// stdout as they arrive, --json events on stderr) and openlive::LivePlayer in this process (frame callbacks).
// Both fill a PlayRecord: every time in it is wall-clock ms since the Unix epoch, taken by this harness or from
// the events' EVT_TIME, never from anything our pusher wrote.
#pragma once

#include <openlive/live_player.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "fixtures/process.h"
#include "fixtures/temp_dir.h"
#include "interop/pipe_readers.h"

namespace openlive::test {

struct PlayEvent {
  int code = 0;
  int64_t timeMs = 0;  // EVT_TIME
  std::string msg, description, param1, param2;
};

struct PlayRecord {
  std::string label;     // "openlive-play http-flv nms", "LivePlayer rtmp nginx"
  int64_t startMs = 0;   // startPlay() / the CLI spawned
  int64_t endMs = 0;     // stopPlay() called / the CLI's --duration ended (or it exited before)
  std::vector<PlayEvent> events;
  std::vector<int64_t> pictures;  // each picture shown
  std::vector<int> pictureWidths;  // LivePlayer only (the CLI's y4m has one size)
  int width = 0, height = 0;       // first picture
  double audioSeconds = 0;         // PCM played
  int audioRate = 0, audioChannels = 0;
  std::optional<int> exitCode;     // CLI
  std::vector<nlohmann::json> netStatus;  // CLI: the net_status lines, in order, each with "_atMs" added
  std::string output;  // CLI: stderr (JSON lines and logs), for failure messages

  std::vector<int> codes() const;
  int indexOf(int code) const;     // first occurrence, -1 if none
  int count(int code) const;
  int64_t eventTime(int code) const;  // EVT_TIME of the first occurrence, -1 if none
  std::string eventsText() const;  // "2001@+12 2002@+30 ..." (ms after start) with warning/error messages
};

// openlive-play URL --video y4m:- --audio wav:<tmp> --json [--duration S] [extra...]
class CliPlay {
 public:
  CliPlay(std::string label, const std::string& url, double durationSeconds, std::vector<std::string> extraArgs = {});
  ~CliPlay();
  bool waitForEvent(int code, std::chrono::milliseconds timeout);
  // Waits for a line of its stderr (JSON and logs) containing `needle`.
  bool waitForOutput(const std::string& needle, std::chrono::milliseconds timeout);
  // Waits for the CLI to exit (kills it at the deadline) and returns what it did.
  PlayRecord finish(std::chrono::milliseconds timeout);
  Process& process() { return proc_; }

 private:
  std::string label_;
  double durationSeconds_ = 0;
  TempDir dir_{"ol-interop-cli"};
  std::string wav_;
  int64_t startMs_ = 0;
  Process proc_;
  Y4mReader pictures_;
  LineReader err_;
};

// LivePlayer with the default PlayConfig (cache auto 1-5 s, 3 retries) and headless outputs.
class ApiPlay {
 public:
  explicit ApiPlay(std::string label, PlayConfig config = defaultConfig());
  ~ApiPlay();
  static PlayConfig defaultConfig();
  openlive::Result start(const std::string& url);
  bool waitForEvent(int code, std::chrono::milliseconds timeout);
  // Waits up to `timeout` for one of `codes` (e.g. the end of the stream); false if none came.
  bool waitForAny(std::initializer_list<int> codes, std::chrono::milliseconds timeout);
  // Waits until `until` (wall ms) or a final event (2006, -2301, other errors), then stops.
  PlayRecord observeUntil(int64_t untilMs);
  PlayRecord stop();

 private:
  bool hasLocked(int code) const;
  struct State;
  std::string label_;
  int64_t startMs_ = 0;
  std::shared_ptr<State> st_;
  std::unique_ptr<LivePlayer> player_;
};

// A WAV file's duration (frames / rate), rate and channels. False if unreadable.
bool wavInfo(const std::string& path, double* seconds, int* rate, int* channels);

}  // namespace openlive::test
