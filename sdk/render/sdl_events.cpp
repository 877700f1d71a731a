// The SDK windows' share of SDL's one event queue (see sdl_events.h).
#include "render/sdl_events.h"

#include <SDL2/SDL.h>

#include <deque>
#include <map>
#include <mutex>

namespace openlive::render {

namespace {

std::mutex gMu;  // the mailboxes, and one pump of SDL's queue at a time
std::map<uint32_t, std::deque<SDL_Event>>& mailboxes() {
  static std::map<uint32_t, std::deque<SDL_Event>> boxes;  // guarded by gMu
  return boxes;
}
uint64_t gDrops = 0;  // guarded by gMu

// The window an event is about; 0 for events of no window.
uint32_t windowOf(const SDL_Event& e) {
  switch (e.type) {
    case SDL_WINDOWEVENT: return e.window.windowID;
    case SDL_KEYDOWN:
    case SDL_KEYUP: return e.key.windowID;
    case SDL_TEXTEDITING: return e.edit.windowID;
    case SDL_TEXTINPUT: return e.text.windowID;
    case SDL_MOUSEMOTION: return e.motion.windowID;
    case SDL_MOUSEBUTTONDOWN:
    case SDL_MOUSEBUTTONUP: return e.button.windowID;
    case SDL_MOUSEWHEEL: return e.wheel.windowID;
    default: return 0;
  }
}

void post(std::deque<SDL_Event>& box, const SDL_Event& e) {
  if (box.size() >= kSdlMailboxCapacity) {
    box.pop_front();
    ++gDrops;
  }
  box.push_back(e);
}

}  // namespace

void registerSdlWindow(uint32_t windowId) {
  std::lock_guard lk(gMu);
  mailboxes()[windowId];
}

void unregisterSdlWindow(uint32_t windowId) {
  std::lock_guard lk(gMu);
  mailboxes().erase(windowId);
}

std::vector<SDL_Event> takeSdlEvents(uint32_t windowId) {
  std::lock_guard lk(gMu);
  auto& boxes = mailboxes();
  SDL_Event e;
  while (SDL_PollEvent(&e)) {
    const uint32_t to = windowOf(e);
    if (to == 0) {
      for (auto& [id, box] : boxes) post(box, e);
      continue;
    }
    if (auto it = boxes.find(to); it != boxes.end()) post(it->second, e);  // another window's: dropped if not ours
  }
  std::vector<SDL_Event> out;
  if (auto it = boxes.find(windowId); it != boxes.end()) {
    out.assign(it->second.begin(), it->second.end());
    it->second.clear();
  }
  return out;
}

uint64_t sdlMailboxDrops() {
  std::lock_guard lk(gMu);
  return gDrops;
}

}  // namespace openlive::render
