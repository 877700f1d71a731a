#include "common/callback_dispatcher.h"

#include "common/logging.h"

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include <pthread.h>

namespace openlive::detail {

struct CallbackDispatcher::State {
  std::mutex mu;
  std::condition_variable cv;
  std::condition_variable idleCv;
  std::deque<std::function<void()>> tasks;  // guarded by mu
  bool closed = false;                        // guarded by mu
  bool running = false;                       // guarded by mu: a task is executing
  uint64_t dropped = 0;                       // guarded by mu
  size_t capacity = 0;                        // immutable
  std::thread thread;
  std::thread::id threadId;                   // written before the thread runs any task
};

CallbackDispatcher::CallbackDispatcher(std::string threadName, size_t capacity)
    : state_(std::make_shared<State>()) {
  state_->capacity = capacity;
  std::shared_ptr<State> st = state_;
  std::unique_lock startLk(st->mu);
  st->thread = std::thread([st, threadName] {
    pthread_setname_np(pthread_self(), threadName.substr(0, 15).c_str());
    std::unique_lock lk(st->mu);
    for (;;) {
      st->cv.wait(lk, [&] { return st->closed || !st->tasks.empty(); });
      if (st->closed) break;
      auto task = std::move(st->tasks.front());
      st->tasks.pop_front();
      st->running = true;
      lk.unlock();
      try {
        task();
      } catch (const std::exception& e) {
        OL_LOGE("callback", "application callback threw: %s", e.what());
      } catch (...) {
        OL_LOGE("callback", "application callback threw a non-standard exception");
      }
      task = nullptr;  // release captured objects outside the lock
      lk.lock();
      st->running = false;
      if (st->tasks.empty()) st->idleCv.notify_all();
    }
    st->running = false;
    st->idleCv.notify_all();
  });
  st->threadId = st->thread.get_id();
}

CallbackDispatcher::~CallbackDispatcher() { shutdown(); }

bool CallbackDispatcher::post(std::function<void()> task) {
  std::lock_guard lk(state_->mu);
  if (state_->closed) return false;
  if (state_->tasks.size() >= state_->capacity) {
    ++state_->dropped;
    return false;
  }
  state_->tasks.push_back(std::move(task));
  state_->cv.notify_one();
  return true;
}

void CallbackDispatcher::drain() {
  if (onDispatcherThread()) return;
  std::unique_lock lk(state_->mu);
  state_->idleCv.wait(lk, [&] { return state_->closed || (state_->tasks.empty() && !state_->running); });
}

void CallbackDispatcher::shutdown() {
  std::deque<std::function<void()>> discarded;
  {
    std::lock_guard lk(state_->mu);
    state_->closed = true;
    discarded.swap(state_->tasks);
    state_->cv.notify_all();
    state_->idleCv.notify_all();
  }
  discarded.clear();  // destroy captured state outside the lock
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
  return state_->dropped;
}

}  // namespace openlive::detail
