// TLS client for rtmps:// (transport stage), with GnuTLS.
//
// Why not librtmp's own TLS: librtmp's RTMP_FEATURE_SSL path never verifies the peer certificate, and handing
// it a session through RTMPSockBuf.sb_ssl does not work either: RTMPSockBuf_Fill adds the return value of
// gnutls_record_recv to sb_size unless it is exactly -1, so a read timeout (GNUTLS_E_AGAIN = -28) or any TLS
// error corrupts the socket buffer and loses the "timed out" flag the no-data path depends on.
//
// So the TLS session stays outside librtmp: establish() does the handshake on the connected TCP socket
// (non-blocking, bounded by a deadline, each wait woken at once by the cancel signal), verifies the certificate chain against the
// system trust store (plus an optional CA file) and the host name, and then relays plaintext through a
// socketpair. librtmp gets the plain end as an ordinary socket (protocol plain RTMP, sb_ssl unset), so its
// SO_RCVTIMEO/SO_SNDTIMEO timeouts, shutdown() cancellation and EOF classification work exactly as for rtmp://.
// The relay thread ("ol-tls-relay") owns the GnuTLS session and the TCP socket; nobody else touches them.
//
// The relay's buffers are bounded (one TLS record each way) and the socketpair's send buffers are small, so
// backpressure from a slow network still reaches librtmp's send() and its SO_SNDTIMEO.
#pragma once

#include "transport/cancel_signal.h"

#include <chrono>
#include <memory>
#include <string>

namespace openlive::transport {

struct TlsOptions {
  // Accept a certificate whose issuer is not trusted (self-signed test certificates). The host name is still
  // checked, and every other problem (expired, bad signature, ...) still fails. For tests only.
  bool allowSelfSigned = false;
  // PEM file with extra trusted CA certificates, used in addition to the system trust store. Empty: none.
  std::string caFile;
  std::chrono::milliseconds handshakeTimeout{8000};  // whole TLS handshake, then the error is a timeout
  std::chrono::milliseconds ioTimeout{8000};         // SO_RCVTIMEO/SO_SNDTIMEO put on the plain (librtmp) end
};

class TlsSession;

struct TlsEstablishResult {
  std::unique_ptr<TlsSession> session;  // set on success
  int plainFd = -1;                     // on success: blocking socket for librtmp, owned by the caller
  bool cancelled = false;
  std::string error;  // on failure: what went wrong, e.g. "certificate not trusted: ...", "hostname mismatch: ..."
};

class TlsSession {
 public:
  // Takes ownership of `tcpFd` (a connected socket; closed on failure). `host` is the name from the URL: used
  // for SNI (names only) and the certificate check (names and IP literals).
  static TlsEstablishResult establish(int tcpFd, const std::string& host, const TlsOptions& options,
                                      const CancelSignal& cancel);

  // Lets the relay flush what librtmp already wrote (bounded, ~500 ms; the plain end must be closed first for
  // an orderly close_notify), then stops it, and closes the TCP socket.
  ~TlsSession();
  TlsSession(const TlsSession&) = delete;
  TlsSession& operator=(const TlsSession&) = delete;

  const std::string& description() const;  // e.g. "(TLS1.3)-(ECDHE-X25519)-(RSA-PSS-RSAE-SHA256)-(AES-256-GCM)"

  struct Impl;

 private:
  explicit TlsSession(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace openlive::transport
