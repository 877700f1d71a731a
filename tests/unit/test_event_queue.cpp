// The pull-style event queue (sdk/common/event_queue.h): bounded, drop-oldest for droppable events, never drops
// errors or the end of playback, waits with a timeout, and rings the wakeup once per queued event.
#include "common/event_queue.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

using namespace openlive;
using namespace openlive::detail;
using namespace std::chrono_literals;

namespace {

Event ev(EventCode c) { return Event{c, {}}; }

TEST(EventQueue, KeepsOrderAndReturnsNothingWhenEmpty) {
  EventQueue q(8);
  EXPECT_FALSE(q.pop(0ms).has_value());
  q.push(ev(EventCode::PLAY_EVT_CONNECT_SUCC));
  q.push(ev(EventCode::PLAY_EVT_PLAY_BEGIN));
  EXPECT_EQ(q.pop(0ms)->code, EventCode::PLAY_EVT_CONNECT_SUCC);
  EXPECT_EQ(q.pop(0ms)->code, EventCode::PLAY_EVT_PLAY_BEGIN);
  EXPECT_FALSE(q.pop(0ms).has_value());
}

TEST(EventQueue, FullQueueDropsTheOldestDroppableAndCountsIt) {
  EventQueue q(3);
  q.push(ev(EventCode::PLAY_WARNING_VIDEO_PLAY_LAG));  // droppable, oldest: goes first
  q.push(ev(EventCode::PLAY_ERR_NET_DISCONNECT));      // an error: never dropped
  q.push(ev(EventCode::PLAY_EVT_PLAY_BEGIN));
  q.push(ev(EventCode::PLAY_EVT_PLAY_LOADING));
  EXPECT_EQ(q.dropped(), 1u);
  EXPECT_EQ(q.size(), 3u);
  EXPECT_EQ(q.pop(0ms)->code, EventCode::PLAY_ERR_NET_DISCONNECT);
  EXPECT_EQ(q.pop(0ms)->code, EventCode::PLAY_EVT_PLAY_BEGIN);
  EXPECT_EQ(q.pop(0ms)->code, EventCode::PLAY_EVT_PLAY_LOADING);
}

TEST(EventQueue, FinalEventsAreKeptEvenBeyondTheBound) {
  EventQueue q(2);
  q.push(ev(EventCode::PLAY_ERR_NET_DISCONNECT));
  q.push(ev(EventCode::PLAY_EVT_PLAY_END));
  q.push(ev(EventCode::PLAY_EVT_PLAY_BEGIN));  // droppable and the queue holds only finals: this one goes
  q.push(ev(EventCode::PUSH_ERR_NET_DISCONNECT));
  EXPECT_EQ(q.dropped(), 1u);
  ASSERT_EQ(q.size(), 3u);
  EXPECT_EQ(q.pop(0ms)->code, EventCode::PLAY_ERR_NET_DISCONNECT);
  EXPECT_EQ(q.pop(0ms)->code, EventCode::PLAY_EVT_PLAY_END);
  EXPECT_EQ(q.pop(0ms)->code, EventCode::PUSH_ERR_NET_DISCONNECT);
}

TEST(EventQueue, PopWaitsForAnEventFromAnotherThread) {
  EventQueue q(4);
  std::atomic<int> wakeups{0};
  q.setWakeup([&] { wakeups++; });
  std::thread producer([&] { q.push(ev(EventCode::PLAY_EVT_PLAY_BEGIN)); });
  auto e = q.pop(10s);  // returns as soon as the event is queued, not after 10 s
  producer.join();
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->code, EventCode::PLAY_EVT_PLAY_BEGIN);
  EXPECT_EQ(wakeups.load(), 1);
  EXPECT_FALSE(q.pop(1ms).has_value());
}

}  // namespace
