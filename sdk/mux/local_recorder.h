// Local recording (pusher: what is encoded; player: what is received), on a writer thread of its own
// ("ol-record") so disk stalls never hold up capture, encode or playback.
//
// - Starts at the first video IDR whose configuration is known (audio-only streams: the first audio frame);
//   earlier packets are skipped. The owner asks its encoder for an IDR (pusher) so that comes soon.
// - Slices: with `slice` > 0, a new file begins at the first IDR after the current one reached `slice` of
//   media; also whenever the video configuration changes (the pusher's resolution ladder, a new stream on
//   the player), since a track cannot change its SPS. Files: `path` first, then `<stem>_2.<ext>`,
//   `<stem>_3.<ext>`, ...
// - Queue between the caller and the writer: bounded (`maxQueuedBytes`, default 32 MiB). Overflow policy
//   "fail-recording": if the disk cannot keep up, the recording ends with an error result rather than
//   leaving a file with a hole in it or blocking the caller.
// - Reports (from the writer thread): onProgress about once per second of media written (the current file's
//   duration), onResult per finished file (ok, or the error that ended it). They go through a RecordReportGate:
//   a session closes its gate when it stops, so no report reaches it afterwards.
// - Stopping is bounded: stopWithin(budget) lets the writer finish the file in place for up to `budget`; past
//   it the writer keeps draining in the background, owned by the RecordingFinisher (recording_finisher.h),
//   which the process waits for at exit (and cuts at a deadline: fragmented MP4 stays playable). stop() is the
//   blocking form (tests, tools).
#pragma once

#include "mux/file_muxer.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace openlive::detail {

struct RecordResult {
  bool ok = true;
  std::string path;
  int64_t durationMs = 0;
  uint64_t bytes = 0;
  std::string error;  // when !ok
};

// Lets the owner of recordings cut off their reports: after close() returns, no report runs (a report in
// progress is waited for; reports are short: they post an event). Shared by a session and its recorders.
class RecordReportGate {
 public:
  void close();
  bool isOpen() const;
  template <class F>
  void deliver(F&& report) {
    std::lock_guard lk(mu_);
    if (open_) report();
  }

 private:
  mutable std::mutex mu_;
  bool open_ = true;  // guarded by mu_
};

class LocalRecorder {
 public:
  struct Options {
    std::string path;
    std::chrono::seconds slice{0};  // 0 = one file
    bool hasVideo = true, hasAudio = true;
    // Player: the tracks are not known up front. The file then has the tracks whose configurations arrived
    // with the packets: both as soon as both are known, or after 1 s of media those seen so far.
    bool detectTracks = false;
    // The audio configuration when known up front (pusher); otherwise audio packets carry it (player).
    std::shared_ptr<const RecAudioConfig> audioConfig;
    size_t maxQueuedBytes = 32u << 20;
    // Reports go through this gate (the session's, so a file finished after stopLocalRecord is still
    // reported). Null: the recorder's own, closed when the recorder is destroyed.
    std::shared_ptr<RecordReportGate> reportGate;
    // Test seam: called on the writer thread before each packet is written (e.g. to make the disk slow).
    std::function<void(const RecPacket&)> beforeWrite;
  };
  struct Callbacks {
    std::function<void(const RecordResult&)> onResult;
    std::function<void(const std::string& path, int64_t durationMs)> onProgress;
  };
  // How long a session's stop lets a file finish in place before handing it to the finisher.
  static constexpr std::chrono::milliseconds kStopBudget{100};

  // Checks the path (type, folder exists, file does not). 0 ok, -2 unusable path, -3 the file exists.
  static int checkPath(const std::string& path, std::string* why);
  // The path of slice `n` (1-based) of a recording to `path`.
  static std::string slicePath(const std::string& path, int n);

  LocalRecorder(Options options, Callbacks callbacks);  // starts the writer thread
  ~LocalRecorder();                                     // stopWithin(0): never waits for the disk
  LocalRecorder(const LocalRecorder&) = delete;
  LocalRecorder& operator=(const LocalRecorder&) = delete;

  // Never blocks on the disk. False once the recording has ended (stopped, or failed).
  bool push(RecPacket p);
  // Ends the recording and waits until the file is finished (trailer written, reported). Idempotent.
  void stop();
  // Ends the recording; waits at most `budget` for the file to be finished here, then leaves the rest to the
  // RecordingFinisher. Idempotent. Returns true when the file was finished within the budget.
  bool stopWithin(std::chrono::milliseconds budget);
  bool active() const;
  uint64_t packetsSkipped() const;  // before the start, or not monotonic

  struct Writer;  // local_recorder_writer.h

 private:
  std::shared_ptr<Writer> writer_;
  std::thread thread_;
  bool ownGate_ = false;  // the gate is the recorder's own: closed on destruction
};

}  // namespace openlive::detail
