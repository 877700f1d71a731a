#include "mixer/line_reader.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>

namespace openlive::mixer {

LineReader::LineReader(int fd, std::function<void(const std::string&)> onLine, std::function<void()> onEnd)
    : fd_(fd), wake_(eventfd(0, EFD_CLOEXEC)), onLine_(std::move(onLine)), onEnd_(std::move(onEnd)) {
  thread_ = std::thread([this] { run(); });
}

LineReader::~LineReader() {
  stop();
  if (wake_ >= 0) close(wake_);
}

void LineReader::stop() {
  if (wake_ >= 0) {
    const uint64_t one = 1;
    [[maybe_unused]] auto n = write(wake_, &one, sizeof one);
  }
  if (thread_.joinable()) thread_.join();
}

void LineReader::run() {
  std::string line;
  bool overlong = false;
  char buf[4096];
  for (;;) {
    pollfd fds[2] = {{fd_, POLLIN, 0}, {wake_, POLLIN, 0}};
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (fds[1].revents) return;  // stop()
    const ssize_t n = read(fd_, buf, sizeof buf);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n <= 0) break;
    for (ssize_t i = 0; i < n; ++i) {
      if (buf[i] != '\n') {
        if (line.size() < kMaxLine) line += buf[i];
        else overlong = true;
        continue;
      }
      onLine_(overlong ? std::string() : line);
      line.clear();
      overlong = false;
    }
  }
  if (onEnd_) onEnd_();
}

}  // namespace openlive::mixer
