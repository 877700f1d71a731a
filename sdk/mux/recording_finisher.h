// Owns the recordings a stop did not wait for (mux stage): their writer threads keep draining to a slow disk
// and finish their files in the background, so stopPush()/stopPlay() stay bounded. Process-wide, because a
// file may outlive the session (and the LivePusher/LivePlayer) that recorded it.
//
// Finished writers are joined on the next adopt() and by waitAll(). At process exit the finisher waits for the
// files still being finished (kExitDrain), then cuts them (the queue is dropped, the file closed at its last
// packet: a fragmented MP4 is playable up to its last fragment, an FLV up to its last tag) and waits
// kExitCut more; a writer stuck in the disk after that is left behind (logged).
#pragma once

#include "mux/local_recorder.h"

#include <chrono>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace openlive::detail {

class RecordingFinisher {
 public:
  static constexpr std::chrono::seconds kExitDrain{10};
  static constexpr std::chrono::seconds kExitCut{5};

  static RecordingFinisher& instance();

  // Takes a writer thread whose file is still being finished.
  void adopt(std::thread thread, std::shared_ptr<LocalRecorder::Writer> writer);
  // Waits until every adopted file is finished, at most `timeout`; true when none is left.
  bool waitAll(std::chrono::milliseconds timeout);
  // Cuts every adopted recording short (see LocalRecorder::Writer::cut) and waits at most `timeout`.
  bool cutAll(std::chrono::milliseconds timeout);
  size_t pending() const;  // adopted and not finished

  ~RecordingFinisher();

 private:
  RecordingFinisher() = default;
  struct Entry {
    std::thread thread;
    std::shared_ptr<LocalRecorder::Writer> writer;
  };
  std::vector<Entry> takeAll();
  void joinFinished();  // with mu_ held

  mutable std::mutex mu_;
  std::vector<Entry> entries_;  // guarded by mu_
};

}  // namespace openlive::detail
