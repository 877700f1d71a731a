// Fan-out of signalling messages to the mailboxes of every roomd instance.
//
// LocalSignalBus: one process; numbers messages with a counter and delivers them straight into the hub.
// RedisSignalBus: several instances; one atomic script INCRs the global id and PUBLISHes the message on the
// "ol:signal" channel, so every instance (this one included) receives every message in the same order, and a
// client may resume its stream on any instance. A subscriber thread per instance ("roomd-redis-sub") feeds the
// hub. Pub/sub is at-most-once: while the subscriber reconnects, messages published meanwhile do not reach this
// instance's mailboxes (logged; the room state itself is in redis and a client re-reads it).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

#include "envelope.h"
#include "mailbox_hub.h"
#include "redis_client.h"

namespace openlive::roomd {

class SignalBus {
 public:
  virtual ~SignalBus() = default;
  // Numbers the message and hands it to every instance's hub; returns its id. Throws StoreUnavailable (redis).
  virtual uint64_t publish(Outgoing out) = 0;
  virtual void stop() {}
};

class LocalSignalBus final : public SignalBus {
 public:
  explicit LocalSignalBus(MailboxHub& hub) : hub_(hub) {}
  uint64_t publish(Outgoing out) override;

 private:
  MailboxHub& hub_;
  std::mutex mu_;     // numbering and delivery in one step, so ids reach mailboxes in order
  uint64_t seq_ = 0;  // guarded by mu_
};

class RedisSignalBus final : public SignalBus {
 public:
  RedisSignalBus(RedisPool& pool, MailboxHub& hub);
  ~RedisSignalBus() override;
  uint64_t publish(Outgoing out) override;
  // Bounded: shuts the subscriber's socket down and joins its thread.
  void stop() override;
  // Waits until the subscriber listens (so nothing published after a successful return is missed).
  bool waitSubscribed(std::chrono::milliseconds timeout);

 private:
  void run();
  bool listenOnce();  // one connection's life; false when stopping
  void handle(const RedisReply& reply);

  RedisPool& pool_;
  MailboxHub& hub_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;    // guarded by mu_
  bool subscribed_ = false;  // guarded by mu_
  int subFd_ = -1;           // guarded by mu_: the subscriber's socket, shut down by stop()
  std::thread thread_;
};

}  // namespace openlive::roomd
