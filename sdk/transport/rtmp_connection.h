// RTMP connection layer shared by the pusher and the player (transport stage).
//
// librtmp does the RTMP handshake and chunk stream; we own everything around it that librtmp gets wrong for
// a live SDK (see docs/ARCHITECTURE.md, "librtmp"): name lookup with getaddrinfo (IPv4 + IPv6, each address
// tried in turn), a non-blocking TCP connect with a deadline, SO_SNDTIMEO/SO_RCVTIMEO on the socket,
// cancellation from any thread (an eventfd polled in every wait of the connect path, shutdown() for librtmp's
// blocking reads and writes), SIGPIPE blocked on the I/O thread, our own onStatus parsing
// (so NetStream.Publish.BadName is surfaced as a retryable rejection), chunk size 4096 and extended
// timestamps.
//
// Units: rtmp_protocol (message types, user-control events, the onStatus table), rtmp_invoke (AMF0 command
// decoding), rtmp_aggregate (aggregate unpacking), rtmp_chunk_reader (the guarded read, the only place that
// reads from librtmp), rtmp_connect.cpp (the connect phases), rtmp_link (the state around librtmp).
//
// Threading: connect(), sendMessage(), readMessage() and close() run on one I/O thread (the session's);
// cancel() may be called from any thread at any time, and makes every blocked or later call return promptly.
#pragma once

#include "transport/cancel_signal.h"
#include "transport/rtmp_message.h"
#include "transport/rtmp_protocol.h"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

struct RTMPPacket;

namespace openlive::transport {

// rtmp[s]://host[:port]/app[/inst]/playpath[?query]
struct RtmpUrl {
  std::string scheme;    // "rtmp" or "rtmps"
  std::string host;      // without brackets for IPv6 literals
  int port = 1935;
  std::string app;       // may contain one '/' (app/instance)
  std::string playpath;  // stream name including its ?query (signing parameters)
  std::string tcUrl;     // scheme://host[:port]/app
  bool tls = false;

  // nullopt for anything that is not a usable RTMP URL (empty, other scheme, missing app or stream).
  static std::optional<RtmpUrl> parse(std::string_view url);
};

enum class ConnectFailure {
  None,
  InvalidUrl,  // -> -1313 (push) / startPlay error
  Dns,         // -> 3001
  Tcp,         // -> 3002
  Handshake,   // -> 3003 (handshake or NetConnection.connect failed)
  Rejected,    // server refused publish/play (onStatus error); `retryable` tells if worth retrying
  Closed,      // server closed the link during connect -> 3004
  Timeout,     // no answer within the I/O timeout during connect -> 3003
  Cancelled,   // cancel() was called
};
const char* toString(ConnectFailure f);

struct ConnectOptions {
  bool publish = false;                              // publish (pusher) or play (player)
  std::chrono::milliseconds connectTimeout{5000};    // TCP connect deadline per address
  std::chrono::milliseconds ioTimeout{8000};         // SO_SNDTIMEO / SO_RCVTIMEO and handshake budget
  int outChunkSize = 4096;                           // sent with SetChunkSize after connect
  std::chrono::milliseconds playBuffer{1000};        // play: buffer length announced to the server
  // SO_SNDBUF of the TCP socket (0 = kernel autotuning). A publisher keeps it small so a slow uplink shows up
  // in its own time-measured send queue instead of hiding megabytes in the kernel.
  int sendBufferBytes = 0;
  // TCP_NOTSENT_LOWAT (0 = not set): a blocking send waits while more than this many bytes are still unsent in
  // the kernel. Bytes in flight are not limited (a long path keeps its throughput); the backlog a slow uplink
  // builds stays in the publisher's send queue, where it is measured, and not in the socket buffer.
  int notSentLowWatermarkBytes = 0;
  // rtmps:// only (see transport/tls_session.h). The certificate is checked against the system trust store
  // plus `tlsCaFile`, and against the URL's host name; a failure is ConnectFailure::Handshake with a message
  // naming the problem ("certificate not trusted", "hostname mismatch", ...).
  bool tlsAllowSelfSigned = false;                   // accept an untrusted issuer (tests only); name still checked
  std::string tlsCaFile;                             // PEM file of extra trusted CAs; "" = system store only
};

// Why the server said no, typed (the player maps NotFound -> -2303, Refused / ClosedAfterStart -> -2308).
enum class Refusal {
  None,
  NotFound,  // NetStream.Play.StreamNotFound
  Refused,   // Play.Failed / Play.Forbidden / Publish.Forbidden / Publish.Unauthorized / Connect.Rejected /
             // Connect.InvalidApp, an _error reply to connect, play or publish, an unknown error-level status
  BadName,   // NetStream.Publish.BadName: the name is in use (retryable: often our own stale session)
  // The server closed or reset the link right after it accepted play/publish: before any media, within
  // kRefusalWindow of the command or its Start status. nginx-rtmp `deny play` (Play.Start, then a reset) and
  // node-media-server's refused play/publish (Start, then FIN) look like this. A close later, or after media,
  // is a plain Closed/Error, not a refusal.
  ClosedAfterStart,
};
const char* toString(Refusal r);
constexpr std::chrono::milliseconds kRefusalWindow{1000};

// What the server has sent so far that says the stream is starting. Connect succeeds on a Start status (or the
// first media); that is not "the server started sending": nginx-rtmp answers Play.Start into an idle stream
// and sends StreamBegin only once a publisher is live.
struct StartSignals {
  bool startStatus = false;  // NetStream.Play.Start / NetStream.Publish.Start
  bool streamBegin = false;  // user control StreamBegin
  bool media = false;        // audio or video arrived
  bool sending() const { return streamBegin || media; }  // the server started sending the stream
};

struct ConnectResult {
  ConnectFailure failure = ConnectFailure::None;
  std::string message;       // human-readable, secrets redacted
  Refusal refusal = Refusal::None;           // set when the server refused (see Refusal)
  StreamStatus status = StreamStatus::None;  // the onStatus code that ended the connect, typed
  std::string statusCode;    // the same as sent (e.g. NetStream.Publish.BadName); kept for logs and events
  bool retryable = true;     // false for permanent refusals
  StartSignals signals;      // on success: what had arrived when connect returned
  bool ok() const { return failure == ConnectFailure::None; }
};

struct RtmpLink;  // rtmp_link.h

class RtmpConnection {
 public:
  explicit RtmpConnection(std::string url);
  ~RtmpConnection();
  RtmpConnection(const RtmpConnection&) = delete;
  RtmpConnection& operator=(const RtmpConnection&) = delete;

  // Resolve, TCP connect, handshake, NetConnection.connect, then publish or play and wait for
  // NetStream.Publish.Start / NetStream.Play.Start (or the first media). `onNetConnected` runs on the calling
  // thread once NetConnection.connect succeeded (the session emits 1001 / 2001 from it).
  ConnectResult connect(const ConnectOptions& options, const std::function<void()>& onNetConnected = {});

  // Publishing: sends one message (type 8 audio, 9 video, 18 data) with an FLV tag body. Timestamps are ms and
  // may exceed 0xFFFFFF (extended timestamps are used). Returns false when the link failed; then
  // lastReadStatus()/lastError() tell why (Closed -> 3004, Error/Timeout -> 3005).
  bool sendMessage(RtmpMessageType type, uint32_t timestampMs, const uint8_t* data, size_t size);
  // The same with a raw type id (kept for callers that still pass 8/9/18; prefer the typed overload).
  bool sendMessage(uint8_t type, uint32_t timestampMs, const uint8_t* data, size_t size);

  // Publishing: handles whatever the server sent (acks, pings, onStatus) without blocking. Returns false when
  // the server closed the link or an error status arrived.
  bool pollIncoming();

  // Playing: the next media/data message, onStatus notification (`status`) or stream event (`event`:
  // StreamBegin, StreamEOF, StreamDry). Blocks up to the I/O timeout.
  ReadStatus readMessage(RtmpMessage& out);

  // I/O thread: what the server has sent since connect() began (StreamBegin, media, ...).
  const StartSignals& startSignals() const;
  // I/O thread, after a failed read or send: Refusal::ClosedAfterStart when the link was closed or reset right
  // after the server accepted play/publish (see Refusal), else Refusal::None.
  Refusal lastRefusal() const { return lastRefusal_; }

  // Thread-safe, idempotent: every blocked or later call returns now. Fires the cancel signal (wakes the TCP
  // connect and TLS handshake waits) and shuts the socket down (wakes librtmp's blocking reads and writes).
  void cancel();
  bool cancelled() const { return cancel_.fired(); }

  // Closes the session (FCUnpublish/deleteStream for publishers when the link is still up). I/O thread only.
  void close();

  // Thread-safe: the kernel's smoothed round-trip time of the TCP link in microseconds (TCP_INFO), -1 when not
  // known (not connected, or rtmps, where librtmp's socket is the plain end of the TLS relay). A publisher
  // reads its rise over the path's base RTT as the queue building in the network (e.g. in a shaper).
  int64_t smoothedRttUs() const;
  // Thread-safe: bytes the peer has acknowledged on the TCP link so far (what the network delivered, unlike
  // what the socket accepted), -1 when not known (as above).
  int64_t bytesAcked() const;

  std::string serverAddress() const;  // "ip:port" of the connected peer, "" before connect
  uint64_t bytesSent() const;
  uint64_t bytesReceived() const;
  ReadStatus lastFailure() const { return lastFailure_; }
  const std::string& lastError() const { return lastError_; }

 private:
  std::unique_ptr<RtmpLink> impl_;
  CancelSignal cancel_;
  ReadStatus lastFailure_ = ReadStatus::Message;
  std::string lastError_;
  Refusal lastRefusal_ = Refusal::None;

  ReadStatus failRead(ReadStatus why, std::string error);
  bool failBool(ReadStatus why, std::string error);  // failRead, then false
  ReadStatus failLink(const char* closedText, const char* errorText);  // after librtmp's I/O failed
  bool handlePublisherMessage(RTMPPacket& p);
};

}  // namespace openlive::transport
