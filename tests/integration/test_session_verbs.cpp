// The verbs shared by LivePusher and LivePlayer (docs/API-CHANGES.md, level 2) against nginx-rtmp: the state
// callback reports each change in order with the events, pollEvent hands the same events to an app that runs
// its own loop (woken by setEventWakeup), a moved facade keeps its session, and the Result codes say what
// happened ("already started", "not started", a bad URL).
#include "fixtures/require.h"
#include "fixtures/timing.h"
#include "pusher_test_util.h"

#include <openlive/live_player.h>

namespace openlive::test {
namespace {

template <class State>
class StateLog {
 public:
  void add(State s) {
    std::lock_guard lk(mu_);
    states_.push_back(s);
    cv_.notify_all();
  }
  bool waitFor(State s, std::chrono::milliseconds timeout) {
    std::unique_lock lk(mu_);
    return cv_.wait_for(lk, timeout, [&] { return std::find(states_.begin(), states_.end(), s) != states_.end(); });
  }
  std::vector<State> states() const {
    std::lock_guard lk(mu_);
    return states_;
  }
  std::string describe() const {
    std::string out;
    for (State s : states()) out += std::string(toString(s)) + " ";
    return out;
  }

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<State> states_;
};

// Pulls events the way a UI loop would: waits for the wakeup, then drains with pollEvent(0).
template <class Facade>
bool pollUntil(Facade& f, EventCode code, std::chrono::milliseconds timeout, std::vector<EventCode>* seen) {
  const auto deadline = Clock::now() + timeout;
  while (Clock::now() < deadline) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    auto e = f.pollEvent(left);
    if (!e) return false;
    seen->push_back(e->code);
    if (e->code == code) return true;
  }
  return false;
}

TEST(SessionVerbs, PusherStatesEventsQueueAndMove) {
  std::string skip;
  auto server = startServerOrSkip(false, &skip);
  OPENLIVE_NEED(server, skip);
  const PushConfig cfg = smallRtcPush(15, std::chrono::milliseconds(1000), 3);
  StateLog<PushState> states;
  std::atomic<int> wakeups{0};
  LivePusher pusher(cfg);
  EXPECT_EQ(pusher.state(), PushState::Idle);
  EXPECT_FALSE(pusher.isActive());
  pusher.setStateCallback([&](PushState s) { states.add(s); });
  pusher.enableEventQueue(64);
  pusher.setEventWakeup([&] { wakeups++; });

  Result bad = pusher.start("http://127.0.0.1/live/x");
  EXPECT_EQ(bad.code, ResultCode::InvalidUrl);
  EXPECT_EQ(bad.event, EventCode::PUSH_ERR_INVALID_ADDRESS);
  EXPECT_FALSE(bad.message.empty());
  ASSERT_TRUE(pusher.start(server->rtmpUrl("verbs")).ok());
  EXPECT_EQ(pusher.start(server->rtmpUrl("verbs")).code, ResultCode::AlreadyStarted);

  std::vector<EventCode> seen;
  ASSERT_TRUE(pollUntil(pusher, EventCode::PUSH_EVT_PUSH_BEGIN, scaled(10s), &seen));
  ASSERT_GE(seen.size(), 2u);
  EXPECT_NE(std::find(seen.begin(), seen.end(), EventCode::PUSH_EVT_CONNECT_SUCC), seen.end());
  ASSERT_TRUE(states.waitFor(PushState::Publishing, scaled(5s))) << states.describe();
  EXPECT_TRUE(pusher.isActive());

  // A moved pusher keeps the session; the moved-from one is empty.
  LivePusher moved(std::move(pusher));
  EXPECT_EQ(moved.state(), PushState::Publishing);
  EXPECT_EQ(pusher.start(server->rtmpUrl("verbs2")).code, ResultCode::NotStarted);  // NOLINT(bugprone-use-after-move)
  moved.pause();
  ASSERT_TRUE(states.waitFor(PushState::Paused, scaled(5s))) << states.describe();
  moved.resume();
  const auto t0 = Clock::now();
  moved.stop();
  EXPECT_LT(Clock::now() - t0, scaled(200ms));
  EXPECT_EQ(moved.state(), PushState::Idle);
  EXPECT_FALSE(moved.isActive());
  // One wakeup per queued event (each rings after its event is queued; all have rung once stop() returned).
  EXPECT_GE(wakeups.load(), int(seen.size()));

  // Connecting comes before Publishing, Paused after it. (The change to Idle made by stop() itself is not a
  // callback: none runs once stop() returns; state() says it.)
  auto all = states.states();
  ASSERT_GE(all.size(), 3u) << states.describe();
  EXPECT_EQ(all.front(), PushState::Connecting) << states.describe();
  auto pub = std::find(all.begin(), all.end(), PushState::Publishing);
  auto paused = std::find(all.begin(), all.end(), PushState::Paused);
  EXPECT_LT(pub, paused) << states.describe();
  EXPECT_EQ(moved.captureVideoSnapshot("/tmp/never.jpg").code, ResultCode::NotStarted);
}

TEST(SessionVerbs, PlayerStatesEventsQueueAndResultCodes) {
  std::string skip;
  auto server = startServerOrSkip(false, &skip);
  OPENLIVE_NEED(server, skip);
  LivePusher pusher(smallRtcPush(15, std::chrono::milliseconds(1000), 3));
  ASSERT_TRUE(pusher.start(server->rtmpUrl("pverbs")).ok());

  PlayConfig cfg;
  cfg.video.kind = VideoOutput::Kind::None;
  cfg.audio.kind = AudioOutput::Kind::None;
  cfg.connectRetryCount = 1;
  cfg.connectRetryInterval = std::chrono::milliseconds(300);
  StateLog<PlayState> states;
  LivePlayer player(cfg);
  EXPECT_EQ(player.state(), PlayState::Idle);
  EXPECT_EQ(player.captureVideoSnapshot("/tmp/x.jpg").code, ResultCode::NotStarted);
  player.setStateCallback([&](PlayState s) { states.add(s); });
  player.enableEventQueue(64);
  EXPECT_EQ(player.start("ftp://127.0.0.1/live/x").code, ResultCode::InvalidUrl);
  ASSERT_TRUE(player.start(server->rtmpUrl("pverbs")).ok());
  EXPECT_EQ(player.start(server->rtmpUrl("pverbs")).code, ResultCode::AlreadyStarted);
  std::vector<EventCode> seen;
  ASSERT_TRUE(pollUntil(player, EventCode::PLAY_EVT_PLAY_BEGIN, scaled(10s), &seen));
  EXPECT_EQ(seen.front(), EventCode::PLAY_EVT_CONNECT_SUCC);  // the player's first event is always 2001
  ASSERT_TRUE(states.waitFor(PlayState::Playing, scaled(5s))) << states.describe();
  EXPECT_TRUE(player.isActive());

  // The publisher goes away for good: the player reconnects, gives up, and the queue holds the final -2301
  // (or the end 2006 when the server says so) with the state Failed / Ended.
  pusher.stop();
  server.reset();
  std::vector<EventCode> rest;
  const auto deadline = Clock::now() + scaled(20s);
  bool final = false;
  while (!final && Clock::now() < deadline) {
    auto e = player.pollEvent(std::chrono::milliseconds(500));
    if (!e) continue;
    rest.push_back(e->code);
    final = e->code == EventCode::PLAY_ERR_NET_DISCONNECT || e->code == EventCode::PLAY_EVT_PLAY_END;
  }
  ASSERT_TRUE(final);
  ASSERT_TRUE(states.waitFor(rest.back() == EventCode::PLAY_EVT_PLAY_END ? PlayState::Ended : PlayState::Failed,
                             scaled(5s)))
      << states.describe();
  EXPECT_FALSE(player.isActive());
  player.stop();
  EXPECT_EQ(player.state(), PlayState::Idle);
  EXPECT_EQ(states.states().front(), PlayState::Connecting) << states.describe();
}

}  // namespace
}  // namespace openlive::test
