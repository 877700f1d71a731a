// The publisher of a publishing session: the io thread ("ol-push-io"). Connects and publishes, sends what the
// send queue holds through a StreamWriter, and reconnects by its policy: after a failed connect or a lost link,
// `connectRetryCount` more attempts `connectRetryInterval` apart (1102 each), then -1307; a refusal by a server
// still holding our old session (BadName) is retried like a lost link, any other refusal is fatal (-1308). The
// media clock starts at the first publish (1002); after a reconnect the queue restarts at an IDR.
// cancel() (stop(), any thread) shuts the connection down so a blocked send or connect returns at once.
#pragma once

#include <openlive/live_pusher.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <string>

#include "pusher/interleaver.h"
#include "pusher/media_clock.h"
#include "pusher/push_controls.h"
#include "pusher/push_events.h"
#include "pusher/push_state.h"
#include "pusher/push_stats.h"
#include "pusher/run_signal.h"
#include "pusher/send_queue.h"
#include "pusher/stream_writer.h"
#include "transport/rtmp_connection.h"

namespace openlive::detail {

class Publisher {
 public:
  struct Deps {
    SendQueue& queue;
    Interleaver& interleaver;
    const StreamHeaders& headers;
    PushStateMachine& state;
    MediaClock& clock;
    RunSignal& signal;
    PushEvents& events;
    PushStats& stats;
    SourceEndNotice& sourceEnd;
    std::function<void()> requestKeyframe;  // after a reconnect
  };
  Publisher(const PushConfig& config, std::string url, StreamInfo info, Deps deps);

  void run();     // the thread body
  void cancel();  // any thread
  bool done() const { return done_.load(); }
  // For the link estimator and net status (any thread).
  std::shared_ptr<transport::RtmpConnection> connection() const;
  std::string serverIp() const;

 private:
  transport::ConnectOptions connectOptions() const;
  // One connection: connect, publish, send until it breaks (`published` tells whether it got that far). False
  // when the session must end (stopping, or a refusal not worth retrying).
  bool attempt(const transport::ConnectOptions& opts, bool& published);
  bool reportConnectFailure(const transport::ConnectResult& r);  // false: do not retry
  transport::ReadStatus sendLoop(transport::RtmpConnection& conn);
  void checkSourceEnd();

  const PushConfig& config_;
  const std::string url_;
  Deps d_;
  StreamWriter writer_;  // io thread only
  bool everPublished_ = false;  // io thread only
  std::atomic<bool> done_{false};
  mutable std::mutex mu_;
  std::shared_ptr<transport::RtmpConnection> conn_;  // guarded by mu_
  std::string serverIp_;                             // guarded by mu_
};

}  // namespace openlive::detail
