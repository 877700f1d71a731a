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
//   duration), onResult per finished file (ok, or the error that ended it).
#pragma once

#include "mux/file_muxer.h"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
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
  };
  struct Callbacks {
    std::function<void(const RecordResult&)> onResult;
    std::function<void(const std::string& path, int64_t durationMs)> onProgress;
  };

  // Checks the path (type, folder exists, file does not). 0 ok, -2 unusable path, -3 the file exists.
  static int checkPath(const std::string& path, std::string* why);
  // The path of slice `n` (1-based) of a recording to `path`.
  static std::string slicePath(const std::string& path, int n);

  LocalRecorder(Options options, Callbacks callbacks);  // starts the writer thread
  ~LocalRecorder();                                     // stop()
  LocalRecorder(const LocalRecorder&) = delete;
  LocalRecorder& operator=(const LocalRecorder&) = delete;

  // Never blocks on the disk. False once the recording has ended (stopped, or failed).
  bool push(RecPacket p);
  // Finishes the current file (trailer), reports its result, joins the writer. Idempotent.
  void stop();
  bool active() const;
  uint64_t packetsSkipped() const;  // before the start, or not monotonic

 private:
  void writerMain();
  bool openSlice(const RecPacket& first, std::string* err);
  void finishSlice(bool ok, const std::string& error);

  const Options opt_;
  const Callbacks cb_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<RecPacket> queue_;  // guarded by mu_
  size_t queuedBytes_ = 0;       // guarded by mu_
  bool stopping_ = false;        // guarded by mu_
  bool ended_ = false;           // guarded by mu_: stopped or failed, push() refuses
  bool overflowed_ = false;      // guarded by mu_
  uint64_t skipped_ = 0;         // guarded by mu_

  // Writer thread only.
  FileMuxer mux_;
  int sliceNo_ = 0;
  std::string slicePath_;
  std::shared_ptr<const RecVideoConfig> videoCfg_;
  std::shared_ptr<const RecAudioConfig> audioCfg_;
  int64_t sliceStartDts_ = 0;
  int64_t lastProgressMs_ = 0;
  bool newSliceAtNextKey_ = false;  // the audio configuration changed
  bool trackVideo_ = true, trackAudio_ = true;  // the file's tracks (decided at the first start with detectTracks)
  bool tracksDecided_ = false;
  int64_t firstSeenDts_ = INT64_MIN;

  std::thread thread_;
};

}  // namespace openlive::detail
