// HTTP-FLV byte source (transport stage): cpp-httplib's client on a thread of its own ("ol-http-flv"), the body
// handed to the reader through a bounded pipe. Feeds the FLV stream parser.
//
// - Typed failures: name lookup, TCP refused/unreachable, timeout, HTTP 404 (NotFound), 401/403 (Refused), any
//   other status (HttpError, with the status), and after a 200 a body that ends before an FLV header
//   (EmptyBody) — told apart from a stream that played and ended.
// - Waits, not polls: open() and read() wait on a condition variable; cancel() shuts the connection's socket
//   down from the calling thread (a dup() of it, so a number httplib has closed is never touched), which ends
//   httplib's connect, read or write at once.
// - Queue: the body pipe holds at most kPipeBytes; overflow policy "block" (the worker stops reading, so the
//   backlog stays in TCP and on the server, as a slow reader should see it).
//
// Threading: open(), read() and close() on one thread (the session's I/O thread); cancel() from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

namespace openlive::transport {

enum class HttpFlvFailure {
  None,
  InvalidUrl,   // not an http(s) URL
  Dns,          // name lookup failed
  Unreachable,  // TCP connect refused or the host unreachable
  Timeout,      // no connection, no response or no data within the time allowed
  NotFound,     // HTTP 404                                           -> player -2303
  Refused,      // HTTP 401 / 403                                     -> player -2308
  HttpError,    // any other status but 200 (httpStatus says which)
  EmptyBody,    // 200, then the body ended with no FLV header (0 bytes, or bytes that are not FLV)
  ReadError,    // the connection failed after the body started (reset, TLS error)
  Cancelled,
};
const char* toString(HttpFlvFailure f);

struct HttpFlvOpenResult {
  HttpFlvFailure failure = HttpFlvFailure::None;
  int httpStatus = 0;   // the response status when one arrived (200 on success)
  std::string message;  // readable reason, secrets redacted
  bool ok() const { return failure == HttpFlvFailure::None; }
};

class HttpFlvReader {
 public:
  enum class Status { Ok, Eof, Timeout, Error, Cancelled };
  // The coarse open classes the player used before HttpFlvFailure (kept until it switches to openStream()).
  enum class OpenFailure { None, Dns, Tcp, Http, Cancelled };
  static constexpr size_t kPipeBytes = 1u << 20;

  explicit HttpFlvReader(std::string url);
  ~HttpFlvReader();  // close()
  HttpFlvReader(const HttpFlvReader&) = delete;
  HttpFlvReader& operator=(const HttpFlvReader&) = delete;

  // Blocking open: name lookup, TCP connect, request, response status; returns once a 200 arrived (the body
  // may not have started yet) or on failure. The whole open is bounded by `timeout`.
  HttpFlvOpenResult openStream(std::chrono::milliseconds timeout);
  // The same, with the old coarse classes (Dns also for InvalidUrl; Http for statuses; Tcp for the rest; an
  // EmptyBody opens, and read() then ends with Eof, as before).
  OpenFailure open(std::chrono::milliseconds timeout, std::string* error);

  // Waits for body bytes (up to `cap`), the end of the body, or cancel. No data for the I/O timeout (5 s):
  // Timeout. After Eof, endFailure() tells a stream that ended (None) from an EmptyBody.
  Status read(uint8_t* buf, size_t cap, size_t* got);
  // Why the body ended (after read() returned anything but Ok): None for a clean end after the FLV header,
  // EmptyBody, Timeout, ReadError or Cancelled.
  HttpFlvFailure endFailure() const;

  void cancel();  // any thread, idempotent
  bool cancelled() const { return cancelled_; }
  void close();   // ends and joins the worker
  std::string serverAddress() const { return server_; }
  uint64_t bytesReceived() const;

  struct Worker;  // http_flv_reader.cpp

 private:
  std::string url_;
  std::string server_;  // "ip:port" after the name lookup
  std::atomic<bool> cancelled_{false};
  mutable std::mutex workerMu_;     // guards worker_ against cancel() / bytesReceived() from other threads
  std::shared_ptr<Worker> worker_;  // replaced by openStream() only (I/O thread)
  std::chrono::milliseconds ioTimeout_{5000};  // no data for this long: read fails (-> 3005, reconnect)
};

}  // namespace openlive::transport
