// A hostile RTMP server for robustness tests: it speaks enough real RTMP (handshake, chunk stream parsing,
// connect / createStream / play / publish answers) to get a client into the playing state, then misbehaves
// in one chosen way. Listens on an ephemeral 127.0.0.1 port; serves any number of connections; stops and
// joins on destruction.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace openlive::test {

class HostileRtmpServer {
 public:
  enum class Behavior {
    GarbageAfterHandshake,   // random bytes right after the handshake
    HugeMessageSize,         // a video message declaring ~16 MiB (the 24-bit maximum), then a trickle
    WrongStreamIds,          // media on stream ids the client never created
    BackwardTimestamps,      // valid-looking AVC/AAC tags whose timestamps jump backwards
    TimestampWrap,           // timestamps starting just below 2^32 ms and wrapping
    MalformedTags,           // tags with truncated / nonsensical codec headers and AVC NALU lengths
    TruncatedThenClose,      // half a message, then an orderly close
    ChunkSizeZero,           // SetChunkSize 0 and then 0x7FFFFFFF
    RandomChunks,            // a long stream of random chunk headers and payloads
    RestartIncompleteMessage,  // new type-0 headers on a chunk stream whose message is incomplete (librtmp leak)
  };
  static const char* name(Behavior b);
  static std::vector<Behavior> all();

  explicit HostileRtmpServer(Behavior behavior, unsigned seed = 1);
  ~HostileRtmpServer();
  HostileRtmpServer(const HostileRtmpServer&) = delete;
  HostileRtmpServer& operator=(const HostileRtmpServer&) = delete;

  int port() const { return port_; }
  std::string url(const std::string& stream = "s") const;
  int connections() const { return connections_.load(); }
  int reachedPlaying() const { return playing_.load(); }  // sessions that got to Play.Start

 private:
  void serve(int fd);
  void holdUntil(std::chrono::steady_clock::time_point until);  // or until the server is destroyed
  Behavior behavior_;
  unsigned seed_;
  int listenFd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::mutex stopMu_;
  std::condition_variable stopCv_;  // wakes holdUntil() when the server is destroyed
  std::atomic<int> connections_{0}, playing_{0};
  std::thread acceptThread_;
  std::vector<std::thread> sessions_;  // touched only by the accept thread, joined in the destructor
};

}  // namespace openlive::test
