#include "transport/tcp_info.h"

#include <linux/tcp.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstddef>

namespace openlive::transport {

bool readTcpLinkInfo(int fd, TcpLinkInfo* out) {
  tcp_info ti{};
  socklen_t len = sizeof ti;
  if (fd < 0 || ::getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) != 0 || ti.tcpi_rtt == 0) return false;
  out->srttUs = ti.tcpi_rtt;
  out->minRttUs = len >= offsetof(tcp_info, tcpi_min_rtt) + sizeof ti.tcpi_min_rtt ? int64_t{ti.tcpi_min_rtt} : -1;
  out->bytesAcked =
      len >= offsetof(tcp_info, tcpi_bytes_acked) + sizeof ti.tcpi_bytes_acked ? static_cast<int64_t>(ti.tcpi_bytes_acked) : -1;
  return true;
}

}  // namespace openlive::transport
