#include "transport/tls_session.h"

#include "common/logging.h"

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <thread>
#include <vector>

namespace openlive::transport {
namespace {

constexpr size_t kRelayChunk = 16 * 1024;        // one TLS record's worth of plaintext each way
constexpr int kPlainSocketBuffer = 64 * 1024;    // keeps backpressure close to librtmp's send()
constexpr std::chrono::milliseconds kDrainBudget{500};

void setNonBlocking(int fd, bool on) {
  int flags = fcntl(fd, F_GETFL, 0);
  fcntl(fd, F_SETFL, on ? (flags | O_NONBLOCK) : (flags & ~O_NONBLOCK));
}

void setIoTimeouts(int fd, std::chrono::milliseconds io) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(io.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((io.count() % 1000) * 1000);
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

bool isIpLiteral(const std::string& host) {
  in6_addr a6{};
  in_addr a4{};
  return inet_pton(AF_INET, host.c_str(), &a4) == 1 || inet_pton(AF_INET6, host.c_str(), &a6) == 1;
}

// The verification status as words a user can act on, most important first.
std::string describeStatus(unsigned status, const std::string& host) {
  std::string out;
  auto add = [&](const std::string& s) { out += (out.empty() ? "" : "; ") + s; };
  if (status & GNUTLS_CERT_SIGNER_NOT_FOUND)
    add("certificate not trusted: its issuer is unknown (self-signed, or a CA missing from the trust store; "
        "set the CA file, or allow self-signed certificates for testing)");
  if (status & GNUTLS_CERT_UNEXPECTED_OWNER) add("hostname mismatch: the certificate is not valid for '" + host + "'");
  if (status & GNUTLS_CERT_EXPIRED) add("certificate expired");
  if (status & GNUTLS_CERT_NOT_ACTIVATED) add("certificate not yet valid");
  if (status & GNUTLS_CERT_REVOKED) add("certificate revoked");
  if (status & GNUTLS_CERT_SIGNER_NOT_CA) add("certificate issuer is not a CA");
  if (status & GNUTLS_CERT_INSECURE_ALGORITHM) add("certificate uses an insecure algorithm");
  if (status & GNUTLS_CERT_SIGNATURE_FAILURE) add("certificate signature is invalid");
  if (status & GNUTLS_CERT_SIGNER_CONSTRAINTS_FAILURE) add("certificate issuer constraints violated");
  if (status & GNUTLS_CERT_PURPOSE_MISMATCH) add("certificate not meant for TLS servers");
  if (out.empty()) {
    gnutls_datum_t text{};
    if (gnutls_certificate_verification_status_print(status, GNUTLS_CRT_X509, &text, 0) == 0) {
      add("certificate rejected: " + std::string(reinterpret_cast<const char*>(text.data), text.size));
      gnutls_free(text.data);
    } else {
      add("certificate rejected (status 0x" + std::to_string(status) + ")");
    }
  }
  return out;
}

std::string handshakeError(gnutls_session_t s, int rc) {
  std::string msg = gnutls_strerror(rc);
  if (rc == GNUTLS_E_FATAL_ALERT_RECEIVED || rc == GNUTLS_E_WARNING_ALERT_RECEIVED) {
    const char* alert = gnutls_alert_get_name(gnutls_alert_get(s));
    msg += std::string(" (server alert: ") + (alert ? alert : "?") + ")";
  }
  if (rc == GNUTLS_E_UNEXPECTED_PACKET_LENGTH || rc == GNUTLS_E_PREMATURE_TERMINATION ||
      rc == GNUTLS_E_PULL_ERROR || rc == GNUTLS_E_UNEXPECTED_PACKET)
    msg += " (is this a TLS endpoint?)";
  return msg;
}

enum class Handshake { Done, Failed, Cancelled };

// Non-blocking handshake within `timeout`; each wait for the socket also wakes on `cancel`.
Handshake handshake(gnutls_session_t s, int tcpFd, std::chrono::milliseconds timeout, const CancelSignal& cancel,
                    std::string* err) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const int rc = gnutls_handshake(s);
    if (rc == GNUTLS_E_SUCCESS) return Handshake::Done;
    if (rc != GNUTLS_E_AGAIN && rc != GNUTLS_E_INTERRUPTED && gnutls_error_is_fatal(rc)) {
      *err = "TLS handshake failed: " + handshakeError(s, rc);
      return Handshake::Failed;
    }
    const short want = gnutls_record_get_direction(s) ? POLLOUT : POLLIN;
    switch (cancel.wait(tcpFd, want, deadline)) {
      case CancelSignal::Wait::Ready: break;
      case CancelSignal::Wait::Cancelled: return Handshake::Cancelled;
      case CancelSignal::Wait::TimedOut:
        *err = "TLS handshake timed out after " + std::to_string(timeout.count()) + " ms (is this a TLS endpoint?)";
        return Handshake::Failed;
      case CancelSignal::Wait::Failed:
        *err = std::string("TLS handshake: poll: ") + std::strerror(errno);
        return Handshake::Failed;
    }
  }
}

// Certificate chain against the trust store, and the host name (DNS name or IP address in the SAN).
bool verifyPeer(gnutls_session_t s, const std::string& host, bool allowSelfSigned, std::string* err) {
  unsigned status = 0;
  const int rc = gnutls_certificate_verify_peers3(s, host.c_str(), &status);
  if (rc < 0) {
    *err = "TLS: cannot verify the server certificate: " + std::string(gnutls_strerror(rc));
    return false;
  }
  if (allowSelfSigned && (status & GNUTLS_CERT_SIGNER_NOT_FOUND)) {
    OL_LOGW("rtmp", "TLS: accepting an untrusted (self-signed) certificate for %s: allowed by the options",
            host.c_str());
    status &= ~(GNUTLS_CERT_SIGNER_NOT_FOUND | GNUTLS_CERT_INVALID);
  }
  if (status != 0) {
    *err = describeStatus(status, host);
    return false;
  }
  return true;
}

}  // namespace

struct TlsSession::Impl {
  int tcpFd = -1;
  int relayFd = -1;  // our end of the socketpair
  int wakeFd = -1;   // eventfd: tells the relay to stop now
  gnutls_session_t session = nullptr;
  gnutls_certificate_credentials_t cred = nullptr;
  std::string description;
  std::thread relay;
  std::mutex mu;
  std::condition_variable cv;
  bool relayDone = false;  // guarded by mu

  ~Impl() {
    if (relay.joinable()) {
      {
        std::unique_lock lk(mu);
        cv.wait_for(lk, kDrainBudget, [&] { return relayDone; });
      }
      uint64_t one = 1;
      [[maybe_unused]] ssize_t n = ::write(wakeFd, &one, sizeof one);
      relay.join();
    }
    if (session) gnutls_deinit(session);
    if (cred) gnutls_certificate_free_credentials(cred);
    for (int fd : {tcpFd, relayFd, wakeFd})
      if (fd >= 0) ::close(fd);
  }

  // Shuttles bytes between the TLS session (tcpFd) and the plain socketpair end (relayFd), all non-blocking,
  // until either side ends or wakeFd fires.
  void runRelay();
};

namespace {

// The relay loop's state: one TLS record's worth of plaintext buffered each way. Relay thread only.
class RelayPump {
 public:
  RelayPump(gnutls_session_t session, int relayFd)
      : session_(session), relayFd_(relayFd), down_(kRelayChunk), up_(kRelayChunk) {}

  // One round: moves what it can each way. False when the relay is finished (see why()).
  bool step(bool* progress, short* tcpEvents, short* plainEvents) {
    *progress = false;
    *tcpEvents = *plainEvents = 0;
    deliverDown(progress, plainEvents);
    readTls(progress, tcpEvents);
    sendUp(progress, tcpEvents);
    readPlain(progress, plainEvents);
    if (plainEof_ && upOff_ >= upLen_ && !upRetry_) {
      if (!tlsEof_) gnutls_bye(session_, GNUTLS_SHUT_WR);  // best effort close_notify (non-blocking)
      return false;
    }
    return !(tlsEof_ && downOff_ >= downLen_);
  }
  const std::string& why() const { return why_; }

 private:
  // TLS -> plain: deliver what was decrypted.
  void deliverDown(bool* progress, short* plainEvents) {
    if (downOff_ >= downLen_) return;
    ssize_t n = ::send(relayFd_, down_.data() + downOff_, downLen_ - downOff_, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n > 0) {
      downOff_ += static_cast<size_t>(n);
      *progress = true;
    } else if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
      *plainEvents |= POLLOUT;
    } else {
      plainEof_ = true;  // librtmp's end is gone
      downLen_ = downOff_ = 0;
    }
  }
  void readTls(bool* progress, short* tcpEvents) {
    if (downOff_ < downLen_ || tlsEof_ || plainEof_) return;
    downLen_ = downOff_ = 0;
    ssize_t n = gnutls_record_recv(session_, down_.data(), down_.size());
    if (n > 0) {
      downLen_ = static_cast<size_t>(n);
      *progress = true;
    } else if (n == GNUTLS_E_AGAIN || n == GNUTLS_E_INTERRUPTED) {
      *tcpEvents |= POLLIN;
    } else if (n != 0 && !gnutls_error_is_fatal(static_cast<int>(n))) {
      *progress = true;  // e.g. a warning alert: keep reading
    } else {
      tlsEof_ = true;
      why_ = n == 0 ? "server closed the TLS session"
                    : std::string("TLS read failed: ") + gnutls_strerror(static_cast<int>(n));
      ::shutdown(relayFd_, SHUT_WR);  // librtmp sees EOF once it has read everything
    }
  }
  // plain -> TLS: send what librtmp wrote.
  void sendUp(bool* progress, short* tcpEvents) {
    if ((upOff_ >= upLen_ && !upRetry_) || tlsEof_) return;
    ssize_t n = upRetry_ ? gnutls_record_send(session_, nullptr, 0)
                         : gnutls_record_send(session_, up_.data() + upOff_, upLen_ - upOff_);
    if (n > 0) {
      upOff_ += static_cast<size_t>(n);
      upRetry_ = false;
      *progress = true;
    } else if (n == GNUTLS_E_AGAIN || n == GNUTLS_E_INTERRUPTED) {
      upRetry_ = true;
      *tcpEvents |= POLLOUT;
    } else {
      tlsEof_ = true;
      why_ = std::string("TLS write failed: ") + gnutls_strerror(static_cast<int>(n));
      ::shutdown(relayFd_, SHUT_RDWR);
    }
  }
  void readPlain(bool* progress, short* plainEvents) {
    if (upOff_ < upLen_ || upRetry_ || plainEof_ || tlsEof_) return;
    upLen_ = upOff_ = 0;
    ssize_t n = ::recv(relayFd_, up_.data(), up_.size(), MSG_DONTWAIT);
    if (n > 0) {
      upLen_ = static_cast<size_t>(n);
      *progress = true;
    } else if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
      *plainEvents |= POLLIN;
    } else {
      plainEof_ = true;  // librtmp closed its end: everything it wrote has been sent
    }
  }

  gnutls_session_t session_;
  int relayFd_;
  std::vector<char> down_, up_;
  size_t downLen_ = 0, downOff_ = 0;  // TLS -> plain, not yet delivered
  size_t upLen_ = 0, upOff_ = 0;      // plain -> TLS, not yet sent
  bool upRetry_ = false;              // gnutls_record_send must be resumed (GNUTLS_E_AGAIN)
  bool tlsEof_ = false, plainEof_ = false;
  std::string why_;
};

}  // namespace

void TlsSession::Impl::runRelay() {
  pthread_setname_np(pthread_self(), "ol-tls-relay");
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);

  RelayPump pump(session, relayFd);
  std::string why;
  for (;;) {
    bool progress = false;
    short tcpEvents = 0, plainEvents = 0;
    if (!pump.step(&progress, &tcpEvents, &plainEvents)) break;
    if (progress) continue;
    // A socket we wait nothing from is left out: its POLLHUP would otherwise wake us in a loop.
    pollfd fds[3] = {{tcpEvents ? tcpFd : -1, tcpEvents, 0},
                     {plainEvents ? relayFd : -1, plainEvents, 0},
                     {wakeFd, POLLIN, 0}};
    int rc = ::poll(fds, 3, -1);
    if (rc < 0 && errno != EINTR) {
      why = std::string("poll: ") + std::strerror(errno);
      break;
    }
    if (fds[2].revents) {
      why = "stopped";
      break;
    }
    // POLLHUP/POLLERR on either socket: the next read/write reports it.
  }
  if (why.empty()) why = pump.why();
  ::shutdown(relayFd, SHUT_RDWR);
  OL_LOGD("rtmp", "TLS relay finished: %s", why.empty() ? "plain side closed" : why.c_str());
  std::lock_guard lk(mu);
  relayDone = true;
  cv.notify_all();
}

TlsSession::TlsSession(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
TlsSession::~TlsSession() = default;
const std::string& TlsSession::description() const { return impl_->description; }

TlsEstablishResult TlsSession::establish(int tcpFd, const std::string& host, const TlsOptions& options,
                                         const CancelSignal& cancel) {
  TlsEstablishResult res;
  auto impl = std::make_unique<Impl>();
  impl->tcpFd = tcpFd;  // closed by ~Impl on every failure path
  auto failed = [&](std::string msg) {
    res.error = std::move(msg);
    return std::move(res);
  };

  int rc = gnutls_certificate_allocate_credentials(&impl->cred);
  if (rc < 0) return failed(std::string("TLS setup: ") + gnutls_strerror(rc));
  int trusted = gnutls_certificate_set_x509_system_trust(impl->cred);
  if (trusted < 0) {
    OL_LOGW("rtmp", "TLS: system trust store not loaded: %s", gnutls_strerror(trusted));
    trusted = 0;
  }
  if (!options.caFile.empty()) {
    int n = gnutls_certificate_set_x509_trust_file(impl->cred, options.caFile.c_str(), GNUTLS_X509_FMT_PEM);
    if (n <= 0)
      return failed("TLS: cannot load CA file '" + options.caFile + "': " +
                    (n < 0 ? gnutls_strerror(n) : "no certificate in it"));
    trusted += n;
  }
  OL_LOGD("rtmp", "TLS: %d trusted CA certificates", trusted);

  if ((rc = gnutls_init(&impl->session, GNUTLS_CLIENT | GNUTLS_NONBLOCK)) < 0)
    return failed(std::string("TLS setup: ") + gnutls_strerror(rc));
  gnutls_session_t s = impl->session;
  if ((rc = gnutls_set_default_priority(s)) < 0 ||
      (rc = gnutls_credentials_set(s, GNUTLS_CRD_CERTIFICATE, impl->cred)) < 0)
    return failed(std::string("TLS setup: ") + gnutls_strerror(rc));
  if (!isIpLiteral(host)) gnutls_server_name_set(s, GNUTLS_NAME_DNS, host.data(), host.size());
  gnutls_transport_set_int(s, tcpFd);
  setNonBlocking(tcpFd, true);

  std::string err;
  switch (handshake(s, tcpFd, options.handshakeTimeout, cancel, &err)) {
    case Handshake::Done: break;
    case Handshake::Cancelled: res.cancelled = true; return failed("cancelled");
    case Handshake::Failed: return failed(err);
  }
  if (!verifyPeer(s, host, options.allowSelfSigned, &err)) return failed(err);

  if (char* desc = gnutls_session_get_desc(s)) {
    impl->description = desc;
    gnutls_free(desc);
  }

  int pair[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0)
    return failed(std::string("socketpair: ") + std::strerror(errno));
  impl->relayFd = pair[1];
  impl->wakeFd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (impl->wakeFd < 0) {
    ::close(pair[0]);
    return failed(std::string("eventfd: ") + std::strerror(errno));
  }
  for (int fd : pair) setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &kPlainSocketBuffer, sizeof kPlainSocketBuffer);
  setNonBlocking(impl->relayFd, true);
  setIoTimeouts(pair[0], options.ioTimeout);

  Impl* raw = impl.get();
  impl->relay = std::thread([raw] { raw->runRelay(); });
  OL_LOGI("rtmp", "TLS established with %s: %s", host.c_str(), impl->description.c_str());
  res.plainFd = pair[0];
  res.session.reset(new TlsSession(std::move(impl)));
  return res;
}

}  // namespace openlive::transport
