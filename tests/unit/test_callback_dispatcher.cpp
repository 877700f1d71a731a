// Unit tests for the two lanes of detail::CallbackDispatcher: frames bounded by count and bytes (drop-oldest),
// events bounded (drop-newest, counted) except guaranteed ones, which are never dropped; per-lane order;
// droppable events do not wait behind slow frames; a guaranteed event is not delivered before earlier frames.
#include "common/callback_dispatcher.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>
#include <vector>

using namespace openlive;
using namespace openlive::detail;

namespace {

// Holds the dispatcher thread inside a task until released, so the lanes can be filled deterministically.
class Gate {
 public:
  void block(CallbackDispatcher& d) {
    d.post([this] {
      std::unique_lock lk(mu_);
      entered_ = true;
      cv_.notify_all();
      cv_.wait(lk, [&] { return open_; });
    });
    std::unique_lock lk(mu_);
    cv_.wait(lk, [&] { return entered_; });
  }
  void open() {
    std::lock_guard lk(mu_);
    open_ = true;
    cv_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool entered_ = false, open_ = false;
};

// What ran, in order (only touched on the dispatcher thread until drain() returned).
struct Log {
  std::vector<std::string> ran;
  std::function<void()> note(std::string what) {
    return [this, what] { ran.push_back(what); };
  }
};

}  // namespace

TEST(CallbackLanes, FramesAreBoundedByCountDroppingTheOldest) {
  CallbackDispatcher d("ol-test-cb", CallbackDispatcher::Limits{100, 4, 1u << 30});
  Gate gate;
  Log log;
  gate.block(d);
  for (int i = 0; i < 20; ++i) EXPECT_TRUE(d.postFrame(10, log.note("f" + std::to_string(i))));
  auto c = d.counters();
  EXPECT_EQ(c.framesQueued, 4u);
  EXPECT_EQ(c.frameBytesQueued, 40u);
  EXPECT_EQ(c.framesDropped, 16u);
  gate.open();
  d.drain();
  EXPECT_EQ(log.ran, (std::vector<std::string>{"f16", "f17", "f18", "f19"}));
  EXPECT_EQ(d.dropped(), 16u);
}

TEST(CallbackLanes, FramesAreBoundedByBytes) {
  CallbackDispatcher d("ol-test-cb", CallbackDispatcher::Limits{100, 100, 1000});
  Gate gate;
  Log log;
  gate.block(d);
  for (int i = 0; i < 5; ++i) d.postFrame(400, log.note("f" + std::to_string(i)));
  EXPECT_EQ(d.counters().framesQueued, 2u);
  EXPECT_LE(d.counters().frameBytesQueued, 1000u);
  d.postFrame(5000, log.note("huge"));  // larger than the bound on its own: kept, alone
  EXPECT_EQ(d.counters().framesQueued, 1u);
  gate.open();
  d.drain();
  EXPECT_EQ(log.ran, (std::vector<std::string>{"huge"}));
  EXPECT_EQ(d.counters().framesDropped, 5u);
}

TEST(CallbackLanes, DroppableEventsAreBoundedGuaranteedOnesNeverDropped) {
  CallbackDispatcher d("ol-test-cb", CallbackDispatcher::Limits{3, 4, 1u << 20});
  Gate gate;
  Log log;
  gate.block(d);
  for (int i = 0; i < 5; ++i) d.post(log.note("e" + std::to_string(i)));
  EXPECT_FALSE(d.post(log.note("e5"))) << "drop-newest: refused";
  for (int i = 0; i < 10; ++i) EXPECT_TRUE(d.post(log.note("g" + std::to_string(i)), Delivery::Guaranteed));
  EXPECT_EQ(d.counters().eventsDropped, 3u);
  gate.open();
  d.drain();
  ASSERT_EQ(log.ran.size(), 13u);
  EXPECT_EQ(log.ran.front(), "e0");
  EXPECT_EQ(log.ran[2], "e2");
  EXPECT_EQ(log.ran.back(), "g9");
}

TEST(CallbackLanes, EventsDoNotWaitBehindFramesButFinalEventsComeLast) {
  CallbackDispatcher d("ol-test-cb");
  Gate gate;
  Log log;
  gate.block(d);
  d.postFrame(1, log.note("f0"));
  d.postFrame(1, log.note("f1"));
  d.post(log.note("progress"));                       // droppable: overtakes the frames
  d.post(log.note("end"), Delivery::Guaranteed);       // after the frames posted before it
  d.postFrame(1, log.note("f2"));
  gate.open();
  d.drain();
  EXPECT_EQ(log.ran, (std::vector<std::string>{"progress", "f0", "f1", "end", "f2"}));
}

TEST(CallbackLanes, DeliveryFollowsTheEventCatalog) {
  for (EventCode c : {EventCode::PLAY_ERR_NET_DISCONNECT, EventCode::PUSH_ERR_NET_DISCONNECT,
                      EventCode::PUSH_ERR_OPEN_CAMERA_FAIL, EventCode::PUSH_ERR_SERVER_REFUSE,
                      EventCode::PLAY_ERR_SERVER_REFUSE, EventCode::PLAY_EVT_PLAY_END,
                      EventCode::PUSH_EVT_LOCAL_RECORD_RESULT, EventCode::EVT_SNAPSHOT_RESULT})
    EXPECT_EQ(deliveryOf(c), Delivery::Guaranteed) << toInt(c);
  for (EventCode c : {EventCode::PLAY_EVT_PLAY_PROGRESS, EventCode::PLAY_WARNING_VIDEO_PLAY_LAG,
                      EventCode::PLAY_WARNING_RECONNECT, EventCode::PUSH_EVT_LOCAL_RECORD_PROGRESS})
    EXPECT_EQ(deliveryOf(c), Delivery::Droppable) << toInt(c);
}

namespace {
struct Callbacks {
  std::mutex mu;
  std::function<void(const Event&)> onEvent;
  std::function<void(const VideoFrame&)> onVideo;
};
}  // namespace

TEST(CallbackLanes, PostCallbackRoutesEventsAndFramesByType) {
  CallbackDispatcher d("ol-test-cb", CallbackDispatcher::Limits{1, 2, 1u << 20});
  auto cbs = std::make_shared<Callbacks>();
  std::vector<int> events;
  int frames = 0;
  cbs->onEvent = [&](const Event& e) { events.push_back(toInt(e.code)); };
  cbs->onVideo = [&](const VideoFrame&) { ++frames; };
  Gate gate;
  gate.block(d);
  Event progress, lag, end;
  progress.code = EventCode::PLAY_EVT_PLAY_PROGRESS;
  lag.code = EventCode::PLAY_WARNING_VIDEO_PLAY_LAG;
  end.code = EventCode::PLAY_ERR_NET_DISCONNECT;
  EXPECT_TRUE(postCallbackWith(d, cbs, &Callbacks::onEvent, progress));
  EXPECT_FALSE(postCallbackWith(d, cbs, &Callbacks::onEvent, lag)) << "the event lane holds one droppable";
  for (int i = 0; i < 5; ++i)
    postCallback(d, cbs, &Callbacks::onVideo, [](auto& fn) { fn(VideoFrame{}); });  // the frame lane
  EXPECT_TRUE(postCallbackWith(d, cbs, &Callbacks::onEvent, end)) << "-2301 is never dropped";
  EXPECT_EQ(d.counters().framesQueued, 2u);
  gate.open();
  d.drain();
  EXPECT_EQ(events, (std::vector<int>{2005, -2301}));
  EXPECT_EQ(frames, 2);
  EXPECT_EQ(d.counters().eventsDropped, 1u);
  EXPECT_EQ(d.counters().framesDropped, 3u);
}

TEST(CallbackLanes, PostFrameCallbackCountsBytes) {
  CallbackDispatcher d("ol-test-cb", CallbackDispatcher::Limits{8, 100, 3000});
  auto cbs = std::make_shared<Callbacks>();
  int frames = 0;
  cbs->onVideo = [&](const VideoFrame&) { ++frames; };
  Gate gate;
  gate.block(d);
  for (int i = 0; i < 10; ++i)
    postFrameCallback(d, 1000, cbs, &Callbacks::onVideo, [](auto& fn) { fn(VideoFrame{}); });
  EXPECT_EQ(d.counters().frameBytesQueued, 3000u);
  gate.open();
  d.drain();
  EXPECT_EQ(frames, 3);
  EXPECT_EQ(d.counters().framesDropped, 7u);
}
