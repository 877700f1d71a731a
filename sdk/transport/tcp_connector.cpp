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

TcpConnectResult tcpConnect(const std::string& host, int port, std::chrono::milliseconds connectTimeout,
                            std::chrono::milliseconds ioTimeout, const std::atomic<bool>& cancel) {
  TcpConnectResult r;
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_ADDRCONFIG;
  addrinfo* list = nullptr;
  std::string service = std::to_string(port);
  // getaddrinfo cannot be interrupted; it is bounded by the resolver's own timeouts (resolv.conf).
  int rc = getaddrinfo(host.c_str(), service.c_str(), &hints, &list);
  if (rc == EAI_NONAME || rc == EAI_FAIL || rc == EAI_AGAIN || (rc != 0 && rc != EAI_SYSTEM)) {
    // AI_ADDRCONFIG hides loopback-only families on hosts without other interfaces: retry without it.
    hints.ai_flags = 0;
    rc = getaddrinfo(host.c_str(), service.c_str(), &hints, &list);
  }
  if (rc != 0) {
    r.dnsFailed = true;
    r.error = "cannot resolve '" + host + "': " + gai_strerror(rc);
    return r;
  }
  if (cancel.load()) {
    freeaddrinfo(list);
    r.cancelled = true;
    r.error = "cancelled";
    return r;
  }

  std::string lastError = "no usable address for '" + host + "'";
  for (addrinfo* ai = list; ai; ai = ai->ai_next) {
    int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, ai->ai_protocol);
    if (fd < 0) {
      lastError = std::string("socket: ") + std::strerror(errno);
      continue;
    }
    std::string target = addrText(ai->ai_addr);
    int c = ::connect(fd, ai->ai_addr, ai->ai_addrlen);
    if (c != 0 && errno != EINPROGRESS) {
      lastError = "connect to " + target + " failed: " + std::strerror(errno);
      ::close(fd);
      continue;
    }
    bool connected = c == 0;
    auto deadline = std::chrono::steady_clock::now() + connectTimeout;
    while (!connected) {
      if (cancel.load()) break;
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) {
        lastError = "connect to " + target + " timed out after " + std::to_string(connectTimeout.count()) + " ms";
        break;
      }
      pollfd p{fd, POLLOUT, 0};
      int n = ::poll(&p, 1, static_cast<int>(std::min<long>(left.count(), 20)));
      if (n < 0 && errno != EINTR) {
        lastError = std::string("poll: ") + std::strerror(errno);
        break;
      }
      if (n > 0) {
        int err = 0;
        socklen_t len = sizeof err;
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
        if (err != 0) {
          lastError = "connect to " + target + " failed: " + std::strerror(err);
          break;
        }
        connected = true;
      }
    }
    if (!connected) {
      ::close(fd);
      if (cancel.load()) {
        r.cancelled = true;
        r.error = "cancelled";
        freeaddrinfo(list);
        return r;
      }
      OL_LOGD("rtmp", "%s", lastError.c_str());
      continue;
    }
    int flags = fcntl(fd, F_GETFL, 0);
    fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
    setTimeouts(fd, ioTimeout);
    r.fd = fd;
    r.peer = target;
    freeaddrinfo(list);
    return r;
  }
  freeaddrinfo(list);
  r.error = lastError;
  return r;
}

}  // namespace openlive::transport
