// Unit tests for the common layer: redaction, the bounded queue policies and the callback dispatcher.
#include "common/bounded_queue.h"
#include "common/callback_dispatcher.h"
#include "common/logging.h"

#include <openlive/log.h>
#include <openlive/types.h>

#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <future>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

using namespace openlive;
using namespace openlive::detail;
using namespace std::chrono_literals;

TEST(Redaction, HidesSecretsAndStreamKeys) {
  std::string s = redactSecrets("rtmp://push.example.com/live/mystream?txSecret=abc123&txTime=5C2ACACC");
  EXPECT_EQ(s.find("abc123"), std::string::npos) << s;
  EXPECT_EQ(s.find("mystream"), std::string::npos) << s;
  EXPECT_NE(s.find("push.example.com/live/"), std::string::npos) << s;
  EXPECT_EQ(redactSecrets(s), s);  // idempotent
  EXPECT_EQ(redactSecrets("usersig=eJyrVkrxCVYsSa-"), "usersig=***");
  EXPECT_EQ(redactSecrets("no secrets here"), "no secrets here");
}

TEST(Logging, SinkReceivesRedactedMessages) {
  std::vector<std::string> got;
  setLogHandler(LogLevel::Info, [&](LogLevel, std::string_view comp, std::string_view msg) {
    got.emplace_back(std::string(comp) + ":" + std::string(msg));
  });
  OL_LOGI("test", "connecting to %s", "rtmp://h/live/secretkey?txSecret=deadbeef");
  OL_LOGD("test", "filtered out");
  setLogHandler(LogLevel::Warning, nullptr);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].find("secretkey"), std::string::npos);
  EXPECT_EQ(got[0].find("deadbeef"), std::string::npos);
}

TEST(BoundedQueue, DropNewestRefusesAndCounts) {
  BoundedQueue<int> q(2, OverflowPolicy::DropNewest);
  EXPECT_TRUE(q.push(1));
  EXPECT_TRUE(q.push(2));
  EXPECT_FALSE(q.push(3));
  EXPECT_EQ(q.dropped(), 1u);
  EXPECT_EQ(*q.tryPop(), 1);
}

TEST(BoundedQueue, DropOldestEvictsHead) {
  BoundedQueue<int> q(2, OverflowPolicy::DropOldest);
  q.push(1);
  q.push(2);
  q.push(3);
  EXPECT_EQ(q.dropped(), 1u);
  EXPECT_EQ(*q.tryPop(), 2);
  EXPECT_EQ(*q.tryPop(), 3);
  EXPECT_FALSE(q.tryPop().has_value());
}

TEST(BoundedQueue, BlockWaitsForRoomAndCloseReleases) {
  BoundedQueue<int> q(1, OverflowPolicy::Block);
  q.push(1);
  auto f = std::async(std::launch::async, [&] { return q.push(2); });
  EXPECT_EQ(f.wait_for(50ms), std::future_status::timeout);
  EXPECT_EQ(*q.pop(1s), 1);
  EXPECT_TRUE(f.get());
  q.close();
  EXPECT_FALSE(q.push(3));
}

TEST(CallbackDispatcher, RunsInOrderOnItsOwnThread) {
  // Declared before the dispatcher: its tasks use them until it is destroyed.
  std::vector<int> order;
  std::thread::id cbThread;
  CallbackDispatcher d("ol-test-cb");
  for (int i = 0; i < 100; ++i)
    d.post([&, i] {
      order.push_back(i);
      cbThread = std::this_thread::get_id();
    });
  d.drain();
  ASSERT_EQ(order.size(), 100u);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(order[i], i);
  EXPECT_NE(cbThread, std::this_thread::get_id());
}

TEST(CallbackDispatcher, NoTaskRunsAfterShutdownReturns) {
  // Declared before the dispatcher: its tasks use them until it is destroyed.
  std::atomic<int> ran{0};
  std::atomic<bool> shutdownReturned{false};
  std::atomic<bool> lateRun{false};
  auto d = std::make_unique<CallbackDispatcher>("ol-test-cb");
  for (int i = 0; i < 1000; ++i)
    d->post([&] {
      if (shutdownReturned) lateRun = true;
      ++ran;
      std::this_thread::sleep_for(10us);  // scenario: tasks that take a while
    });
  d->shutdown();
  shutdownReturned = true;
  std::this_thread::sleep_for(20ms);  // scenario: a window in which a late task would show
  EXPECT_FALSE(lateRun);
  EXPECT_FALSE(d->post([] {}));
}

TEST(CallbackDispatcher, ShutdownFromInsideACallbackDoesNotDeadlock) {
  std::promise<void> done;  // declared before the dispatcher: its task uses it
  auto d = std::make_shared<CallbackDispatcher>("ol-test-cb");
  d->post([&, d] {
    d->shutdown();
    done.set_value();
  });
  EXPECT_EQ(done.get_future().wait_for(2s), std::future_status::ready);
}

namespace {
struct TestCallbacks {
  std::mutex mu;
  std::function<void(int)> onValue;
};
}  // namespace

// postCallback reads the callback when the task runs (a callback replaced or cleared after the post is
// honoured), passes the arguments copied at post time, and a throwing callback does not stop later ones.
TEST(CallbackDispatcher, PostCallbackReadsTheCallbackWhenItRuns) {
  std::vector<std::string> seen;  // declared before the dispatcher: its tasks use it
  auto cbs = std::make_shared<TestCallbacks>();
  CallbackDispatcher d("ol-test-cb");
  std::promise<void> gate;
  auto opened = gate.get_future().share();
  d.post([opened] { opened.wait(); });  // hold the thread so the next posts queue up
  cbs->onValue = [&](int v) { seen.push_back("old " + std::to_string(v)); };
  int value = 1;
  EXPECT_TRUE(postCallbackWith(d, cbs, &TestCallbacks::onValue, value));
  value = 2;  // copied at post time: the task still passes 1
  {
    std::lock_guard lk(cbs->mu);
    cbs->onValue = [&](int v) {
      seen.push_back("new " + std::to_string(v));
      if (v == 3) throw std::runtime_error("app bug");
    };
  }
  EXPECT_TRUE(postCallbackWith(d, cbs, &TestCallbacks::onValue, 3));
  EXPECT_TRUE(postCallback(d, cbs, &TestCallbacks::onValue, [](auto& fn) { fn(4); }));
  gate.set_value();
  d.drain();
  EXPECT_EQ(seen, (std::vector<std::string>{"new 1", "new 3", "new 4"}));
  {
    std::lock_guard lk(cbs->mu);
    cbs->onValue = nullptr;
  }
  EXPECT_TRUE(postCallbackWith(d, cbs, &TestCallbacks::onValue, 5));  // cleared: nothing is called
  d.drain();
  EXPECT_EQ(seen.size(), 3u);
}

TEST(NetStatus, NumberParsesOrReportsMissing) {
  NetStatus s;
  s.values["VIDEO_FPS"] = "29.5";
  s.values["SERVER_IP"] = "127.0.0.1:1935";
  EXPECT_DOUBLE_EQ(*s.number("VIDEO_FPS"), 29.5);
  EXPECT_FALSE(s.number("NET_SPEED").has_value());
}
