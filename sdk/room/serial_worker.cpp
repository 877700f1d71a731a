#include "room/serial_worker.h"

#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <thread>
#include <utility>

#include <pthread.h>

namespace openlive::room {

struct SerialWorker::State {
  std::string name;
  size_t capacity = 0;
  std::mutex mu;
  std::condition_variable cv;
  std::deque<Task> tasks;                                        // guarded by mu
  std::multimap<Clock::time_point, std::pair<uint64_t, Task>> timers;  // guarded by mu
  uint64_t nextTimer = 1;                                        // guarded by mu
  uint64_t refused = 0;                                          // guarded by mu
  bool stopping = false;                                         // guarded by mu
  std::thread thread;
  std::thread::id threadId;

  // The next task to run: a due timer first, else the queue's head; waits until there is one or stop.
  bool next(Task* out) {
    std::unique_lock lk(mu);
    for (;;) {
      if (stopping) return false;
      const auto now = Clock::now();
      if (!timers.empty() && timers.begin()->first <= now) {
        *out = std::move(timers.begin()->second.second);
        timers.erase(timers.begin());
        return true;
      }
      if (!tasks.empty()) {
        *out = std::move(tasks.front());
        tasks.pop_front();
        return true;
      }
      if (timers.empty()) cv.wait(lk);
      else cv.wait_until(lk, timers.begin()->first);
    }
  }

  void run() {
    pthread_setname_np(pthread_self(), name.substr(0, 15).c_str());
    Task t;
    while (next(&t)) {
      t();
      t = nullptr;  // captured state dies on the worker, outside the lock
    }
  }
};

SerialWorker::SerialWorker(std::string threadName, size_t capacity) : state_(std::make_shared<State>()) {
  state_->name = std::move(threadName);
  state_->capacity = capacity ? capacity : 1;
  std::shared_ptr<State> st = state_;
  std::unique_lock lk(st->mu);  // threadId is written before anyone can ask onWorkerThread()
  st->thread = std::thread([st] {
    { std::lock_guard g(st->mu); }
    st->run();
  });
  st->threadId = st->thread.get_id();
}

SerialWorker::~SerialWorker() { stop(); }

bool SerialWorker::post(Task task) {
  std::lock_guard lk(state_->mu);
  if (state_->stopping) return false;
  if (state_->tasks.size() >= state_->capacity) {
    ++state_->refused;
    return false;
  }
  state_->tasks.push_back(std::move(task));
  state_->cv.notify_one();
  return true;
}

uint64_t SerialWorker::postAfter(std::chrono::milliseconds delay, Task task) {
  std::lock_guard lk(state_->mu);
  if (state_->stopping) return 0;
  const uint64_t id = state_->nextTimer++;
  state_->timers.emplace(Clock::now() + delay, std::make_pair(id, std::move(task)));
  state_->cv.notify_one();
  return id;
}

void SerialWorker::cancel(uint64_t timerId) {
  Task dead;  // destroyed outside the lock
  std::lock_guard lk(state_->mu);
  for (auto it = state_->timers.begin(); it != state_->timers.end(); ++it) {
    if (it->second.first == timerId) {
      dead = std::move(it->second.second);
      state_->timers.erase(it);
      return;
    }
  }
}

void SerialWorker::stop() {
  std::deque<Task> tasks;
  std::multimap<Clock::time_point, std::pair<uint64_t, Task>> timers;
  {
    std::lock_guard lk(state_->mu);
    if (state_->stopping && !state_->thread.joinable()) return;
    state_->stopping = true;
    tasks.swap(state_->tasks);
    timers.swap(state_->timers);
    state_->cv.notify_all();
  }
  if (!state_->thread.joinable()) return;
  if (onWorkerThread()) state_->thread.detach();  // the running task is our caller; the thread ends after it
  else state_->thread.join();
}

bool SerialWorker::onWorkerThread() const { return std::this_thread::get_id() == state_->threadId; }

uint64_t SerialWorker::refused() const {
  std::lock_guard lk(state_->mu);
  return state_->refused;
}

}  // namespace openlive::room
