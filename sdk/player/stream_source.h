// Where the player's FLV tags come from (player stage): an RTMP connection or an HTTP-FLV body, behind one
// interface the session's I/O thread drives: connect(), then read() until the stream ends, fails or is
// cancelled. cancel() may be called from any thread and makes a blocked connect() or read() return at once.
#pragma once

#include <openlive/live_player.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace openlive::player {

// Why a connect or a read failed, in the player's terms (mapped to events by the session).
enum class SourceFailure {
  None,
  Dns,        // 3001, retried
  Tcp,        // 3002, retried
  Handshake,  // 3003, retried (also a timeout during connect)
  Closed,     // 3004, retried: the server closed an established stream
  ReadError,  // 3005, retried: read failed or timed out
  NotFound,   // -2303, final: HTTP 404, NetStream.Play.StreamNotFound
  Refused,    // -2308, final: HTTP 401/403, NetStream.Play.Failed, closed right after play
  EmptyBody,  // -2303, final: HTTP 200 with no FLV in the body
  NotFlv,     // 3005, retried: a body that is not FLV
};
const char* toString(SourceFailure f);
bool isFinal(SourceFailure f);

struct SourceError {
  SourceFailure failure = SourceFailure::None;
  std::string why;  // readable, secrets redacted
  bool ok() const { return failure == SourceFailure::None; }
};

// What the source reports while it reads (called on the I/O thread).
class TagListener {
 public:
  virtual ~TagListener() = default;
  virtual void onStreamBegin() = 0;  // the server began the stream (Play.Start, StreamBegin, FLV header): 2002
  virtual void onTag(uint8_t type, uint32_t timestampMs, const uint8_t* body, size_t size) = 0;
  virtual void onPublisherLeft() = 0;      // UnpublishNotify / Play.Stop / StreamEOF
  virtual void onVideoAnnounced() = 0;     // the FLV header says the stream has video
};

class StreamSource {
 public:
  enum class ReadEnd { Cancelled, EndOfStream, Failed };
  virtual ~StreamSource() = default;
  // `onConnected` runs on this thread once the server accepted the connection (2001).
  virtual SourceError connect(const std::function<void()>& onConnected) = 0;
  virtual ReadEnd read(TagListener& listener, SourceError* error) = 0;
  virtual void cancel() = 0;  // any thread
  virtual void close() = 0;
  virtual std::string serverAddress() const = 0;
};

std::unique_ptr<StreamSource> makeRtmpSource(const std::string& url, const PlayConfig& config, bool rtc);
std::unique_ptr<StreamSource> makeHttpFlvSource(const std::string& url);

}  // namespace openlive::player
