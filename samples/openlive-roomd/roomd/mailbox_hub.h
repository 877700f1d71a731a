// Per-user mailboxes behind the signalling streams: the last `retention` of each user's messages, so a client
// that reconnects with Last-Event-ID gets exactly what it missed, once each, in order.
//
// Bounded: at most `capacity` messages per user (overflow policy drop-oldest, counted in dropped()); messages
// older than `retention` are pruned. A resume from an id older than something dropped is reported as a gap (the
// stream then sends a "reset" event so the client re-reads room state). At most `maxStreams` open streams: one
// per user (a newer stream for the same user ends the older one).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "envelope.h"

namespace openlive::roomd {

class MailboxHub {
 public:
  MailboxHub(size_t capacity, std::chrono::milliseconds retention, size_t maxStreams);

  // Appends `m` to every recipient's mailbox. Ids must increase per mailbox; one not above the last is ignored.
  void deliver(const std::vector<std::string>& to, const MessagePtr& m);

  struct Stream {
    std::string userID;
    uint64_t generation = 0;
  };
  // nullopt when maxStreams are open (or after shutdown).
  std::optional<Stream> openStream(const std::string& userID);
  void closeStream(const Stream& stream);

  struct Batch {
    std::vector<MessagePtr> messages;
    bool gap = false;     // something after `afterId` was dropped before it could be read
    bool closed = false;  // the stream was superseded, its user logged out, or the hub shut down
  };
  // Waits up to `wait` for messages after `afterId`; with afterId 0 (a fresh stream) those stamped at or after
  // `sinceMs` (the login time). Returns at once when some are there.
  Batch next(const Stream& stream, uint64_t afterId, int64_t sinceMs, std::chrono::milliseconds wait);

  void closeUser(const std::string& userID);  // logout: ends the user's stream
  void shutdown();                            // ends every stream; no new ones
  void prune(int64_t nowMs);                  // drops messages past retention and idle empty mailboxes

  size_t openStreams() const;
  uint64_t dropped() const;

 private:
  struct Box {
    std::vector<MessagePtr> q;  // ascending ids (a vector: bounded, read by index)
    uint64_t lostUpTo = 0;      // highest id dropped (overflow or retention)
    uint64_t generation = 0;    // of the current stream
    bool streamOpen = false;
    bool loggedOut = false;     // closeUser(): ends the stream that is open now
    int64_t lastUseMs = 0;
    std::condition_variable cv;
  };
  std::shared_ptr<Box> boxLocked(const std::string& userID);
  bool streamClosedLocked(const Box& box, const Stream& stream) const;

  const size_t capacity_;
  const std::chrono::milliseconds retention_;
  const size_t maxStreams_;
  mutable std::mutex mu_;
  std::map<std::string, std::shared_ptr<Box>> boxes_;  // guarded by mu_
  size_t open_ = 0;                                     // guarded by mu_
  uint64_t dropped_ = 0;                                // guarded by mu_
  bool shutdown_ = false;                               // guarded by mu_
};

}  // namespace openlive::roomd
