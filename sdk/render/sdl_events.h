// SDL's event queue is one per process, but the SDK's windows live on several threads (each player's render
// thread, the pusher's preview thread). Each SDK window takes only its own events from it: a thread that pumps
// the queue keeps the events of another SDK window in that window's mailbox (bounded, oldest dropped and counted),
// and drops those of windows that are not the SDK's. Without this a key pressed in one window could be taken
// (and lost) by another window's thread.
#pragma once

#include <SDL2/SDL_events.h>

#include <cstdint>
#include <vector>

namespace openlive::render {

inline constexpr size_t kSdlMailboxCapacity = 256;  // per window; overflow policy: drop the oldest (counted)

// An SDK window's mailbox, from its creation to its destruction (SDL_GetWindowID).
void registerSdlWindow(uint32_t windowId);
void unregisterSdlWindow(uint32_t windowId);
// The events for `windowId` since the last call: its own from the queue and those other threads kept for it.
// Events of no window (SDL_QUIT) go to every SDK window.
std::vector<SDL_Event> takeSdlEvents(uint32_t windowId);
// Events dropped from full mailboxes, process-wide (tests, logs).
uint64_t sdlMailboxDrops();

}  // namespace openlive::render
