// Lines from a file descriptor (stdin, a FIFO) on a thread of its own, for openlive-mixer's layout updates.
// The read waits in poll() on the descriptor and an eventfd, so stop() ends it at once (no polling loop);
// lines are bounded (kMaxLine: a longer one is not kept; onLine gets an empty line in its place).
#pragma once

#include <functional>
#include <string>
#include <thread>

namespace openlive::mixer {

class LineReader {
 public:
  static constexpr size_t kMaxLine = 64 * 1024;
  // `onLine` runs on the reader's thread for each complete line (without its '\n'); `onEnd` once at end of
  // file or a read error (not after stop()).
  LineReader(int fd, std::function<void(const std::string&)> onLine, std::function<void()> onEnd = nullptr);
  ~LineReader();
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;
  void stop();

 private:
  void run();
  const int fd_;
  int wake_ = -1;  // eventfd
  std::function<void(const std::string&)> onLine_;
  std::function<void()> onEnd_;
  std::thread thread_;
};

}  // namespace openlive::mixer
