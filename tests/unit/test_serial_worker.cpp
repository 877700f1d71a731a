// room::SerialWorker: tasks in order on one thread, timers at their deadline (before queued tasks once due),
// cancel, the bound (drop-newest, counted), stop() from outside and from a task.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

#include "room/serial_worker.h"

namespace openlive::room {
namespace {

using namespace std::chrono_literals;

TEST(SerialWorker, RunsTasksInOrderOnItsOwnThread) {
  SerialWorker w("t-worker");
  std::vector<int> order;
  std::promise<void> done;
  std::thread::id id;
  for (int i = 0; i < 100; ++i) ASSERT_TRUE(w.post([&, i] { order.push_back(i); }));
  ASSERT_TRUE(w.post([&] {
    id = std::this_thread::get_id();
    EXPECT_TRUE(w.onWorkerThread());
    done.set_value();
  }));
  done.get_future().wait();
  ASSERT_EQ(order.size(), 100u);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(order[i], i);
  EXPECT_NE(id, std::this_thread::get_id());
  EXPECT_FALSE(w.onWorkerThread());
}

TEST(SerialWorker, TimersFireAtTheirDeadlineInDeadlineOrderAndCancelWorks) {
  SerialWorker w("t-timer");
  std::mutex mu;
  std::vector<int> fired;
  std::promise<void> last;
  const auto t0 = std::chrono::steady_clock::now();
  std::chrono::steady_clock::duration firstAt{};
  w.postAfter(120ms, [&] {
    std::lock_guard lk(mu);
    fired.push_back(2);
  });
  w.postAfter(40ms, [&] {
    std::lock_guard lk(mu);
    fired.push_back(1);
    firstAt = std::chrono::steady_clock::now() - t0;
  });
  const uint64_t dead = w.postAfter(80ms, [&] {
    std::lock_guard lk(mu);
    fired.push_back(99);
  });
  w.cancel(dead);
  w.postAfter(200ms, [&] { last.set_value(); });
  last.get_future().wait();
  std::lock_guard lk(mu);
  EXPECT_EQ(fired, (std::vector<int>{1, 2}));
  EXPECT_GE(firstAt, 40ms);
}

TEST(SerialWorker, AFullQueueRefusesAndCounts) {
  SerialWorker w("t-bound", 4);
  std::promise<void> gate, started;
  auto open = gate.get_future().share();
  ASSERT_TRUE(w.post([open, &started] {
    started.set_value();
    open.wait();
  }));  // occupies the thread
  started.get_future().wait();
  int accepted = 0;
  for (int i = 0; i < 10; ++i) accepted += w.post([] {});
  EXPECT_EQ(accepted, 4);
  EXPECT_EQ(w.refused(), 6u);
  gate.set_value();
}

TEST(SerialWorker, StopDropsWhatWaitsAndRefusesLaterPosts) {
  std::atomic<int> ran{0};
  SerialWorker w("t-stop", 1u << 20);
  std::promise<void> gate, started;
  auto open = gate.get_future().share();
  ASSERT_TRUE(w.post([&, open] {
    started.set_value();
    open.wait();
  }));
  for (int i = 0; i < 5; ++i) w.post([&] { ++ran; });
  started.get_future().wait();
  std::thread stopper([&] { w.stop(); });
  while (w.post([] {})) std::this_thread::yield();  // refused once stop() has begun (the queue cannot fill)
  gate.set_value();
  stopper.join();
  EXPECT_EQ(ran.load(), 0);
  EXPECT_FALSE(w.post([&] { ++ran; }));
  EXPECT_EQ(w.postAfter(1ms, [&] { ++ran; }), 0u);
}

TEST(SerialWorker, StopFromATaskDoesNotDeadlock) {
  auto w = std::make_shared<SerialWorker>("t-self");
  std::promise<void> done;
  ASSERT_TRUE(w->post([w, &done] {
    w->stop();
    done.set_value();
  }));
  ASSERT_EQ(done.get_future().wait_for(5s), std::future_status::ready);
}

}  // namespace
}  // namespace openlive::room
