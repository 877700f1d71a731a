// The state of one RTMP connection around librtmp (RtmpConnection's implementation; transport stage): the
// librtmp session, the socket as seen by cancel(), the TLS relay, messages waiting to be read, byte counts.
// Threading: everything but the members marked "guarded by fdMu" belongs to the connection's I/O thread.
#pragma once

#include "transport/rtmp_connection.h"
#include "transport/tls_session.h"

extern "C" {
#include <librtmp/rtmp.h>
}

#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace openlive::transport {

// The typed refusal for a refusing status (NotFound, BadName, or Refused).
Refusal refusalFor(StreamStatus s);

struct RtmpLink {
  std::string url;
  std::optional<RtmpUrl> parsed;
  // Strings the RTMP_LNK AVals point into; must outlive `rtmp`.
  std::string host, app, playpath, tcUrl, flashVer;
  RTMP* rtmp = nullptr;
  std::unique_ptr<TlsSession> tls;  // rtmps://: relays librtmp's plain socket through TLS; dies after `rtmp`
  bool publish = false;
  bool streamUp = false;  // publish/play started (Start status, or media)
  StartSignals signals;   // what the server sent since connect() began
  std::chrono::steady_clock::time_point startedAt{};  // when the server accepted play/publish (ClosedAfterStart)
  std::deque<RtmpMessage> pending;  // media that arrived during connect or unpacked from aggregates; bounded
  static constexpr size_t kMaxPending = 4096;  // overflow policy: drop-oldest (only possible with a broken peer)

  // The socket as seen by cancel(): a dup() of librtmp's descriptor, so shutdown() from another thread always
  // hits our socket even after librtmp closed its own number (which could have been reused).
  std::mutex fdMu;
  int cancelFd = -1;           // guarded by fdMu
  bool cancelFdIsTcp = false;  // guarded by fdMu: false for rtmps (the plain end of the TLS relay)
  std::string peer;            // guarded by fdMu
  uint64_t bytesOut = 0;
  uint64_t bytesInClosed = 0;  // bytes received by sessions already torn down

  ~RtmpLink() { teardown(); }

  // Closes the librtmp session (FCUnpublish/deleteStream for a publisher, bounded to 300 ms), the cancel
  // descriptor, then the TLS relay.
  void teardown();
  // After librtmp failed on the socket: was it an orderly close by the peer (EOF) or an error?
  ReadStatus classifyFailure();
  bool sendChunkSize(int size);
  void pushPending(RtmpMessage m);
  bool popPending(RtmpMessage& out);
  // The method name of one of our calls, by transaction id ("" when unknown).
  std::string methodForTxn(double txn) const;
  static RtmpMessage toMessage(const RTMPPacket& p);
  // Play side: turns a complete packet into a message for the reader (media, onStatus, stream event), or hands
  // it to librtmp (acks, pings, chunk size, other commands). Frees the packet. False when there is nothing to
  // deliver for it (then read on).
  bool takeMessage(RTMPPacket& p, RtmpMessage* out);
  // Records media for StartSignals (and as the start of a play that had no Start status).
  void noteMedia(uint8_t type);
  // ClosedAfterStart when a link that just failed had been accepted moments ago and carried no media.
  Refusal refusalForFailure(ReadStatus why) const;
};

}  // namespace openlive::transport
