// The kernel's view of a TCP connection (TCP_INFO), for a publisher's congestion control. Kept apart from the
// other transport files: it needs <linux/tcp.h> (the full struct tcp_info), which clashes with <netinet/tcp.h>.
#pragma once

#include <cstdint>

namespace openlive::transport {

struct TcpLinkInfo {
  int64_t srttUs = -1;     // smoothed round-trip time
  int64_t minRttUs = -1;   // the kernel's windowed minimum RTT (-1 when the kernel does not report it)
  int64_t bytesAcked = -1; // bytes the peer acknowledged so far: what the link delivered (-1 when not reported)
};

// False when `fd` is not a TCP socket or the call failed.
bool readTcpLinkInfo(int fd, TcpLinkInfo* out);

}  // namespace openlive::transport
