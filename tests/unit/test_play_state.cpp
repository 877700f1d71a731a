// Unit tests for the play session's state logic: the state machine's transition table, the cancel latch and
// the no-data watchdog, including the races the soak found (stall + end-of-stream notice + cancel in every
// order), and the timeline's re-basing.
#include "player/play_state.h"
#include "player/read_watchdog.h"
#include "player/stream_timeline.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <vector>

using namespace openlive::player;

namespace {
const std::array<PlaySessionState, 9> kAll = {PlaySessionState::Idle,    PlaySessionState::Connecting, PlaySessionState::Playing,
                                       PlaySessionState::Reconnecting, PlaySessionState::Paused, PlaySessionState::Draining,
                                       PlaySessionState::Ended,   PlaySessionState::Failed,     PlaySessionState::Stopped};
}

TEST(PlayStateMachine, TransitionTable) {
  using S = PlaySessionState;
  const std::vector<std::pair<S, S>> legal = {
      {S::Idle, S::Connecting},         {S::Connecting, S::Playing},     {S::Connecting, S::Reconnecting},
      {S::Connecting, S::Paused},       {S::Connecting, S::Failed},      {S::Playing, S::Reconnecting},
      {S::Playing, S::Paused},          {S::Playing, S::Draining},       {S::Playing, S::Failed},
      {S::Reconnecting, S::Connecting}, {S::Reconnecting, S::Paused},    {S::Reconnecting, S::Failed},
      {S::Paused, S::Connecting},       {S::Draining, S::Ended}};
  for (S from : kAll)
    for (S to : kAll) {
      bool expect = std::find(legal.begin(), legal.end(), std::make_pair(from, to)) != legal.end() ||
                    (to == S::Stopped && !isTerminal(from));
      EXPECT_EQ(isLegalTransition(from, to), expect) << toString(from) << " -> " << toString(to);
    }
  for (S t : kAll)
    for (S to : kAll) EXPECT_FALSE(isTerminal(t) && isLegalTransition(t, to)) << "terminal " << toString(t);
}

TEST(PlayStateMachine, CompareAndSwapAndObserver) {
  std::vector<std::pair<PlaySessionState, PlaySessionState>> seen;
  PlayStateMachine m([&](PlaySessionState f, PlaySessionState t) { seen.emplace_back(f, t); });
  EXPECT_FALSE(m.transition(PlaySessionState::Connecting, PlaySessionState::Playing)) << "not in Connecting yet";
  EXPECT_TRUE(m.transition(PlaySessionState::Idle, PlaySessionState::Connecting));
  EXPECT_FALSE(m.transition(PlaySessionState::Connecting, PlaySessionState::Ended)) << "illegal";
  EXPECT_EQ(m.moveTo(PlaySessionState::Playing), std::optional<PlaySessionState>(PlaySessionState::Connecting));
  EXPECT_EQ(m.moveTo(PlaySessionState::Stopped), std::optional<PlaySessionState>(PlaySessionState::Playing));
  EXPECT_FALSE(m.moveTo(PlaySessionState::Connecting)) << "Stopped is terminal";
  EXPECT_FALSE(m.moveTo(PlaySessionState::Stopped)) << "already stopped";
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen.back(), std::make_pair(PlaySessionState::Playing, PlaySessionState::Stopped));
}

TEST(CancelLatch, FirstCauseWins) {
  CancelLatch l;
  EXPECT_TRUE(l.raise(CancelCause::NoData));
  EXPECT_FALSE(l.raise(CancelCause::Stop));
  EXPECT_EQ(l.cause(), CancelCause::NoData);
  l.reset();
  EXPECT_EQ(l.cause(), CancelCause::None);
  EXPECT_TRUE(l.raise(CancelCause::Pause));
}

TEST(ReadWatchdog, NoDataAndRepublishGrace) {
  ReadWatchdog w(5000, 4000);
  EXPECT_EQ(w.check(100000), ReadWatchdog::Verdict::Ok) << "disarmed";
  w.arm(0);
  EXPECT_EQ(w.deadline(), std::optional<int64_t>(5001));
  EXPECT_EQ(w.check(5000), ReadWatchdog::Verdict::Ok);
  EXPECT_EQ(w.check(5001), ReadWatchdog::Verdict::NoData);
  w.onMedia(5000);
  EXPECT_EQ(w.check(9000), ReadWatchdog::Verdict::Ok);
  w.onPublisherLeft(9000);
  w.onPublisherLeft(12000);  // a second notice does not extend the grace
  EXPECT_EQ(w.check(13001), ReadWatchdog::Verdict::NoRepublish);
  w.onMedia(13100);  // published again
  EXPECT_FALSE(w.waitingForRepublish());
  EXPECT_EQ(w.check(14000), ReadWatchdog::Verdict::Ok);
  w.disarm();
  EXPECT_FALSE(w.deadline());
}

// The soak's race: a stall makes the watchdog fire (no data), and an end-of-stream notice that was queued behind
// the stall arrives before the read returns; a stop may come at any point too. Whatever the order, the read's
// outcome is what the first cancel meant.
TEST(ReadWatchdog, RacesDecideByTheLatchedCause) {
  enum Step { WatchdogCheck, EosNotice, Stop };
  std::array<Step, 3> order = {WatchdogCheck, EosNotice, Stop};
  std::sort(order.begin(), order.end());
  int cases = 0;
  do {
    ReadWatchdog w(5000, 4000);
    CancelLatch latch;
    w.arm(0);
    const int64_t now = 6000;  // 6 s of stall: past the no-data limit
    CancelCause first = CancelCause::None;
    for (Step s : order) {
      switch (s) {
        case WatchdogCheck: {
          auto v = w.check(now);
          CancelCause c = v == ReadWatchdog::Verdict::NoData        ? CancelCause::NoData
                          : v == ReadWatchdog::Verdict::NoRepublish ? CancelCause::NoRepublish
                                                                    : CancelCause::None;
          if (c != CancelCause::None && latch.raise(c) && first == CancelCause::None) first = c;
          break;
        }
        case EosNotice: w.onPublisherLeft(now); break;
        case Stop:
          if (latch.raise(CancelCause::Stop) && first == CancelCause::None) first = CancelCause::Stop;
          break;
      }
    }
    ++cases;
    const CancelledRead outcome = outcomeOf(latch.cause(), false);
    EXPECT_EQ(latch.cause(), first);
    if (first == CancelCause::Stop) {
      EXPECT_EQ(outcome, CancelledRead::Stop);
    }
    // The notice arrived after the stall fired the watchdog: still a reconnect, never a final 2006.
    if (first == CancelCause::NoData) {
      EXPECT_EQ(outcome, CancelledRead::Reconnect);
    }
    // The notice came first: the watchdog then measures the republish grace from the notice (not yet over).
    if (order[0] == EosNotice && order[1] == WatchdogCheck) {
      EXPECT_NE(first, CancelCause::NoData);
    }
  } while (std::next_permutation(order.begin(), order.end()));
  EXPECT_EQ(cases, 6);
  EXPECT_EQ(outcomeOf(CancelCause::None, true), CancelledRead::Pause);
  EXPECT_EQ(outcomeOf(CancelCause::NoRepublish, false), CancelledRead::EndOfStream);
}

TEST(StreamTimeline, RebasesJumpsAndReportsGaps) {
  using openlive::demux::MediaPacket;
  auto pkt = [](MediaPacket::Kind k, int64_t ts) {
    MediaPacket p;
    p.kind = k;
    p.dtsMs = p.ptsMs = ts;
    return p;
  };
  StreamTimeline t;
  auto v = pkt(MediaPacket::Kind::Video, 5000);
  EXPECT_FALSE(t.place(v).rebased);
  auto a = pkt(MediaPacket::Kind::Audio, 5010);
  t.place(a);
  auto v2 = pkt(MediaPacket::Kind::Video, 0);  // the publisher restarted at 0
  EXPECT_TRUE(t.place(v2).rebased);
  EXPECT_EQ(v2.dtsMs, 5033);
  auto a2 = pkt(MediaPacket::Kind::Audio, 10);  // the same offset re-bases audio
  EXPECT_FALSE(t.place(a2).rebased);
  EXPECT_EQ(a2.ptsMs, 5043);
  auto v3 = pkt(MediaPacket::Kind::Video, 2000);  // 2 s forward: a gap, not a jump
  auto r = t.place(v3);
  EXPECT_FALSE(r.rebased);
  ASSERT_TRUE(r.gapMs);
  EXPECT_EQ(*r.gapMs, 2000);
}
