// The writer of one recording (LocalRecorder's implementation, mux stage): the queue it drains, the file it
// writes, and the thread body. Shared between the LocalRecorder, its thread and, when a stop hands an
// unfinished file over, the RecordingFinisher.
#pragma once

#include "mux/local_recorder.h"

#include <condition_variable>
#include <deque>

namespace openlive::detail {

struct LocalRecorder::Writer {
  Writer(Options options, Callbacks callbacks);

  // Thread body ("ol-record"): writes until stopped (everything queued is written) or cut.
  void run();
  // Ends the recording: the writer writes what is queued, then finishes the file.
  void requestStop();
  // Ends it now: what is still queued is dropped, the file is finished at the last packet written (a
  // fragmented MP4 is playable up to its last fragment).
  void cut();
  // Waits until the file is finished (the thread is about to return), at most until `deadline`.
  bool waitFinished(std::chrono::steady_clock::time_point deadline);
  bool finished() const;

  const Options opt;
  const Callbacks cb;
  const std::shared_ptr<RecordReportGate> gate;

  mutable std::mutex mu;
  std::condition_variable cv;       // queue, stop and cut -> writer
  std::condition_variable doneCv;   // finished -> waiters
  std::deque<RecPacket> queue;      // guarded by mu
  size_t queuedBytes = 0;           // guarded by mu
  bool stopping = false;            // guarded by mu
  bool cutting = false;             // guarded by mu
  bool ended = false;               // guarded by mu: stopped or failed, push() refuses
  bool overflowed = false;          // guarded by mu
  bool done = false;                // guarded by mu: the file is finished
  uint64_t skipped = 0;             // guarded by mu

 private:
  bool next(RecPacket* p);  // false when the writer is to finish
  void noteConfigs(const RecPacket& p);
  bool writePacket(const RecPacket& p);  // false when the recording failed (reported)
  bool openSlice(const RecPacket& first, std::string* err);
  void finishSlice(bool ok, const std::string& error);
  bool fail(const std::string& error);  // finishSlice(false, error), then false
  void report(const RecordResult& r);
  void markDone();

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
};

}  // namespace openlive::detail
