#include "transport/http_flv_reader.h"

#include "common/logging.h"

extern "C" {
#include <libavformat/avformat.h>
#include <libavformat/avio.h>
#include <libavutil/dict.h>
}

#include <netdb.h>
#include <sys/socket.h>

#include <cstring>

namespace openlive::transport {

namespace {
int64_t steadyMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// host and port of an http(s) URL
bool splitHost(const std::string& url, std::string& host, std::string& port) {
  auto s = url.find("://");
  if (s == std::string::npos) return false;
  std::string scheme = url.substr(0, s);
  std::string rest = url.substr(s + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (auto at = rest.rfind('@'); at != std::string::npos) rest = rest.substr(at + 1);
  port = scheme == "https" ? "443" : "80";
  if (!rest.empty() && rest[0] == '[') {
    auto e = rest.find(']');
    if (e == std::string::npos) return false;
    host = rest.substr(1, e - 1);
    if (e + 1 < rest.size() && rest[e + 1] == ':') port = rest.substr(e + 2);
  } else if (auto c = rest.rfind(':'); c != std::string::npos) {
    host = rest.substr(0, c);
    port = rest.substr(c + 1);
  } else {
    host = rest;
  }
  return !host.empty();
}
}  // namespace

HttpFlvReader::~HttpFlvReader() { close(); }

int HttpFlvReader::interruptCb(void* opaque) {
  auto* self = static_cast<HttpFlvReader*>(opaque);
  if (self->cancelled_) return 1;
  int64_t d = self->deadlineMs_;
  return d != 0 && steadyMs() > d ? 1 : 0;
}

HttpFlvReader::OpenFailure HttpFlvReader::open(std::chrono::milliseconds timeout, std::string* error) {
  std::string host, port;
  if (!splitHost(url_, host, port)) {
    if (error) *error = "not an http(s) URL";
    return OpenFailure::Dns;
  }
  // Name lookup first (any family), so DNS failures are told apart from connection failures.
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  if (int r = getaddrinfo(host.c_str(), port.c_str(), &hints, &res); r != 0) {
    if (error) *error = std::string("name lookup failed: ") + gai_strerror(r);
    return OpenFailure::Dns;
  }
  char ip[NI_MAXHOST] = {0};
  if (getnameinfo(res->ai_addr, res->ai_addrlen, ip, sizeof ip, nullptr, 0, NI_NUMERICHOST) == 0)
    server_ = std::string(ip) + ":" + port;
  freeaddrinfo(res);
  if (cancelled_) return OpenFailure::Cancelled;

  AVIOInterruptCB icb{&HttpFlvReader::interruptCb, this};
  AVDictionary* opts = nullptr;
  av_dict_set(&opts, "rw_timeout", std::to_string(ioTimeout_.count() * 1000).c_str(), 0);
  av_dict_set(&opts, "timeout", std::to_string(timeout.count() * 1000).c_str(), 0);
  av_dict_set(&opts, "reconnect", "0", 0);
  av_dict_set(&opts, "multiple_requests", "0", 0);
  deadlineMs_ = steadyMs() + timeout.count();
  int r = avio_open2(&io_, url_.c_str(), AVIO_FLAG_READ, &icb, &opts);
  av_dict_free(&opts);
  deadlineMs_ = 0;
  if (r < 0) {
    io_ = nullptr;
    char buf[AV_ERROR_MAX_STRING_SIZE] = {0};
    av_strerror(r, buf, sizeof buf);
    if (error) *error = buf;
    if (cancelled_) return OpenFailure::Cancelled;
    if (r == AVERROR_HTTP_NOT_FOUND || r == AVERROR_HTTP_FORBIDDEN || r == AVERROR_HTTP_BAD_REQUEST ||
        r == AVERROR_HTTP_UNAUTHORIZED || r == AVERROR_HTTP_OTHER_4XX || r == AVERROR_HTTP_SERVER_ERROR)
      return OpenFailure::Http;
    return OpenFailure::Tcp;
  }
  return OpenFailure::None;
}

HttpFlvReader::Status HttpFlvReader::read(uint8_t* buf, size_t cap, size_t* got) {
  *got = 0;
  if (cancelled_) return Status::Cancelled;
  if (!io_) return Status::Error;
  int n = avio_read_partial(io_, buf, static_cast<int>(cap));
  if (n > 0) {
    *got = size_t(n);
    bytes_ += size_t(n);
    return Status::Ok;
  }
  if (cancelled_) return Status::Cancelled;
  if (n == 0 || n == AVERROR_EOF) return Status::Eof;
  // FFmpeg's HTTP client reports a clean close of a body of unknown length ("Stream ends prematurely") as
  // EIO; after data has flowed that is the server ending the stream (resets come back as ECONNRESET).
  if (n == AVERROR(EIO) && bytes_ > 0) return Status::Eof;
  if (n == AVERROR(ETIMEDOUT)) return Status::Timeout;
  char err[AV_ERROR_MAX_STRING_SIZE] = {0};
  av_strerror(n, err, sizeof err);
  OL_LOGD("play", "HTTP-FLV read failed: %s (%d)", err, n);
  return Status::Error;
}

void HttpFlvReader::close() {
  if (io_) avio_closep(&io_);
}

}  // namespace openlive::transport
