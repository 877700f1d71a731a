// Unit tests for transport::CancelSignal: one wait on a socket and the signal together, no sleep slices.
#include "transport/cancel_signal.h"

#include <gtest/gtest.h>

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <future>
#include <thread>

using openlive::transport::CancelSignal;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {
struct SocketPair {
  int fd[2] = {-1, -1};
  SocketPair() { EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fd), 0); }
  ~SocketPair() {
    for (int f : fd) ::close(f);
  }
};
}  // namespace

TEST(CancelSignal, ReadyTimedOutAndAlreadyFired) {
  SocketPair p;
  CancelSignal c;
  EXPECT_EQ(c.wait(p.fd[0], POLLIN, Clock::now() + 20ms), CancelSignal::Wait::TimedOut);
  ASSERT_EQ(::write(p.fd[1], "x", 1), 1);
  short revents = 0;
  EXPECT_EQ(c.wait(p.fd[0], POLLIN, Clock::now() + 10s, &revents), CancelSignal::Wait::Ready);
  EXPECT_TRUE(revents & POLLIN);
  c.fire();
  c.fire();  // idempotent
  EXPECT_TRUE(c.fired());
  EXPECT_EQ(c.wait(p.fd[0], POLLIN, Clock::now() + 10s), CancelSignal::Wait::Cancelled)
      << "a fired signal wins over a ready socket";
}

TEST(CancelSignal, FireFromAnotherThreadEndsAWaitWithAFarDeadline) {
  SocketPair p;
  CancelSignal c;
  auto fut = std::async(std::launch::async, [&] { return c.wait(p.fd[0], POLLIN, Clock::now() + 60s); });
  ASSERT_EQ(fut.wait_for(100ms), std::future_status::timeout) << "nothing to read: the wait blocks";
  c.fire();
  ASSERT_EQ(fut.wait_for(10s), std::future_status::ready) << "only the 60 s deadline would end a wait that "
                                                             "does not watch the signal";
  EXPECT_EQ(fut.get(), CancelSignal::Wait::Cancelled);
}
