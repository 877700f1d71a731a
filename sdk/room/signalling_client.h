// SDK-internal client of the RoomService signalling channel (GET /weapp/signal/stream, Server-Sent Events).
//
//   SignallingClient sig({.serverUrl = url, .userID = "alice", .token = client.token()},
//                        [](const SignalMessage& m) { ... },                 // each message once, in id order
//                        [](ChannelEvent e, const std::string& why) { ... }); // optional
//   sig.start();
//   ...
//   sig.stop();
//
// Threads: a reader ("ol-room-sse") holds the stream, reconnects with Last-Event-ID after a drop (backoff
// reconnectMin doubling to reconnectMax) and never runs app code; callbacks run on the client's own callback
// thread ("ol-room-sig-cb"), in order, one at a time, never under an internal lock. The queue between them holds
// at most maxPending messages, overflow policy "block": a full queue stops the reader (the stream backs up and
// the service keeps the rest in the user's mailbox, 30 s), so nothing is dropped on our side.
// stop() is bounded: it shuts the stream's socket down (a reader still connecting ends at its connect timeout)
// and joins the reader; no callback runs after it returns, unless stop() is called from a callback (then the
// running callback finishes; nothing after it runs). A token the service refuses (401) ends the channel with
// ChannelEvent::AuthFailed.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "room/room_types.h"

namespace httplib {
class Client;
}

namespace openlive::detail {
class CallbackDispatcher;
}

namespace openlive::room {

struct SignallingFlow;

enum class ChannelEvent {
  Connected,     // the stream is open (again)
  Disconnected,  // the stream broke; reconnecting
  Reset,         // the service dropped messages this client never read: re-read room state
  AuthFailed,    // the token was refused: the channel stopped
  Failed,        // the server URL is unusable: the channel stopped
};
const char* toString(ChannelEvent e);

class SignallingClient {
 public:
  struct Options {
    std::string serverUrl;  // http://HOST:PORT
    std::string userID;
    std::string token;
    uint64_t lastEventId = 0;                      // resume after this id (0: what arrived since login)
    std::chrono::milliseconds connectTimeout{5000};
    std::chrono::milliseconds readTimeout{25000};  // longer than the service's keep-alive ping (10 s)
    std::chrono::milliseconds reconnectMin{200};
    std::chrono::milliseconds reconnectMax{5000};
    size_t maxPending = 256;
  };
  using MessageHandler = std::function<void(const SignalMessage&)>;
  using EventHandler = std::function<void(ChannelEvent event, const std::string& detail)>;

  SignallingClient(Options options, MessageHandler onMessage, EventHandler onEvent = nullptr);
  ~SignallingClient();  // stop()
  SignallingClient(const SignallingClient&) = delete;
  SignallingClient& operator=(const SignallingClient&) = delete;

  void start();
  void stop();

  // The last event id read from the stream (the resume point).
  uint64_t lastEventId() const;
  uint64_t connects() const { return connects_.load(); }
  uint64_t duplicatesSkipped() const { return duplicates_.load(); }

 private:
  enum class ReadEnd { Broken, AuthFailed, BadUrl, Stopped };
  void run();
  ReadEnd readOnce(bool* gotData);
  void onEvent(const std::string& type, const std::string& data);
  void post(std::function<void()> task);
  bool waitBackoff(std::chrono::milliseconds d);
  void emit(ChannelEvent e, std::string detail);

  const Options options_;
  std::shared_ptr<MessageHandler> onMessage_;
  std::shared_ptr<EventHandler> onEvent_;
  std::unique_ptr<detail::CallbackDispatcher> dispatcher_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;                   // guarded by mu_
  bool started_ = false;                    // guarded by mu_
  std::shared_ptr<httplib::Client> client_;  // guarded by mu_: the connection stop() shuts down
  uint64_t lastId_ = 0;                     // guarded by mu_
  std::shared_ptr<SignallingFlow> flow_;  // back-pressure, shared with posted tasks
  std::atomic<bool> stopFlag_{false};     // stopping_, readable without mu_ from the reader's callbacks
  std::atomic<uint64_t> connects_{0};
  std::atomic<uint64_t> duplicates_{0};
  std::thread reader_;
};

}  // namespace openlive::room
