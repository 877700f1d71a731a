// The play session's state machine (player stage): one enum, one transition table, one compare-and-swap
// transition function that rejects and logs illegal moves.
//
//   Idle ──start──▶ Connecting ──connected──▶ Playing ──stream ended──▶ Draining ──played out──▶ Ended
//                     ▲   │                      │
//                     │   └─────failed──┐        ├──link lost──▶ Reconnecting ──retry──▶ Connecting
//                     │                 ▼        │                    │
//                  resume            Reconnecting└──refused/not found─┴──retries used up──▶ Failed
//                     │
//                  Paused ◀──pause── Connecting / Playing / Reconnecting
//
// Any state but a terminal one may go to Stopped (stopPlay, window closed). Ended, Failed and Stopped are terminal.
#pragma once

#include <openlive/live_player.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>

namespace openlive::player {

enum class PlaySessionState : uint8_t { Idle, Connecting, Playing, Reconnecting, Paused, Draining, Ended, Failed, Stopped };

const char* toString(PlaySessionState s);
bool isTerminal(PlaySessionState s);
bool isLegalTransition(PlaySessionState from, PlaySessionState to);
// What the app sees (LivePlayer::state()): Draining is still Playing, Stopped is Idle.
PlayState publicState(PlaySessionState s);

class PlayStateMachine {
 public:
  using Observer = std::function<void(PlaySessionState from, PlaySessionState to)>;
  explicit PlayStateMachine(Observer observer = {}) : observer_(std::move(observer)) {}

  PlaySessionState state() const { return state_.load(); }
  // From exactly `from` to `to`. False (nothing changes) when the state is not `from` or the move is illegal.
  bool transition(PlaySessionState from, PlaySessionState to);
  // From whatever the state is now to `to`, if that move is legal; returns the state it left.
  std::optional<PlaySessionState> moveTo(PlaySessionState to);

 private:
  void changed(PlaySessionState from, PlaySessionState to);
  std::atomic<PlaySessionState> state_{PlaySessionState::Idle};
  Observer observer_;  // called after each change, on the thread that made it (no lock held)
};

}  // namespace openlive::player
