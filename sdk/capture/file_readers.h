// Y4M video and WAV audio readers, from a file or stdin ("-"). Reads poll the descriptor in short slices so a
// stop request is honoured within ~50 ms even when a pipe is silent.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "common/picture.h"

namespace openlive::detail {

// Blocking reads with cancellation, on a file path or "-" (stdin).
class FdReader {
 public:
  FdReader() = default;
  ~FdReader();
  FdReader(const FdReader&) = delete;
  FdReader& operator=(const FdReader&) = delete;
  bool open(const std::string& path, std::string* error);
  // Reads exactly n bytes; false on EOF, error or cancel.
  bool readExact(void* buf, size_t n, const std::atomic<bool>& cancel) { return readUpTo(buf, n, cancel) == n; }
  // Reads until n bytes, EOF, error or cancel; returns the bytes read.
  size_t readUpTo(void* buf, size_t n, const std::atomic<bool>& cancel);
  // Reads up to and excluding '\n' (max 512 bytes).
  bool readLine(std::string& line, const std::atomic<bool>& cancel);
  bool eof() const { return eof_; }

 private:
  int fd_ = -1;
  bool own_ = false;
  bool eof_ = false;
};

// YUV4MPEG2, 4:2:0 only (C420, C420jpeg, C420paldv, C420mpeg2, or no C tag), progressive.
class Y4mReader {
 public:
  bool open(const std::string& path, std::string* error);
  bool readFrame(I420Image& out, const std::atomic<bool>& cancel);  // false at EOF / error / cancel
  int width() const { return width_; }
  int height() const { return height_; }
  double fps() const { return fpsDen_ ? static_cast<double>(fpsNum_) / fpsDen_ : 25.0; }
  int fpsNum() const { return fpsNum_; }
  int fpsDen() const { return fpsDen_; }

 private:
  FdReader in_;
  int width_ = 0, height_ = 0, fpsNum_ = 25, fpsDen_ = 1;
};

// RIFF WAVE, PCM s16le (format 1 or WAVE_FORMAT_EXTENSIBLE with PCM), 1..8 channels. Streaming-friendly: a data
// size of 0 or 0xFFFFFFFF (as written to pipes) means "until EOF".
class WavReader {
 public:
  bool open(const std::string& path, std::string* error);
  // Appends up to `frames` sample frames (interleaved s16); returns frames read, 0 at EOF / cancel.
  int read(int frames, std::vector<int16_t>& out, const std::atomic<bool>& cancel);
  int sampleRate() const { return rate_; }
  int channels() const { return channels_; }

 private:
  FdReader in_;
  int rate_ = 0, channels_ = 0;
  uint64_t remaining_ = 0;  // bytes of PCM left; UINT64_MAX = until EOF
};

// Parses a Y4M stream header line (after "YUV4MPEG2 "). Exposed for unit tests.
bool parseY4mHeader(const std::string& line, int* w, int* h, int* fpsNum, int* fpsDen, std::string* error);

}  // namespace openlive::detail
