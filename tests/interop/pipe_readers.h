// Readers for a child's stdout / stderr pipe, each on its own thread, stamping what arrives with the wall clock
// (ms since the Unix epoch, the clock of the SDK's EVT_TIME): text lines, a YUV4MPEG2 picture stream, and an FLV
// tag stream. Each reader stops at end of file (the child exited) or when it is destroyed (an eventfd wakes its
// poll), so a reader never outlives the test that made it.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "interop/flv_tags.h"

namespace openlive::test {

// Milliseconds since the Unix epoch (system clock), comparable with EVT_TIME.
int64_t wallMs();

// Reads a file descriptor (not owned) on a thread and hands each chunk to a consumer. Base of the readers.
class PipeReader {
 public:
  PipeReader() = default;
  virtual ~PipeReader();
  PipeReader(const PipeReader&) = delete;
  PipeReader& operator=(const PipeReader&) = delete;

  // Starts the thread on `fd` (a Process's stdoutFd()/stderrFd()). Call once.
  void start(int fd);
  // Stops the thread (idempotent); also done by the destructor of the derived reader.
  void stop();
  bool ended() const { return ended_; }  // end of file seen
  // Waits until `pred()` holds (checked under the reader's lock after every chunk) or the timeout passes.
  bool waitUntil(const std::function<bool()>& pred, std::chrono::milliseconds timeout);

 protected:
  // Called on the reader thread, under mu_, with each chunk and its arrival time.
  virtual void consume(const char* data, size_t n, int64_t atMs) = 0;
  mutable std::mutex mu_;

 private:
  void run(int fd);
  std::condition_variable cv_;
  std::thread thread_;
  int wakeFd_ = -1;
  std::atomic<bool> ended_{false};
};

struct StampedLine {
  int64_t atMs = 0;
  std::string text;
};

// Splits the stream into lines.
class LineReader final : public PipeReader {
 public:
  ~LineReader() override { stop(); }
  std::vector<StampedLine> lines() const;
  std::string text() const;  // everything, joined with '\n'
  // Waits for a line containing `needle`.
  bool waitForLine(const std::string& needle, std::chrono::milliseconds timeout);
  // Waits until `n` lines contain `needle`.
  bool waitForCount(const std::string& needle, size_t n, std::chrono::milliseconds timeout);
  // Number of lines containing `needle`.
  size_t count(const std::string& needle) const;

 protected:
  void consume(const char* data, size_t n, int64_t atMs) override;

 private:
  size_t countLocked(const std::string& needle) const;
  std::string partial_;
  std::vector<StampedLine> lines_;
};

// Counts YUV4MPEG2 pictures (as written by openlive-play --video y4m:-) and when each arrived.
class Y4mReader final : public PipeReader {
 public:
  ~Y4mReader() override { stop(); }
  std::vector<int64_t> pictureTimes() const;  // arrival of each complete picture, wall ms
  int width() const;
  int height() const;
  bool waitForPictures(size_t n, std::chrono::milliseconds timeout);

 protected:
  void consume(const char* data, size_t n, int64_t atMs) override;

 private:
  std::string header_;  // until the first '\n'
  bool headerDone_ = false;
  int width_ = 0, height_ = 0;
  size_t frameBytes_ = 0;
  std::string frameHeader_;  // "FRAME...\n" being read
  size_t payloadLeft_ = 0;
  std::vector<int64_t> times_;
};

// Parses an FLV byte stream (rtmpdump -o -, curl of an HTTP-FLV URL) into tags with their arrival times, and
// optionally copies the raw bytes into a file (for ffprobe afterwards).
class FlvReader final : public PipeReader {
 public:
  explicit FlvReader(std::string copyPath = "");
  ~FlvReader() override;
  std::vector<FlvTag> tags() const;
  bool waitForTags(const std::function<bool(const std::vector<FlvTag>&)>& pred, std::chrono::milliseconds timeout);
  bool headerSeen() const;

 protected:
  void consume(const char* data, size_t n, int64_t atMs) override;

 private:
  FlvTagParser parser_;
  std::vector<FlvTag> tags_;
  FILE* copy_ = nullptr;
};

}  // namespace openlive::test
