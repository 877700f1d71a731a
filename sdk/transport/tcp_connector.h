// Name lookup and TCP connect with a deadline and cancellation (what librtmp's RTMP_Connect0 lacks).
#pragma once

#include "transport/cancel_signal.h"

#include <chrono>
#include <string>

namespace openlive::transport {

struct TcpConnectResult {
  int fd = -1;                 // connected, blocking socket with the I/O timeouts applied; -1 on failure
  bool dnsFailed = false;      // getaddrinfo failed (-> 3001)
  bool timedOut = false;       // no address answered within the deadline (otherwise: refused / unreachable)
  int sysError = 0;            // errno of the last failed connect (ECONNREFUSED, EHOSTUNREACH, ...), 0 if none
  bool cancelled = false;
  std::string peer;            // "ip:port" on success
  std::string error;           // what went wrong, for logs and EVT_MSG
};

// Resolves `host` (IPv4 and IPv6) and tries each address in turn with a non-blocking connect bounded by
// `connectTimeout` per address. Each wait polls the socket together with `cancel`, so a cancel ends it at once.
// Name lookup itself (getaddrinfo) cannot be interrupted: it is bounded by the resolver's own timeouts.
TcpConnectResult tcpConnect(const std::string& host, int port, std::chrono::milliseconds connectTimeout,
                            std::chrono::milliseconds ioTimeout, const CancelSignal& cancel);

// "ip:port" of the peer of a connected socket ("" on error).
std::string peerAddress(int fd);

}  // namespace openlive::transport
