// A listening TCP socket on an ephemeral 127.0.0.1 port, for the test servers in tests/faults and tests.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace openlive::test {

// Returns the listening descriptor (-1 on failure) and stores its port in *port.
inline int listenLoopback(int* port, int backlog = 16, int extraFlags = SOCK_CLOEXEC) {
  int fd = ::socket(AF_INET, SOCK_STREAM | extraFlags, 0);
  if (fd < 0) return -1;
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(fd, backlog) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
    ::close(fd);
    return -1;
  }
  *port = ntohs(a.sin_port);
  return fd;
}

// A loopback port nothing listens on (bound, read, closed).
inline int closedLoopbackPort() {
  int port = 0;
  int fd = listenLoopback(&port);
  if (fd >= 0) ::close(fd);
  return port;
}

}  // namespace openlive::test
