#include "transport/http_flv_reader.h"

#include "common/logging.h"

#include <httplib.h>

#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <condition_variable>
#include <cstring>
#include <mutex>
#include <thread>
#include <vector>

namespace openlive::transport {
namespace {

using Clock = std::chrono::steady_clock;
constexpr size_t kFlvHeaderBytes = 9;
constexpr int kHttpOk = 200;

struct HttpTarget {
  std::string scheme, host, port, path;  // host without brackets; path with its query
  std::string ip;                        // filled by the name lookup
  std::string origin() const {
    const bool v6 = host.find(':') != std::string::npos;
    return scheme + "://" + (v6 ? "[" + host + "]" : host) + ":" + port;
  }
};

bool splitUrl(const std::string& url, HttpTarget* t) {
  const auto s = url.find("://");
  if (s == std::string::npos) return false;
  t->scheme = url.substr(0, s);
  for (auto& c : t->scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (t->scheme != "http" && t->scheme != "https") return false;
  std::string rest = url.substr(s + 3);
  const auto pathAt = rest.find_first_of("/?#");
  t->path = pathAt == std::string::npos ? "/" : rest.substr(pathAt);
  if (t->path[0] != '/') t->path = "/" + t->path;
  if (auto hash = t->path.find('#'); hash != std::string::npos) t->path.resize(hash);
  rest = rest.substr(0, pathAt);
  if (auto at = rest.rfind('@'); at != std::string::npos) rest = rest.substr(at + 1);
  t->port = t->scheme == "https" ? "443" : "80";
  if (!rest.empty() && rest[0] == '[') {
    const auto e = rest.find(']');
    if (e == std::string::npos) return false;
    t->host = rest.substr(1, e - 1);
    if (e + 1 < rest.size() && rest[e + 1] == ':') t->port = rest.substr(e + 2);
  } else if (auto c = rest.rfind(':'); c != std::string::npos) {
    t->host = rest.substr(0, c);
    t->port = rest.substr(c + 1);
  } else {
    t->host = rest;
  }
  return !t->host.empty() && !t->port.empty();
}

// Name lookup (any family) on the caller's thread, so a DNS failure is told apart from a connection failure.
bool resolve(HttpTarget* t, std::string* err) {
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  if (int r = getaddrinfo(t->host.c_str(), t->port.c_str(), &hints, &res); r != 0) {
    *err = std::string("name lookup failed: ") + gai_strerror(r);
    return false;
  }
  char ip[NI_MAXHOST] = {0};
  const bool ok = getnameinfo(res->ai_addr, res->ai_addrlen, ip, sizeof ip, nullptr, 0, NI_NUMERICHOST) == 0;
  freeaddrinfo(res);
  if (!ok) {
    *err = "name lookup gave no usable address";
    return false;
  }
  t->ip = ip;
  return true;
}

HttpFlvFailure failureForStatus(int status) {
  if (status == 404) return HttpFlvFailure::NotFound;
  if (status == 401 || status == 403) return HttpFlvFailure::Refused;
  return HttpFlvFailure::HttpError;
}

}  // namespace

const char* toString(HttpFlvFailure f) {
  switch (f) {
    case HttpFlvFailure::None: return "none";
    case HttpFlvFailure::InvalidUrl: return "invalid-url";
    case HttpFlvFailure::Dns: return "dns";
    case HttpFlvFailure::Unreachable: return "unreachable";
    case HttpFlvFailure::Timeout: return "timeout";
    case HttpFlvFailure::NotFound: return "not-found";
    case HttpFlvFailure::Refused: return "refused";
    case HttpFlvFailure::HttpError: return "http-error";
    case HttpFlvFailure::EmptyBody: return "empty-body";
    case HttpFlvFailure::ReadError: return "read-error";
    case HttpFlvFailure::Cancelled: return "cancelled";
  }
  return "?";
}

// The request on its own thread and the body pipe between it and read().
struct HttpFlvReader::Worker {
  enum class Phase { Connecting, Streaming, Ended };

  std::mutex mu;
  std::condition_variable cv;
  Phase phase = Phase::Connecting;                  // guarded by mu
  HttpFlvFailure failure = HttpFlvFailure::None;    // guarded by mu: why it ended (None: a clean end)
  int httpStatus = 0;                               // guarded by mu
  std::string message;                              // guarded by mu
  std::vector<uint8_t> pipe = std::vector<uint8_t>(kPipeBytes);  // ring buffer, guarded by mu
  size_t head = 0, size = 0;                        // guarded by mu
  uint64_t bytes = 0;                               // guarded by mu: body bytes received
  std::string firstBytes;                           // guarded by mu: up to the FLV header
  int cancelFd = -1;                                // guarded by mu: dup() of httplib's socket
  bool stop = false;                                // guarded by mu: cancel() or close()
  Clock::time_point lastData;                       // worker thread only
  std::chrono::milliseconds ioTimeout{5000};        // immutable once started
  std::thread thread;

  bool headerSeen() const { return firstBytes.size() >= kFlvHeaderBytes && firstBytes.compare(0, 3, "FLV") == 0; }

  void requestStop() {
    std::lock_guard lk(mu);
    stop = true;
    if (cancelFd >= 0) ::shutdown(cancelFd, SHUT_RDWR);
    cv.notify_all();
  }

  void onSocket(int s) {
    int one = 1;
    setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    std::lock_guard lk(mu);
    if (cancelFd >= 0) ::close(cancelFd);  // a redirect: the previous connection is done
    cancelFd = ::dup(s);
    if (stop && cancelFd >= 0) ::shutdown(cancelFd, SHUT_RDWR);
  }

  bool onResponse(const httplib::Response& r) {
    std::lock_guard lk(mu);
    httpStatus = r.status;
    if (r.status == kHttpOk) {
      phase = Phase::Streaming;
      lastData = Clock::now();
    } else {
      failure = failureForStatus(r.status);
      message = "HTTP " + std::to_string(r.status) + (r.reason.empty() ? "" : " " + r.reason);
    }
    cv.notify_all();
    return r.status == kHttpOk;
  }

  // Overflow policy "block": waits for room in the pipe (or stop), so the backlog stays in TCP.
  bool onBody(const char* data, size_t n) {
    std::unique_lock lk(mu);
    while (n > 0) {
      cv.wait(lk, [&] { return stop || size < pipe.size(); });
      if (stop) return false;
      const size_t tail = (head + size) % pipe.size();
      const size_t run = std::min({n, pipe.size() - size, pipe.size() - tail});
      std::memcpy(pipe.data() + tail, data, run);
      if (firstBytes.size() < kFlvHeaderBytes)
        firstBytes.append(data, std::min(run, kFlvHeaderBytes - firstBytes.size()));
      size += run;
      bytes += run;
      data += run;
      n -= run;
      lastData = Clock::now();
      cv.notify_all();
    }
    return true;
  }

  // An orderly close by the server (FIN), as opposed to a reset or a timeout.
  bool peerClosed() {
    char c;
    return cancelFd >= 0 && ::recv(cancelFd, &c, 1, MSG_PEEK | MSG_DONTWAIT) == 0;
  }

  // Why the request ended, from httplib's error and what had happened. Called with mu held.
  void classifyEnd(httplib::Error err) {
    using E = httplib::Error;
    const bool body = phase == Phase::Streaming;
    const bool idle = Clock::now() - lastData >= ioTimeout - std::chrono::milliseconds(100);
    if (stop) {
      failure = HttpFlvFailure::Cancelled;
    } else if (err == E::Success || (err == E::Read && body && peerClosed())) {
      // The body ended (an unterminated chunked body closed by the server is the stream ending, too).
      failure = headerSeen() ? HttpFlvFailure::None : HttpFlvFailure::EmptyBody;
    } else if (err == E::Connection) {
      failure = HttpFlvFailure::Unreachable;
    } else if (err == E::ConnectionTimeout || (err == E::Read && idle)) {
      failure = HttpFlvFailure::Timeout;
    } else {
      failure = HttpFlvFailure::ReadError;
    }
    if (message.empty()) message = failure == HttpFlvFailure::EmptyBody
                                       ? "HTTP 200 but the body ended after " + std::to_string(bytes) +
                                             " bytes, before an FLV header"
                                       : std::string(toString(failure)) + " (" + httplib::to_string(err) + ")";
  }

  void run(const HttpTarget& t, std::chrono::milliseconds connectTimeout) {
    pthread_setname_np(pthread_self(), "ol-http-flv");
    sigset_t set;  // OpenSSL writes with plain write(): no SIGPIPE on this thread
    sigemptyset(&set);
    sigaddset(&set, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);

    {
      std::lock_guard lk(mu);
      lastData = Clock::now();  // the no-data clock starts with the request
    }
    httplib::Client cli(t.origin());
    cli.set_hostname_addr_map({{t.host, t.ip}});
    cli.set_connection_timeout(connectTimeout);
    cli.set_read_timeout(ioTimeout);
    cli.set_write_timeout(ioTimeout);
    cli.set_keep_alive(false);
    cli.set_follow_location(true);
    cli.set_socket_options([this](socket_t s) { onSocket(s); });
    httplib::Result res = cli.Get(
        t.path, [this](const httplib::Response& r) { return onResponse(r); },
        [this](const char* d, size_t n) { return onBody(d, n); });

    std::lock_guard lk(mu);
    if (phase != Phase::Ended && failure == HttpFlvFailure::None) classifyEnd(res.error());
    phase = Phase::Ended;
    if (cancelFd >= 0) ::close(cancelFd);
    cancelFd = -1;
    cv.notify_all();
  }
};

HttpFlvReader::HttpFlvReader(std::string url) : url_(std::move(url)) {}

HttpFlvReader::~HttpFlvReader() { close(); }

HttpFlvOpenResult HttpFlvReader::openStream(std::chrono::milliseconds timeout) {
  HttpFlvOpenResult r;
  auto fail = [&](HttpFlvFailure f, std::string msg) {
    r.failure = f;
    r.message = redactSecrets(msg);
    return r;
  };
  HttpTarget t;
  if (!splitUrl(url_, &t)) return fail(HttpFlvFailure::InvalidUrl, "not an http(s) URL");
  std::string err;
  if (!resolve(&t, &err)) return fail(HttpFlvFailure::Dns, err);
  server_ = (t.ip.find(':') != std::string::npos ? "[" + t.ip + "]" : t.ip) + ":" + t.port;
  if (cancelled_) return fail(HttpFlvFailure::Cancelled, "cancelled");

  close();
  auto w = std::make_shared<Worker>();
  w->ioTimeout = ioTimeout_;
  w->thread = std::thread([w, t, timeout] { w->run(t, timeout); });
  {
    std::lock_guard lk(workerMu_);
    worker_ = w;
    if (cancelled_) w->requestStop();  // cancel() ran before worker_ was set
  }

  // Until the FLV header arrived, the request ended, or the time is up. A 200 without an FLV header when the
  // time is up is still a success: some servers send the header with the first media, and bytes that are not
  // FLV are the parser's to report. A body that ends first is EmptyBody.
  std::unique_lock lk(w->mu);
  const bool settled = w->cv.wait_until(lk, Clock::now() + timeout, [&] {
    return w->stop || w->phase == Worker::Phase::Ended || w->headerSeen();
  });
  r.httpStatus = w->httpStatus;
  if (w->stop || cancelled_) return fail(HttpFlvFailure::Cancelled, "cancelled");
  if (!settled && w->phase == Worker::Phase::Connecting) {
    lk.unlock();
    w->requestStop();
    return fail(HttpFlvFailure::Timeout, "no response within " + std::to_string(timeout.count()) + " ms");
  }
  if (w->phase == Worker::Phase::Ended && w->failure != HttpFlvFailure::None)
    return fail(w->failure, w->message);
  return r;
}

HttpFlvReader::OpenFailure HttpFlvReader::open(std::chrono::milliseconds timeout, std::string* error) {
  const HttpFlvOpenResult r = openStream(timeout);
  if (error) *error = r.message;
  switch (r.failure) {
    case HttpFlvFailure::None:
    case HttpFlvFailure::EmptyBody: return OpenFailure::None;  // as before: read() then ends with Eof
    case HttpFlvFailure::InvalidUrl:  // as before
    case HttpFlvFailure::Dns: return OpenFailure::Dns;
    case HttpFlvFailure::NotFound:
    case HttpFlvFailure::Refused:
    case HttpFlvFailure::HttpError: return OpenFailure::Http;
    case HttpFlvFailure::Cancelled: return OpenFailure::Cancelled;
    default: return OpenFailure::Tcp;
  }
}

HttpFlvReader::Status HttpFlvReader::read(uint8_t* buf, size_t cap, size_t* got) {
  *got = 0;
  if (cancelled_) return Status::Cancelled;
  if (!worker_) return Status::Error;  // worker_ is only replaced on this (the I/O) thread
  Worker& w = *worker_;
  std::unique_lock lk(w.mu);
  w.cv.wait(lk, [&] { return w.size > 0 || w.phase == Worker::Phase::Ended || w.stop; });
  if (w.size > 0 && !w.stop) {
    const size_t n = std::min({cap, w.size, w.pipe.size() - w.head});
    std::memcpy(buf, w.pipe.data() + w.head, n);
    w.head = (w.head + n) % w.pipe.size();
    w.size -= n;
    *got = n;
    w.cv.notify_all();  // room for the worker
    return Status::Ok;
  }
  if (w.stop || cancelled_) return Status::Cancelled;
  switch (w.failure) {
    case HttpFlvFailure::None:
    case HttpFlvFailure::EmptyBody: return Status::Eof;
    case HttpFlvFailure::Timeout: return Status::Timeout;
    case HttpFlvFailure::Cancelled: return Status::Cancelled;
    default:
      OL_LOGD("play", "HTTP-FLV read failed: %s", w.message.c_str());
      return Status::Error;
  }
}

HttpFlvFailure HttpFlvReader::endFailure() const {
  if (!worker_) return cancelled_ ? HttpFlvFailure::Cancelled : HttpFlvFailure::None;
  std::lock_guard lk(worker_->mu);
  return worker_->phase == Worker::Phase::Ended ? worker_->failure : HttpFlvFailure::None;
}

void HttpFlvReader::cancel() {
  std::lock_guard lk(workerMu_);
  cancelled_ = true;
  if (worker_) worker_->requestStop();
}

void HttpFlvReader::close() {
  std::shared_ptr<Worker> w;
  {
    std::lock_guard lk(workerMu_);
    w = worker_;
  }
  if (!w) return;
  w->requestStop();
  if (w->thread.joinable()) w->thread.join();
}

uint64_t HttpFlvReader::bytesReceived() const {
  std::shared_ptr<Worker> w;
  {
    std::lock_guard lk(workerMu_);
    w = worker_;
  }
  if (!w) return 0;
  std::lock_guard lk(w->mu);
  return w->bytes;
}

}  // namespace openlive::transport
