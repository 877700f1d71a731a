// A test helper for "callbacks keep their promises": an app whose video callback is slow (e.g. 200 ms per
// frame) plays a live stream, the server dies for good, and the app must still get the final -2301 with the
// process memory bounded (decoded frames waiting for the slow callback are dropped, oldest first, not
// accumulated). Used by test_callback_promises.cpp; the player and pusher tests can reuse it.
#pragma once

#include "fixtures/servers.h"
#include "test_player_util.h"

#include <openlive/live_player.h>

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <thread>

namespace openlive::test {

// Resident set size of this process in MiB (/proc/self/statm).
inline long residentMiB() {
  long pages = 0, resident = 0;
  std::ifstream("/proc/self/statm") >> pages >> resident;
  return resident * ::sysconf(_SC_PAGESIZE) / (1024 * 1024);
}

struct SlowAppRun {
  bool began = false;         // 2004 arrived
  bool finalEvent = false;    // -2301 arrived after the kill
  int videoCallbacks = 0;     // how many frames the slow callback saw
  long rssAtBeginMiB = 0;     // when 2004 arrived
  long rssBeforeKillMiB = 0;  // after `playFor` of slow playback
  long rssPeakMiB = 0;        // highest RSS seen until -2301 (sampled each callback)
  std::string events;         // EventLog::dump()
};

// Plays `url` with `config` and a video callback that takes `perFrame` (it sleeps: it *is* the slow app), lets
// it run `playFor` after 2004, kills `server` for good and waits up to `finalWithin` for -2301.
inline SlowAppRun runSlowVideoApp(MediaServer& server, const std::string& url, PlayConfig config,
                                  std::chrono::milliseconds perFrame, std::chrono::milliseconds playFor,
                                  std::chrono::milliseconds finalWithin) {
  SlowAppRun run;
  std::atomic<int> frames{0};
  std::atomic<long> peak{0};
  EventLog log;  // declared before the player: its callbacks use it until the player is destroyed
  {
    LivePlayer player(config);
    log.attach(player);
    player.setVideoFrameCallback([&](const VideoFrame&) {
      ++frames;
      long rss = residentMiB();
      for (long p = peak.load(); rss > p && !peak.compare_exchange_weak(p, rss);) {
      }
      std::this_thread::sleep_for(perFrame);  // scenario: the slow app
    });
    if (!player.start(url)) return run;
    run.began = log.waitFor(toInt(EventCode::PLAY_EVT_PLAY_BEGIN), std::chrono::seconds(15));
    if (run.began) {
      run.rssAtBeginMiB = residentMiB();
      log.waitFor(toInt(EventCode::PLAY_EVT_PLAY_PROGRESS), playFor, 1 << 20);  // plays on for `playFor`
      run.rssBeforeKillMiB = residentMiB();
      server.kill();
      run.finalEvent = log.waitFor(toInt(EventCode::PLAY_ERR_NET_DISCONNECT), finalWithin);
    }
    player.stop();
  }
  run.videoCallbacks = frames;
  run.rssPeakMiB = std::max(peak.load(), residentMiB());
  run.events = log.dump();
  return run;
}

}  // namespace openlive::test
