// The pusher's state machine: the whole transition table, the public view, and racing threads.
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <thread>
#include <vector>

#include "pusher/push_state.h"

using namespace openlive;
using namespace openlive::detail;
using S = SessionState;
using E = SessionEvent;

namespace {
constexpr S kStates[] = {S::Idle,          S::Connecting,       S::Publishing,         S::Reconnecting, S::PausedConnecting,
                         S::PausedPublishing, S::PausedReconnecting, S::Failed, S::Stopped};
constexpr E kEvents[] = {E::Start, E::LinkUp, E::LinkLost, E::Pause, E::Resume, E::Fail, E::Stop};
constexpr std::optional<S> no = std::nullopt;

// The table of push_state.h, row by row (columns in kEvents order).
const std::map<S, std::vector<std::optional<S>>> kTable = {
    {S::Idle, {S::Connecting, no, no, no, no, S::Failed, S::Stopped}},
    {S::Connecting, {no, S::Publishing, S::Reconnecting, S::PausedConnecting, no, S::Failed, S::Stopped}},
    {S::Publishing, {no, no, S::Reconnecting, S::PausedPublishing, no, S::Failed, S::Stopped}},
    {S::Reconnecting, {no, S::Publishing, S::Reconnecting, S::PausedReconnecting, no, S::Failed, S::Stopped}},
    {S::PausedConnecting,
     {no, S::PausedPublishing, S::PausedReconnecting, S::PausedConnecting, S::Connecting, S::Failed, S::Stopped}},
    {S::PausedPublishing,
     {no, no, S::PausedReconnecting, S::PausedPublishing, S::Publishing, S::Failed, S::Stopped}},
    {S::PausedReconnecting,
     {no, S::PausedPublishing, S::PausedReconnecting, S::PausedReconnecting, S::Reconnecting, S::Failed, S::Stopped}},
    {S::Failed, {no, no, no, no, no, no, S::Failed}},
    {S::Stopped, {no, no, no, no, no, no, no}},
};
}  // namespace

TEST(PushState, EveryTransitionOfTheTable) {
  for (S from : kStates) {
    const auto& row = kTable.at(from);
    for (size_t i = 0; i < std::size(kEvents); ++i)
      EXPECT_EQ(nextState(from, kEvents[i]), row[i]) << toString(from) << " + " << toString(kEvents[i]);
  }
}

TEST(PushState, PublicViewAndPredicates) {
  EXPECT_EQ(publicState(S::Idle), PushState::Idle);
  EXPECT_EQ(publicState(S::Stopped), PushState::Idle);
  EXPECT_EQ(publicState(S::Connecting), PushState::Connecting);
  EXPECT_EQ(publicState(S::Publishing), PushState::Publishing);
  EXPECT_EQ(publicState(S::Reconnecting), PushState::Reconnecting);
  for (S s : {S::PausedConnecting, S::PausedPublishing, S::PausedReconnecting}) {
    EXPECT_EQ(publicState(s), PushState::Paused);
    EXPECT_TRUE(isPaused(s));
  }
  EXPECT_EQ(publicState(S::Failed), PushState::Failed);
  EXPECT_TRUE(isPublished(S::Publishing));
  EXPECT_TRUE(isPublished(S::PausedPublishing));
  EXPECT_FALSE(isPublished(S::Reconnecting));
  EXPECT_TRUE(isTerminal(S::Failed));
  EXPECT_TRUE(isTerminal(S::Stopped));
}

TEST(PushState, MachineRejectsAndKeepsItsState) {
  PushStateMachine m;
  EXPECT_FALSE(m.apply(E::LinkUp));
  EXPECT_EQ(m.current(), S::Idle);
  EXPECT_TRUE(m.apply(E::Start));
  EXPECT_TRUE(m.apply(E::Pause));
  EXPECT_TRUE(m.apply(E::LinkUp));  // published while paused
  EXPECT_EQ(m.current(), S::PausedPublishing);
  EXPECT_TRUE(m.apply(E::Resume));
  EXPECT_EQ(m.current(), S::Publishing);
  EXPECT_FALSE(m.apply(E::Resume));
  EXPECT_TRUE(m.apply(E::Fail));
  EXPECT_FALSE(m.apply(E::Fail));  // only the first failure counts
  EXPECT_TRUE(m.apply(E::Stop));
  EXPECT_EQ(m.current(), S::Failed);
}

// The io thread's link changes, the app's pause/resume and a stop race: no transition is lost or invented (the
// machine ends Stopped, and every intermediate state it showed was one of the table's).
TEST(PushState, RacingThreadsEndInATableState) {
  for (int round = 0; round < 200; ++round) {
    PushStateMachine m;
    ASSERT_TRUE(m.apply(E::Start));
    std::atomic<bool> go{false};
    std::thread io([&] {
      while (!go) {
      }
      for (int i = 0; i < 50; ++i) m.apply(i % 2 ? E::LinkLost : E::LinkUp);
    });
    std::thread app([&] {
      while (!go) {
      }
      for (int i = 0; i < 50; ++i) m.apply(i % 2 ? E::Resume : E::Pause);
    });
    go = true;
    io.join();
    app.join();
    const S before = m.current();
    EXPECT_FALSE(isTerminal(before));
    EXPECT_TRUE(m.apply(E::Stop));
    EXPECT_EQ(m.current(), S::Stopped);
    EXPECT_FALSE(m.apply(E::Start));
  }
}
