#include "interop/pipe_readers.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace openlive::test {

int64_t wallMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

PipeReader::~PipeReader() { stop(); }

void PipeReader::start(int fd) {
  wakeFd_ = ::eventfd(0, EFD_CLOEXEC);
  thread_ = std::thread([this, fd] { run(fd); });
}

void PipeReader::stop() {
  if (!thread_.joinable()) return;
  uint64_t one = 1;
  [[maybe_unused]] auto w = ::write(wakeFd_, &one, sizeof one);
  thread_.join();
  ::close(wakeFd_);
  wakeFd_ = -1;
}

void PipeReader::run(int fd) {
  std::vector<char> buf(1 << 20);
  for (;;) {
    pollfd fds[2] = {{fd, POLLIN, 0}, {wakeFd_, POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (fds[1].revents) break;  // stop() asked
    ssize_t n = ::read(fd, buf.data(), buf.size());
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n <= 0) break;  // end of file: the child closed its end
    {
      std::lock_guard lk(mu_);
      consume(buf.data(), size_t(n), wallMs());
    }
    cv_.notify_all();
  }
  {
    std::lock_guard lk(mu_);
    ended_ = true;
  }
  cv_.notify_all();
}

bool PipeReader::waitUntil(const std::function<bool()>& pred, std::chrono::milliseconds timeout) {
  std::unique_lock lk(mu_);
  return cv_.wait_for(lk, timeout, [&] { return pred() || ended_; }) && pred();
}

// ---- LineReader

void LineReader::consume(const char* data, size_t n, int64_t atMs) {
  partial_.append(data, n);
  size_t start = 0;
  for (size_t nl; (nl = partial_.find('\n', start)) != std::string::npos; start = nl + 1)
    lines_.push_back({atMs, partial_.substr(start, nl - start)});
  partial_.erase(0, start);
}

std::vector<StampedLine> LineReader::lines() const {
  std::lock_guard lk(mu_);
  return lines_;
}

std::string LineReader::text() const {
  std::lock_guard lk(mu_);
  std::string s;
  for (const auto& l : lines_) s += l.text + "\n";
  return s + partial_;
}

size_t LineReader::countLocked(const std::string& needle) const {
  size_t c = 0;
  for (const auto& l : lines_)
    if (l.text.find(needle) != std::string::npos) ++c;
  return c;
}

size_t LineReader::count(const std::string& needle) const {
  std::lock_guard lk(mu_);
  return countLocked(needle);
}

bool LineReader::waitForCount(const std::string& needle, size_t n, std::chrono::milliseconds timeout) {
  return waitUntil([&] { return countLocked(needle) >= n; }, timeout);
}

bool LineReader::waitForLine(const std::string& needle, std::chrono::milliseconds timeout) {
  return waitUntil([&] { return countLocked(needle) > 0; }, timeout);
}

// ---- Y4mReader

void Y4mReader::consume(const char* data, size_t n, int64_t atMs) {
  size_t i = 0;
  while (i < n) {
    if (!headerDone_) {
      const char c = data[i++];
      if (c != '\n') {
        header_ += c;
        continue;
      }
      headerDone_ = true;
      std::sscanf(header_.c_str(), "YUV4MPEG2 W%d H%d", &width_, &height_);
      frameBytes_ = size_t(width_) * height_ + 2 * size_t((width_ + 1) / 2) * ((height_ + 1) / 2);
      continue;
    }
    if (payloadLeft_ == 0) {  // reading "FRAME...\n"
      const char c = data[i++];
      if (c != '\n') {
        frameHeader_ += c;
        continue;
      }
      frameHeader_.clear();
      payloadLeft_ = frameBytes_;
      if (payloadLeft_ == 0) return;  // bad header: nothing sensible to count
      continue;
    }
    const size_t take = std::min(payloadLeft_, n - i);
    payloadLeft_ -= take;
    i += take;
    if (payloadLeft_ == 0) times_.push_back(atMs);
  }
}

std::vector<int64_t> Y4mReader::pictureTimes() const {
  std::lock_guard lk(mu_);
  return times_;
}

int Y4mReader::width() const {
  std::lock_guard lk(mu_);
  return width_;
}

int Y4mReader::height() const {
  std::lock_guard lk(mu_);
  return height_;
}

bool Y4mReader::waitForPictures(size_t n, std::chrono::milliseconds timeout) {
  return waitUntil([&] { return times_.size() >= n; }, timeout);
}

// ---- FlvReader

FlvReader::FlvReader(std::string copyPath) {
  if (!copyPath.empty()) copy_ = std::fopen(copyPath.c_str(), "wb");
}

FlvReader::~FlvReader() {
  stop();
  if (copy_) std::fclose(copy_);
}

void FlvReader::consume(const char* data, size_t n, int64_t atMs) {
  if (copy_) std::fwrite(data, 1, n, copy_);
  parser_.feed(data, n, atMs, &tags_);
}

std::vector<FlvTag> FlvReader::tags() const {
  std::lock_guard lk(mu_);
  return tags_;
}

bool FlvReader::headerSeen() const {
  std::lock_guard lk(mu_);
  return parser_.headerSeen();
}

bool FlvReader::waitForTags(const std::function<bool(const std::vector<FlvTag>&)>& pred,
                            std::chrono::milliseconds timeout) {
  return waitUntil([&] { return pred(tags_); }, timeout);
}

}  // namespace openlive::test
