#include "mux/recording_finisher.h"

#include "common/logging.h"
#include "mux/local_recorder_writer.h"

namespace openlive::detail {

RecordingFinisher& RecordingFinisher::instance() {
  static RecordingFinisher finisher;  // destroyed at exit, after it waited for the files (see ~RecordingFinisher)
  return finisher;
}

void RecordingFinisher::joinFinished() {
  for (auto it = entries_.begin(); it != entries_.end();) {
    if (it->writer->finished()) {
      it->thread.join();  // returns at once: the writer has finished its file
      it = entries_.erase(it);
    } else {
      ++it;
    }
  }
}

void RecordingFinisher::adopt(std::thread thread, std::shared_ptr<LocalRecorder::Writer> writer) {
  std::lock_guard lk(mu_);
  joinFinished();
  OL_LOGI("record", "%s is finished in the background (the disk is slow)", writer->opt.path.c_str());
  entries_.push_back(Entry{std::move(thread), std::move(writer)});
}

std::vector<RecordingFinisher::Entry> RecordingFinisher::takeAll() {
  std::lock_guard lk(mu_);
  std::vector<Entry> all;
  all.swap(entries_);
  return all;
}

bool RecordingFinisher::waitAll(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::vector<Entry> all = takeAll();  // waited for outside mu_, so adopt() never waits on a disk
  bool allDone = true;
  for (Entry& e : all) allDone = e.writer->waitFinished(deadline) && allDone;
  std::lock_guard lk(mu_);
  for (Entry& e : all) entries_.push_back(std::move(e));
  joinFinished();
  return allDone;
}

bool RecordingFinisher::cutAll(std::chrono::milliseconds timeout) {
  {
    std::lock_guard lk(mu_);
    for (Entry& e : entries_) e.writer->cut();
  }
  return waitAll(timeout);
}

size_t RecordingFinisher::pending() const {
  std::lock_guard lk(mu_);
  size_t n = 0;
  for (const Entry& e : entries_) n += e.writer->finished() ? 0 : 1;
  return n;
}

RecordingFinisher::~RecordingFinisher() {
  if (pending() == 0) {
    waitAll(std::chrono::milliseconds(0));
    return;
  }
  if (!waitAll(kExitDrain) && !cutAll(kExitCut)) {
    std::lock_guard lk(mu_);
    for (Entry& e : entries_) {
      OL_LOGE("record", "%s: the disk did not take the end of the recording; left unfinished", e.writer->opt.path.c_str());
      e.thread.detach();  // process exit: the thread goes with the process
    }
    entries_.clear();
  }
}

}  // namespace openlive::detail
