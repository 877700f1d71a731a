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

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>

namespace openlive::player {

enum class PlayState : uint8_t { Idle, Connecting, Playing, Reconnecting, Paused, Draining, Ended, Failed, Stopped };

const char* toString(PlayState s);
bool isTerminal(PlayState s);
bool isLegalTransition(PlayState from, PlayState to);

class PlayStateMachine {
 public:
  using Observer = std::function<void(PlayState from, PlayState to)>;
  explicit PlayStateMachine(Observer observer = {}) : observer_(std::move(observer)) {}

  PlayState state() const { return state_.load(); }
  // From exactly `from` to `to`. False (nothing changes) when the state is not `from` or the move is illegal.
  bool transition(PlayState from, PlayState to);
  // From whatever the state is now to `to`, if that move is legal; returns the state it left.
  std::optional<PlayState> moveTo(PlayState to);

 private:
  void changed(PlayState from, PlayState to);
  std::atomic<PlayState> state_{PlayState::Idle};
  Observer observer_;  // called after each change, on the thread that made it (no lock held)
};

}  // namespace openlive::player
