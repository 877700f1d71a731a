// Shared by openlive-push and openlive-play: --snapshot PATH (taken --snapshot-after S seconds after the media
// started) and --record PATH [--record-slice S] (from the start of the media until the end of the run), through
// the SDK's public API only (captureVideoSnapshot / startLocalRecord / stopLocalRecord, events 1022 / 1029).
#pragma once

#include <openlive/result.h>
#include <openlive/types.h>

#include <CLI/CLI.hpp>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <optional>
#include <string>

namespace openlive::samples {

class FileOutputs {
 public:
  void addOptions(CLI::App& app) {
    app.add_option("--snapshot", snapshotPath_, "write one picture to PATH (.jpg or .png)");
    app.add_option("--snapshot-after", snapshotAfter_, "seconds after the start of the media (default 1)")
        ->check(CLI::NonNegativeNumber);
    app.add_option("--record", recordPath_, "record the stream to PATH (.mp4 or .flv) until the end of the run");
    app.add_option("--record-slice", recordSlice_, "start a new file every S seconds (0 = one file)")
        ->check(CLI::NonNegativeNumber);
  }

  // From the SDK's event callback.
  void onEvent(const Event& e) {
    if (e.code != EventCode::PUSH_EVT_LOCAL_RECORD_RESULT) return;
    std::lock_guard lk(mu_);
    ++results_;
    if (e.get(evt::kParam1) != "0") failed_ = true;
    cv_.notify_all();
  }

  // Called regularly from the CLI's main loop once the media runs (`since` = when it started). False (with a
  // message on stderr) when a request was refused: the CLI exits with status 2 (bad argument).
  template <class Sdk>
  bool tick(Sdk& sdk, std::chrono::steady_clock::time_point since) {
    const auto now = std::chrono::steady_clock::now();
    if (!recordPath_.empty() && !recording_) {
      recording_ = true;
      const Result r = sdk.startLocalRecord(recordPath_, std::chrono::seconds(static_cast<int64_t>(recordSlice_)));
      if (!r) return refused("--record", recordPath_, r);
    }
    if (!snapshotPath_.empty() && !snapshotTaken_ && now - since >= std::chrono::duration<double>(snapshotAfter_)) {
      snapshotTaken_ = true;
      const Result r = sdk.captureVideoSnapshot(snapshotPath_);
      if (!r) return refused("--snapshot", snapshotPath_, r);
    }
    return true;
  }

  // Before stopping: finishes the recording and waits (up to 3 s) for its result, so it is reported.
  template <class Sdk>
  void finish(Sdk& sdk) {
    if (!recording_) return;
    int before;
    {
      std::lock_guard lk(mu_);
      before = results_;
    }
    // Still recording: its last file's result comes. Ended by itself (the stream ended, an error): its result
    // is on its way, or was delivered.
    const bool active = sdk.isRecording();
    sdk.stopLocalRecord();
    std::unique_lock lk(mu_);
    cv_.wait_for(lk, std::chrono::seconds(3), [&] { return active ? results_ > before : results_ > 0; });
  }

  bool recordFailed() const {
    std::lock_guard lk(mu_);
    return failed_;
  }

 private:
  static bool refused(const char* option, const std::string& path, const Result& r) {
    std::fprintf(stderr, "%s %s: %s (%s)\n", option, path.c_str(), std::string(toString(r.code)).c_str(),
                 r.message.c_str());
    return false;
  }

  std::string snapshotPath_, recordPath_;
  double snapshotAfter_ = 1.0, recordSlice_ = 0;
  bool snapshotTaken_ = false, recording_ = false;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  int results_ = 0;
  bool failed_ = false;
};

}  // namespace openlive::samples
