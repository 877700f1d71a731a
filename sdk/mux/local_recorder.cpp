#include "mux/local_recorder.h"

#include "common/logging.h"
#include "common/output_path.h"
#include "mux/local_recorder_writer.h"
#include "mux/recording_finisher.h"

#include <filesystem>

namespace openlive::detail {

void RecordReportGate::close() {
  std::lock_guard lk(mu_);
  open_ = false;
}

bool RecordReportGate::isOpen() const {
  std::lock_guard lk(mu_);
  return open_;
}

int LocalRecorder::checkPath(const std::string& path, std::string* why) {
  if (!path.empty() && recordFormatFor(path).empty()) {
    *why = "unsupported file type (use .mp4 or .flv): " + path;
    return -2;
  }
  return checkNewFilePath(path, why);
}

std::string LocalRecorder::slicePath(const std::string& path, int n) {
  if (n <= 1) return path;
  const std::filesystem::path p(path);
  std::filesystem::path out = p.parent_path() / (p.stem().string() + "_" + std::to_string(n) + p.extension().string());
  return out.string();
}

LocalRecorder::LocalRecorder(Options options, Callbacks callbacks) : ownGate_(!options.reportGate) {
  writer_ = std::make_shared<Writer>(std::move(options), std::move(callbacks));
  thread_ = std::thread([w = writer_] { w->run(); });
}

LocalRecorder::~LocalRecorder() {
  stopWithin(std::chrono::milliseconds(0));
  if (ownGate_) writer_->gate->close();  // the callbacks may die with our owner: no report after this
}

bool LocalRecorder::push(RecPacket p) {
  Writer& w = *writer_;
  bool accepted = true;
  {
    std::lock_guard lk(w.mu);
    if (w.ended) return false;
    if (w.queuedBytes + p.data.size() > w.opt.maxQueuedBytes) {
      w.ended = true;  // policy "fail-recording": the writer ends the file with an error
      w.overflowed = true;
      accepted = false;
    } else {
      w.queuedBytes += p.data.size();
      w.queue.push_back(std::move(p));
    }
  }
  w.cv.notify_one();
  return accepted;
}

void LocalRecorder::stop() {
  writer_->requestStop();
  if (thread_.joinable()) thread_.join();
}

bool LocalRecorder::stopWithin(std::chrono::milliseconds budget) {
  writer_->requestStop();
  if (!thread_.joinable()) return writer_->finished();
  if (writer_->waitFinished(std::chrono::steady_clock::now() + budget)) {
    thread_.join();  // returns at once: the file is finished
    return true;
  }
  RecordingFinisher::instance().adopt(std::move(thread_), writer_);
  return false;
}

bool LocalRecorder::active() const {
  std::lock_guard lk(writer_->mu);
  return !writer_->ended;
}

uint64_t LocalRecorder::packetsSkipped() const {
  std::lock_guard lk(writer_->mu);
  return writer_->skipped;
}

}  // namespace openlive::detail
