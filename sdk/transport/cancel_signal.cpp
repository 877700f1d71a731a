#include "transport/cancel_signal.h"

#include "common/logging.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace openlive::transport {

CancelSignal::CancelSignal() : fd_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {
  if (fd_ < 0) OL_LOGW("rtmp", "eventfd failed (%s): cancel waits for the current deadline", std::strerror(errno));
}

CancelSignal::~CancelSignal() {
  if (fd_ >= 0) ::close(fd_);
}

void CancelSignal::fire() {
  if (fired_.exchange(true, std::memory_order_acq_rel)) return;
  if (fd_ < 0) return;
  const uint64_t one = 1;
  [[maybe_unused]] ssize_t n = ::write(fd_, &one, sizeof one);
}

CancelSignal::Wait CancelSignal::wait(int fd, short events, std::chrono::steady_clock::time_point deadline,
                                      short* revents) const {
  for (;;) {
    if (fired()) return Wait::Cancelled;
    const auto left =
        std::chrono::ceil<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
    if (left <= 0) return Wait::TimedOut;
    pollfd p[2] = {{fd, events, 0}, {fd_, POLLIN, 0}};
    const int n = ::poll(p, fd_ >= 0 ? 2 : 1, static_cast<int>(std::min<long long>(left, 1 << 30)));
    if (n < 0 && errno != EINTR) return Wait::Failed;
    if (n <= 0) continue;  // EINTR, or the deadline: checked above
    if (p[1].revents) return Wait::Cancelled;
    if (revents) *revents = p[0].revents;
    return Wait::Ready;
  }
}

}  // namespace openlive::transport
