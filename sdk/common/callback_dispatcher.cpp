#include "common/callback_dispatcher.h"

#include "common/logging.h"

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include <pthread.h>

namespace openlive::detail {

Delivery deliveryOf(EventCode code) {
  const EventInfo* info = findEvent(code);
  if (info && info->category == EventCategory::Error) return Delivery::Guaranteed;
  switch (code) {
    case EventCode::PLAY_EVT_PLAY_END:
    case EventCode::PUSH_EVT_LOCAL_RECORD_RESULT:
    case EventCode::EVT_SNAPSHOT_RESULT: return Delivery::Guaranteed;
    default: return Delivery::Droppable;
  }
}

namespace {

struct Task {
  std::function<void()> fn;
  uint64_t seq = 0;  // posting order across both lanes
  size_t bytes = 0;  // frames: what the task holds
  bool guaranteed = false;
};

// A log line for the 1st, 10th, 100th, ... drop of a kind, so a stuck callback shows up without flooding.
bool worthLogging(uint64_t count) {
  while (count >= 10 && count % 10 == 0) count /= 10;
  return count == 1;
}

}  // namespace

struct CallbackDispatcher::State {
  std::mutex mu;
  std::condition_variable cv;
  std::condition_variable idleCv;
  std::deque<Task> events;     // guarded by mu
  std::deque<Task> frames;     // guarded by mu
  size_t droppableEvents = 0;  // guarded by mu: droppable tasks in `events`
  size_t frameBytes = 0;       // guarded by mu
  uint64_t nextSeq = 0;        // guarded by mu
  bool closed = false;         // guarded by mu
  bool running = false;        // guarded by mu: a task is executing
  uint64_t eventsDropped = 0;  // guarded by mu
  uint64_t framesDropped = 0;  // guarded by mu
  Limits limits;               // immutable
  std::string name;            // immutable
  std::thread thread;
  std::thread::id threadId;    // written before the thread runs any task

  // The next task: a droppable event first (it must not wait behind slow frames); a guaranteed event only
  // after the frames posted before it; otherwise the oldest frame. Called with mu held, something queued.
  Task popNext() {
    const bool eventFirst = !events.empty() && (frames.empty() || !events.front().guaranteed ||
                                                events.front().seq < frames.front().seq);
    std::deque<Task>& lane = eventFirst ? events : frames;
    Task t = std::move(lane.front());
    lane.pop_front();
    if (eventFirst && !t.guaranteed) --droppableEvents;
    if (!eventFirst) frameBytes -= t.bytes;
    return t;
  }

  void run() {
    pthread_setname_np(pthread_self(), name.substr(0, 15).c_str());
    std::unique_lock lk(mu);
    for (;;) {
      cv.wait(lk, [&] { return closed || !events.empty() || !frames.empty(); });
      if (closed) break;
      Task task = popNext();
      running = true;
      lk.unlock();
      try {
        task.fn();
      } catch (const std::exception& e) {
        OL_LOGE("callback", "application callback threw: %s", e.what());
      } catch (...) {
        OL_LOGE("callback", "application callback threw a non-standard exception");
      }
      task.fn = nullptr;  // release captured objects outside the lock
      lk.lock();
      running = false;
      if (events.empty() && frames.empty()) idleCv.notify_all();
    }
    running = false;
    idleCv.notify_all();
  }
};

CallbackDispatcher::CallbackDispatcher(std::string threadName, size_t eventCapacity)
    : CallbackDispatcher(std::move(threadName), Limits{eventCapacity}) {}

CallbackDispatcher::CallbackDispatcher(std::string threadName, Limits limits) : state_(std::make_shared<State>()) {
  state_->limits = limits;
  state_->name = std::move(threadName);
  std::shared_ptr<State> st = state_;
  std::unique_lock startLk(st->mu);
  st->thread = std::thread([st] { st->run(); });
  st->threadId = st->thread.get_id();
}

CallbackDispatcher::~CallbackDispatcher() { shutdown(); }

bool CallbackDispatcher::post(std::function<void()> task, Delivery delivery) {
  const bool guaranteed = delivery == Delivery::Guaranteed;
  uint64_t dropped = 0;
  {
    std::lock_guard lk(state_->mu);
    if (state_->closed) return false;
    if (!guaranteed && state_->droppableEvents >= state_->limits.events) {
      dropped = ++state_->eventsDropped;
    } else {
      state_->events.push_back(Task{std::move(task), state_->nextSeq++, 0, guaranteed});
      if (!guaranteed) ++state_->droppableEvents;
      state_->cv.notify_one();
    }
  }
  if (dropped && worthLogging(dropped))
    OL_LOGW("callback", "%s: the app's callbacks do not keep up; %llu event(s) dropped (policy drop-newest, %zu "
            "waiting)", state_->name.c_str(), static_cast<unsigned long long>(dropped), state_->limits.events);
  return dropped == 0;
}

bool CallbackDispatcher::postFrame(size_t bytes, std::function<void()> task) {
  std::deque<Task> evicted;  // destroyed outside the lock
  uint64_t dropped = 0;
  {
    std::lock_guard lk(state_->mu);
    if (state_->closed) return false;
    State& s = *state_;
    while (!s.frames.empty() &&
           (s.frames.size() >= s.limits.frames || s.frameBytes + bytes > s.limits.frameBytes)) {
      s.frameBytes -= s.frames.front().bytes;
      evicted.push_back(std::move(s.frames.front()));
      s.frames.pop_front();
      dropped = ++s.framesDropped;
    }
    s.frames.push_back(Task{std::move(task), s.nextSeq++, bytes, false});
    s.frameBytes += bytes;
    s.cv.notify_one();
  }
  if (dropped && worthLogging(dropped))
    OL_LOGW("callback", "%s: the app's frame callbacks do not keep up; %llu frame(s) dropped (policy drop-oldest)",
            state_->name.c_str(), static_cast<unsigned long long>(dropped));
  return true;
}

void CallbackDispatcher::drain() {
  if (onDispatcherThread()) return;
  std::unique_lock lk(state_->mu);
  state_->idleCv.wait(lk, [&] {
    return state_->closed || (state_->events.empty() && state_->frames.empty() && !state_->running);
  });
}

void CallbackDispatcher::shutdown() {
  std::deque<Task> discardedEvents, discardedFrames;
  {
    std::lock_guard lk(state_->mu);
    state_->closed = true;
    discardedEvents.swap(state_->events);
    discardedFrames.swap(state_->frames);
    state_->droppableEvents = 0;
    state_->frameBytes = 0;
    state_->cv.notify_all();
    state_->idleCv.notify_all();
  }
  discardedEvents.clear();  // destroy captured state outside the lock
  discardedFrames.clear();
  if (!state_->thread.joinable()) return;
  if (std::this_thread::get_id() == state_->threadId) {
    state_->thread.detach();  // no self-join: the thread exits after the running task returns
  } else {
    state_->thread.join();
  }
}

bool CallbackDispatcher::onDispatcherThread() const { return std::this_thread::get_id() == state_->threadId; }

uint64_t CallbackDispatcher::dropped() const {
  std::lock_guard lk(state_->mu);
  return state_->eventsDropped + state_->framesDropped;
}

CallbackDispatcher::Counters CallbackDispatcher::counters() const {
  std::lock_guard lk(state_->mu);
  return Counters{state_->eventsDropped, state_->framesDropped, state_->frames.size(), state_->frameBytes};
}

}  // namespace openlive::detail
