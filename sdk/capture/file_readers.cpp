#include "capture/file_readers.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <sstream>

namespace openlive::detail {

FdReader::~FdReader() {
  if (own_ && fd_ >= 0) ::close(fd_);
}

namespace {
// A live feed of large frames (720p Y4M: 1.4 MB) through a 64 KiB pipe makes writer and reader take turns for
// every frame; a larger pipe (best effort, up to the system's limit) lets the writer hand a frame over at once.
void widenPipe(int fd) {
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISFIFO(st.st_mode)) return;
  for (int size : {4 << 20, 1 << 20})
    if (::fcntl(fd, F_SETPIPE_SZ, size) >= 0) return;
}
}  // namespace

bool FdReader::open(const std::string& path, std::string* error) {
  if (path == "-") {
    fd_ = STDIN_FILENO;
    own_ = false;
  } else {
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) {
      if (error) *error = "cannot open " + path + ": " + std::strerror(errno);
      return false;
    }
    own_ = true;
  }
  widenPipe(fd_);
  return true;
}

size_t FdReader::readUpTo(void* buf, size_t n, const std::atomic<bool>& cancel) {
  auto* p = static_cast<uint8_t*>(buf);
  size_t done = 0;
  while (done < n) {
    if (cancel.load() || fd_ < 0) return done;
    pollfd pfd{fd_, POLLIN, 0};
    int pr = ::poll(&pfd, 1, 50);
    if (pr < 0 && errno != EINTR) return done;
    if (pr <= 0) continue;
    ssize_t got = ::read(fd_, p + done, n - done);
    if (got == 0) {
      eof_ = true;
      return done;
    }
    if (got < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      return done;
    }
    done += static_cast<size_t>(got);
  }
  return done;
}

bool FdReader::readLine(std::string& line, const std::atomic<bool>& cancel) {
  line.clear();
  char c;
  while (line.size() < 512) {
    if (!readExact(&c, 1, cancel)) return false;
    if (c == '\n') return true;
    line.push_back(c);
  }
  return false;
}

bool parseY4mHeader(const std::string& line, int* w, int* h, int* fpsNum, int* fpsDen, std::string* error) {
  std::istringstream ss(line);
  std::string tok;
  *w = *h = 0;
  *fpsNum = 25;
  *fpsDen = 1;
  while (ss >> tok) {
    switch (tok[0]) {
      case 'W': *w = std::atoi(tok.c_str() + 1); break;
      case 'H': *h = std::atoi(tok.c_str() + 1); break;
      case 'F': {
        int n = 0, d = 0;
        if (std::sscanf(tok.c_str() + 1, "%d:%d", &n, &d) == 2 && n > 0 && d > 0) {
          *fpsNum = n;
          *fpsDen = d;
        }
        break;
      }
      case 'I':
        if (tok != "Ip" && tok != "I?") {
          if (error) *error = "interlaced Y4M is not supported (" + tok + ")";
          return false;
        }
        break;
      case 'C':
        if (tok.rfind("C420", 0) != 0) {
          if (error) *error = "only 4:2:0 Y4M is supported (" + tok + ")";
          return false;
        }
        break;
      default: break;
    }
  }
  if (*w <= 0 || *h <= 0) {
    if (error) *error = "Y4M header without a size";
    return false;
  }
  return true;
}

bool Y4mReader::open(const std::string& path, std::string* error) {
  if (!in_.open(path, error)) return false;
  std::atomic<bool> never{false};
  std::string line;
  if (!in_.readLine(line, never) || line.rfind("YUV4MPEG2", 0) != 0) {
    if (error) *error = "not a YUV4MPEG2 stream: " + path;
    return false;
  }
  return parseY4mHeader(line.substr(9), &width_, &height_, &fpsNum_, &fpsDen_, error);
}

bool Y4mReader::readFrame(I420Image& out, const std::atomic<bool>& cancel) {
  std::string line;
  if (!in_.readLine(line, cancel) || line.rfind("FRAME", 0) != 0) return false;
  if (out.width != width_ || out.height != height_ || (width_ % 2)) {
    out.width = width_;
    out.height = height_;
    out.y.resize(static_cast<size_t>(width_) * height_);
    out.u.resize(static_cast<size_t>((width_ + 1) / 2) * ((height_ + 1) / 2));
    out.v.resize(out.u.size());
  }
  return in_.readExact(out.y.data(), out.y.size(), cancel) && in_.readExact(out.u.data(), out.u.size(), cancel) &&
         in_.readExact(out.v.data(), out.v.size(), cancel);
}

namespace {
uint32_t le32(const uint8_t* p) { return p[0] | (p[1] << 8) | (p[2] << 16) | (uint32_t(p[3]) << 24); }
uint16_t le16(const uint8_t* p) { return static_cast<uint16_t>(p[0] | (p[1] << 8)); }
}  // namespace

bool WavReader::open(const std::string& path, std::string* error) {
  if (!in_.open(path, error)) return false;
  std::atomic<bool> never{false};
  uint8_t hdr[12];
  if (!in_.readExact(hdr, 12, never) || std::memcmp(hdr, "RIFF", 4) != 0 || std::memcmp(hdr + 8, "WAVE", 4) != 0) {
    if (error) *error = "not a RIFF/WAVE stream: " + path;
    return false;
  }
  bool haveFmt = false;
  for (;;) {
    uint8_t ch[8];
    if (!in_.readExact(ch, 8, never)) {
      if (error) *error = "WAV without a data chunk";
      return false;
    }
    uint32_t size = le32(ch + 4);
    if (std::memcmp(ch, "fmt ", 4) == 0) {
      std::vector<uint8_t> fmt(size + (size & 1));
      if (size < 16 || !in_.readExact(fmt.data(), fmt.size(), never)) {
        if (error) *error = "bad WAV fmt chunk";
        return false;
      }
      uint16_t tag = le16(fmt.data());
      channels_ = le16(fmt.data() + 2);
      rate_ = static_cast<int>(le32(fmt.data() + 4));
      uint16_t bits = le16(fmt.data() + 14);
      bool pcm = tag == 1 || (tag == 0xFFFE && size >= 26 && le16(fmt.data() + 24) == 1);
      if (!pcm || bits != 16 || channels_ < 1 || channels_ > 8) {
        if (error) *error = "only 16-bit PCM WAV is supported";
        return false;
      }
      haveFmt = true;
    } else if (std::memcmp(ch, "data", 4) == 0) {
      if (!haveFmt) {
        if (error) *error = "WAV data before fmt";
        return false;
      }
      remaining_ = (size == 0 || size == 0xFFFFFFFFu) ? UINT64_MAX : size;
      return true;
    } else {
      std::vector<uint8_t> skip(size + (size & 1));
      if (!in_.readExact(skip.data(), skip.size(), never)) return false;
    }
  }
}

int WavReader::read(int frames, std::vector<int16_t>& out, const std::atomic<bool>& cancel) {
  const size_t frameBytes = static_cast<size_t>(channels_) * 2;
  uint64_t want = static_cast<uint64_t>(frames) * frameBytes;
  if (remaining_ != UINT64_MAX) want = std::min<uint64_t>(want, remaining_ - remaining_ % frameBytes);
  if (want == 0) return 0;
  size_t old = out.size();
  out.resize(old + want / 2);
  // Read what is there, frame-aligned; a short read at EOF keeps the whole frames it got.
  auto* dst = reinterpret_cast<uint8_t*>(out.data() + old);
  size_t got = in_.readUpTo(dst, want, cancel);
  got -= got % frameBytes;
  out.resize(old + got / 2);
  if (remaining_ != UINT64_MAX) remaining_ -= got;
  return static_cast<int>(got / frameBytes);
}

}  // namespace openlive::detail
