// HTTP-FLV byte source (transport stage): libavformat's HTTP client (avio) with an interrupt callback, so a
// blocked connect or read returns promptly after cancel() from any thread. Feeds the FLV stream parser.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

struct AVIOContext;

namespace openlive::transport {

class HttpFlvReader {
 public:
  enum class Status { Ok, Eof, Timeout, Error, Cancelled };
  enum class OpenFailure { None, Dns, Tcp, Http, Cancelled };

  explicit HttpFlvReader(std::string url) : url_(std::move(url)) {}
  ~HttpFlvReader();
  HttpFlvReader(const HttpFlvReader&) = delete;
  HttpFlvReader& operator=(const HttpFlvReader&) = delete;

  // Blocking open (name lookup, TCP connect, HTTP request). `error` gets a readable reason on failure.
  OpenFailure open(std::chrono::milliseconds timeout, std::string* error);
  // Reads what is available (up to `cap` bytes); blocks up to the I/O timeout.
  Status read(uint8_t* buf, size_t cap, size_t* got);
  void cancel() { cancelled_ = true; }
  bool cancelled() const { return cancelled_; }
  void close();
  std::string serverAddress() const { return server_; }
  uint64_t bytesReceived() const { return bytes_; }

 private:
  static int interruptCb(void* opaque);
  std::string url_;
  AVIOContext* io_ = nullptr;
  std::atomic<bool> cancelled_{false};
  std::atomic<int64_t> deadlineMs_{0};  // steady ms; 0 = none
  std::string server_;
  uint64_t bytes_ = 0;
  std::chrono::milliseconds ioTimeout_{5000};  // no data for this long: read fails (-> 3005, reconnect)
};

}  // namespace openlive::transport
