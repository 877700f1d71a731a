#include "transport/tcp_connector.h"

#include "common/logging.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace openlive::transport {
namespace {

void setTimeouts(int fd, std::chrono::milliseconds io) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(io.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((io.count() % 1000) * 1000);
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

std::string addrText(const sockaddr* sa) {
  char ip[INET6_ADDRSTRLEN] = {0};
  int port = 0;
  if (sa->sa_family == AF_INET) {
    auto* in = reinterpret_cast<const sockaddr_in*>(sa);
    inet_ntop(AF_INET, &in->sin_addr, ip, sizeof ip);
    port = ntohs(in->sin_port);
    return std::string(ip) + ":" + std::to_string(port);
  }
  if (sa->sa_family == AF_INET6) {
    auto* in6 = reinterpret_cast<const sockaddr_in6*>(sa);
    inet_ntop(AF_INET6, &in6->sin6_addr, ip, sizeof ip);
    port = ntohs(in6->sin6_port);
    return "[" + std::string(ip) + "]:" + std::to_string(port);
  }
  return {};
}

}  // namespace

std::string peerAddress(int fd) {
  sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  if (getpeername(fd, reinterpret_cast<sockaddr*>(&ss), &len) != 0) return {};
  return addrText(reinterpret_cast<sockaddr*>(&ss));
}

namespace {

// getaddrinfo for any family; *err gets the message on failure.
addrinfo* resolve(const std::string& host, int port, std::string* err) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_ADDRCONFIG;
  addrinfo* list = nullptr;
  const std::string service = std::to_string(port);
  int rc = getaddrinfo(host.c_str(), service.c_str(), &hints, &list);
  if (rc == EAI_NONAME || rc == EAI_FAIL || rc == EAI_AGAIN || (rc != 0 && rc != EAI_SYSTEM)) {
    // AI_ADDRCONFIG hides loopback-only families on hosts without other interfaces: retry without it.
    hints.ai_flags = 0;
    rc = getaddrinfo(host.c_str(), service.c_str(), &hints, &list);
  }
  if (rc != 0) {
    *err = "cannot resolve '" + host + "': " + gai_strerror(rc);
    return nullptr;
  }
  return list;
}

enum class Attempt { Connected, Failed, TimedOut, Cancelled };

// One non-blocking connect, waited for together with `cancel`. On Connected *fd is the socket.
Attempt connectOne(const addrinfo* ai, std::chrono::milliseconds timeout, const CancelSignal& cancel, int* fd,
                   int* sysError, std::string* err) {
  const std::string target = addrText(ai->ai_addr);
  int s = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, ai->ai_protocol);
  if (s < 0) {
    *sysError = errno;
    *err = std::string("socket: ") + std::strerror(errno);
    return Attempt::Failed;
  }
  if (::connect(s, ai->ai_addr, ai->ai_addrlen) != 0 && errno != EINPROGRESS) {
    *sysError = errno;
    *err = "connect to " + target + " failed: " + std::strerror(errno);
    ::close(s);
    return Attempt::Failed;
  }
  switch (cancel.wait(s, POLLOUT, std::chrono::steady_clock::now() + timeout)) {
    case CancelSignal::Wait::Ready: break;
    case CancelSignal::Wait::Cancelled: ::close(s); return Attempt::Cancelled;
    case CancelSignal::Wait::TimedOut:
      *err = "connect to " + target + " timed out after " + std::to_string(timeout.count()) + " ms";
      ::close(s);
      return Attempt::TimedOut;
    case CancelSignal::Wait::Failed:
      *sysError = errno;
      *err = std::string("poll: ") + std::strerror(errno);
      ::close(s);
      return Attempt::Failed;
  }
  int soError = 0;
  socklen_t len = sizeof soError;
  getsockopt(s, SOL_SOCKET, SO_ERROR, &soError, &len);
  if (soError != 0) {
    *sysError = soError;
    *err = "connect to " + target + " failed: " + std::strerror(soError);
    ::close(s);
    return Attempt::Failed;
  }
  *fd = s;
  return Attempt::Connected;
}

}  // namespace

TcpConnectResult tcpConnect(const std::string& host, int port, std::chrono::milliseconds connectTimeout,
                            std::chrono::milliseconds ioTimeout, const CancelSignal& cancel) {
  TcpConnectResult r;
  addrinfo* list = resolve(host, port, &r.error);
  if (!list) {
    r.dnsFailed = true;
    return r;
  }
  std::string lastError = "no usable address for '" + host + "'";
  bool allTimedOut = true;
  for (addrinfo* ai = list; ai && !r.cancelled; ai = ai->ai_next) {
    int fd = -1;
    switch (connectOne(ai, connectTimeout, cancel, &fd, &r.sysError, &lastError)) {
      case Attempt::Connected: {
        int flags = fcntl(fd, F_GETFL, 0);
        fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
        setTimeouts(fd, ioTimeout);
        r.fd = fd;
        r.peer = addrText(ai->ai_addr);
        freeaddrinfo(list);
        return r;
      }
      case Attempt::Cancelled: r.cancelled = true; break;
      case Attempt::TimedOut: OL_LOGD("rtmp", "%s", lastError.c_str()); break;
      case Attempt::Failed:
        allTimedOut = false;
        OL_LOGD("rtmp", "%s", lastError.c_str());
        break;
    }
  }
  freeaddrinfo(list);
  r.error = r.cancelled ? "cancelled" : lastError;
  r.timedOut = !r.cancelled && allTimedOut;
  return r;
}

}  // namespace openlive::transport
