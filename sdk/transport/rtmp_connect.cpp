// RtmpConnection::connect, in phases: open the socket (name lookup, TCP with a deadline, TLS for rtmps),
// start the librtmp session on it (C0-C2 handshake, NetConnection.connect), then our own packet loop until the
// server starts the stream (Start status or media) or refuses it.
#include "common/logging.h"
#include "transport/rtmp_aggregate.h"
#include "transport/rtmp_chunk_reader.h"
#include "transport/rtmp_invoke.h"
#include "transport/rtmp_link.h"
#include "transport/tcp_connector.h"

extern "C" {
#include <librtmp/amf.h>
}

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <mutex>

namespace openlive::transport {
namespace {

using Clock = std::chrono::steady_clock;

AVal aval(const std::string& s) { return AVal{const_cast<char*>(s.data()), static_cast<int>(s.size())}; }

// Blocks SIGPIPE on the calling (I/O) thread: librtmp uses plain send() without MSG_NOSIGNAL.
void blockSigpipeOnThisThread() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

// One connect attempt over a link. Every phase returns false after fail() filled the result and tore the link
// down.
class ConnectAttempt {
 public:
  ConnectAttempt(RtmpLink& link, const ConnectOptions& options, const CancelSignal& cancel)
      : link_(link), opt_(options), cancel_(cancel) {}

  ConnectResult run(const std::function<void()>& onNetConnected) {
    int fd = -1;
    if (openSocket(&fd) && startSession(fd) && awaitStart(onNetConnected)) {
      OL_LOGI("rtmp", "%s started on %s (stream id %d)", opt_.publish ? "publish" : "play", peer_.c_str(),
              link_.rtmp->m_stream_id);
      res_.signals = link_.signals;
    }
    return res_;
  }

 private:
  bool fail(ConnectFailure f, const std::string& msg, const Invoke* inv = nullptr, Refusal refusal = Refusal::None) {
    res_.failure = f;
    res_.message = redactSecrets(msg);
    res_.refusal = refusal;
    if (inv) {
      res_.status = inv->status;
      res_.statusCode = inv->code;
    }
    res_.retryable = !statusInfo(res_.status).permanent;
    link_.teardown();
    return false;
  }
  bool cancelled() { return fail(ConnectFailure::Cancelled, "cancelled"); }

  bool openSocket(int* fd);
  bool startSession(int fd);
  bool awaitStart(const std::function<void()>& onNetConnected);
  bool handle(RTMPPacket& p, const std::function<void()>& onNetConnected);
  bool onInvoke(RTMPPacket& p, const std::function<void()>& onNetConnected);
  bool onStatus(const Invoke& inv);
  void onMedia(RtmpMessage&& m);
  bool readFailed();

  RtmpLink& link_;
  const ConnectOptions& opt_;
  const CancelSignal& cancel_;
  ConnectResult res_;
  std::string peer_;
  bool netConnected_ = false;
  bool commandSent_ = false;  // createStream answered: librtmp sent play / publish
};

// Name lookup, TCP connect with a deadline, socket options, TLS for rtmps; publishes the cancel descriptor.
// *fd: the socket librtmp will use (the TCP socket, or for rtmps the plain end of the TLS relay).
bool ConnectAttempt::openSocket(int* fd) {
  const RtmpUrl& u = *link_.parsed;
  OL_LOGI("rtmp", "connecting to %s:%d (%s)", u.host.c_str(), u.port, opt_.publish ? "publish" : "play");
  TcpConnectResult tcp = tcpConnect(u.host, u.port, opt_.connectTimeout, opt_.ioTimeout, cancel_);
  if (tcp.cancelled || cancel_.fired()) {
    if (tcp.fd >= 0) ::close(tcp.fd);
    return cancelled();
  }
  if (tcp.dnsFailed) return fail(ConnectFailure::Dns, tcp.error);
  if (tcp.fd < 0) return fail(ConnectFailure::Tcp, tcp.error);
  peer_ = tcp.peer;
  if (opt_.sendBufferBytes > 0)  // before the handshake, so autotuning never grows it
    setsockopt(tcp.fd, SOL_SOCKET, SO_SNDBUF, &opt_.sendBufferBytes, sizeof opt_.sendBufferBytes);
  if (opt_.notSentLowWatermarkBytes > 0)
    setsockopt(tcp.fd, IPPROTO_TCP, TCP_NOTSENT_LOWAT, &opt_.notSentLowWatermarkBytes,
               sizeof opt_.notSentLowWatermarkBytes);
  *fd = tcp.fd;
  if (u.tls) {
    TlsOptions to;
    to.allowSelfSigned = opt_.tlsAllowSelfSigned;
    to.caFile = opt_.tlsCaFile;
    to.handshakeTimeout = opt_.ioTimeout;
    to.ioTimeout = opt_.ioTimeout;
    TlsEstablishResult tls = TlsSession::establish(tcp.fd, u.host, to, cancel_);  // owns tcp.fd from here
    if (tls.cancelled || cancel_.fired()) {
      if (tls.plainFd >= 0) ::close(tls.plainFd);
      return cancelled();
    }
    if (!tls.session) return fail(ConnectFailure::Handshake, "TLS with " + tcp.peer + " failed: " + tls.error);
    link_.tls = std::move(tls.session);
    *fd = tls.plainFd;
  }
  {
    std::lock_guard lk(link_.fdMu);
    link_.cancelFd = ::dup(*fd);
    link_.cancelFdIsTcp = !u.tls;
    link_.peer = tcp.peer;
  }
  if (cancel_.fired()) {  // cancel() may have run between connect and publishing cancelFd
    ::close(*fd);
    return cancelled();
  }
  return true;
}

// librtmp on our socket (RTMP_Connect1 skips its own lookup and blocking connect): handshake, connect command.
bool ConnectAttempt::startSession(int fd) {
  const RtmpUrl& u = *link_.parsed;
  link_.host = u.host;
  link_.app = u.app;
  link_.playpath = u.playpath;
  link_.tcUrl = u.tcUrl;
  link_.flashVer = opt_.publish ? "FMLE/3.0 (compatible; FMSc/1.0)" : "LNX 9,0,124,2";
  link_.rtmp = RTMP_Alloc();
  RTMP* r = link_.rtmp;
  {
    // RTMP_Init sets up librtmp's process-wide TLS context on first use, unguarded: two sessions initialising
    // at once would both allocate it and one copy leaks (LeakSanitizer saw it). One at a time.
    static std::mutex initMu;
    std::lock_guard lk(initMu);
    RTMP_Init(r);
  }
  AVal host = aval(link_.host), app = aval(link_.app), playpath = aval(link_.playpath), tcUrl = aval(link_.tcUrl),
       flashVer = aval(link_.flashVer), empty{nullptr, 0};
  RTMP_SetupStream(r, RTMP_PROTOCOL_RTMP, &host, static_cast<unsigned>(u.port), &empty, &playpath, &tcUrl, &empty,
                   &empty, &app, &empty, &empty, 0, &flashVer, &empty, &empty, 0, 0, TRUE,
                   static_cast<long>(std::max<int64_t>(1, opt_.ioTimeout.count() / 1000)));
  if (opt_.publish)
    RTMP_EnableWrite(r);
  else
    RTMP_SetBufferMS(r, static_cast<int>(opt_.playBuffer.count()));
  r->m_sb.sb_socket = fd;
  if (!RTMP_Connect1(r, nullptr)) {
    if (cancel_.fired()) return cancelled();
    return fail(ConnectFailure::Handshake, "RTMP handshake with " + peer_ + " failed");
  }
  if (cancel_.fired()) return cancelled();
  return true;
}

// Our own packet loop (instead of RTMP_ConnectStream) so we see every onStatus and can report refusals.
bool ConnectAttempt::awaitStart(const std::function<void()>& onNetConnected) {
  const auto deadline = Clock::now() + opt_.ioTimeout;
  RTMPPacket packet = emptyPacket();
  while (!link_.streamUp) {
    if (cancel_.fired()) return cancelled();
    if (Clock::now() > deadline)
      return fail(ConnectFailure::Timeout,
                  "server did not start the stream within " + std::to_string(opt_.ioTimeout.count()) + " ms");
    std::string why;
    switch (readChunkGuarded(link_.rtmp, &packet, &why)) {
      case ChunkRead::Violation: return fail(ConnectFailure::Handshake, why);
      case ChunkRead::IoFailed: return readFailed();
      case ChunkRead::Partial: continue;
      case ChunkRead::Complete: break;
    }
    const bool ok = handle(packet, onNetConnected);
    RTMPPacket_Free(&packet);
    if (!ok) return false;
  }
  if (!netConnected_ && onNetConnected) onNetConnected();
  return true;
}

bool ConnectAttempt::handle(RTMPPacket& p, const std::function<void()>& onNetConnected) {
  const auto* body = reinterpret_cast<const uint8_t*>(p.m_body);
  switch (static_cast<RtmpMessageType>(p.m_packetType)) {
    case RtmpMessageType::CommandAmf0: return onInvoke(p, onNetConnected);
    case RtmpMessageType::Audio:
    case RtmpMessageType::Video:
    case RtmpMessageType::DataAmf0:  // some servers send media/metadata before (or instead of) Play.Start
      onMedia(RtmpLink::toMessage(p));
      return true;
    case RtmpMessageType::Aggregate:
      unpackAggregate(body, p.m_nBodySize, p.m_nTimeStamp, static_cast<uint32_t>(p.m_nInfoField2),
                      [this](RtmpMessage&& m) { onMedia(std::move(m)); });
      return true;
    case RtmpMessageType::UserControl:
      if (decodeStreamEvent(body, p.m_nBodySize) == StreamEvent::Begin) link_.signals.streamBegin = true;
      RTMP_ClientPacket(link_.rtmp, &p);
      return true;
    default:
      RTMP_ClientPacket(link_.rtmp, &p);  // chunk size, acks, window size, bandwidth
      return true;
  }
}

bool ConnectAttempt::onInvoke(RTMPPacket& p, const std::function<void()>& onNetConnected) {
  const auto inv = decodeInvoke(reinterpret_cast<const uint8_t*>(p.m_body), p.m_nBodySize);
  if (inv && inv->isStatus()) return onStatus(*inv);  // never handed to librtmp: it closes the link on some codes
  // Before RTMP_ClientPacket, which forgets the call once answered.
  const std::string forMethod = inv && (inv->isResult() || inv->isError()) ? link_.methodForTxn(inv->txn) : "";
  if (inv && inv->isError())
    return fail(forMethod == "connect" ? ConnectFailure::Handshake : ConnectFailure::Rejected,
                "server returned _error for " + forMethod + ": " + inv->code + " " + inv->description, &*inv,
                Refusal::Refused);
  RTMP_ClientPacket(link_.rtmp, &p);  // librtmp answers: createStream after connect, then play / publish
  if (!inv || !inv->isResult()) return true;
  if (forMethod == "createStream") commandSent_ = true;
  if (forMethod == "connect" && !netConnected_) {
    netConnected_ = true;
    if (!link_.sendChunkSize(opt_.outChunkSize)) return fail(ConnectFailure::Handshake, "failed to send SetChunkSize");
    if (onNetConnected) onNetConnected();
  }
  return true;
}

bool ConnectAttempt::onStatus(const Invoke& inv) {
  OL_LOGD("rtmp", "onStatus %s (%s) %s", inv.code.c_str(), inv.level.c_str(), inv.description.c_str());
  switch (inv.meaning()) {
    case StatusMeaning::Started:
      link_.streamUp = true;
      link_.signals.startStatus = true;
      link_.startedAt = Clock::now();
      link_.rtmp->m_bPlaying = TRUE;
      return true;
    case StatusMeaning::NotFound:
    case StatusMeaning::Refused:
      return fail(ConnectFailure::Rejected,
                  "server refused: " + inv.code + (inv.description.empty() ? "" : " (" + inv.description + ")"), &inv,
                  refusalFor(inv.status));
    case StatusMeaning::Info:
    case StatusMeaning::Ended: return true;
  }
  return true;
}

void ConnectAttempt::onMedia(RtmpMessage&& m) {
  const bool av = m.type != wire(RtmpMessageType::DataAmf0);
  link_.noteMedia(m.type);
  link_.pushPending(std::move(m));
  if (!opt_.publish && av) {
    link_.streamUp = true;
    link_.rtmp->m_bPlaying = TRUE;
  }
}

// A read failed before the stream started: cancelled, timed out, closed during the handshake, or closed after
// the server took our play/publish (a refusal without a status: nginx-rtmp `deny`, node-media-server).
bool ConnectAttempt::readFailed() {
  if (cancel_.fired()) return cancelled();
  if (link_.rtmp->m_sb.sb_timedout)
    return fail(ConnectFailure::Timeout, "no answer from " + peer_ + " during RTMP connect");
  const ReadStatus why = link_.classifyFailure();
  if (!netConnected_) return fail(ConnectFailure::Handshake, "connection closed during RTMP connect to " + peer_);
  return fail(why == ReadStatus::Closed ? ConnectFailure::Closed : ConnectFailure::Handshake,
              commandSent_ ? "server closed the connection right after " + std::string(opt_.publish ? "publish" : "play")
                           : "server closed the connection before the stream started",
              nullptr, commandSent_ ? Refusal::ClosedAfterStart : Refusal::None);
}

}  // namespace

ConnectResult RtmpConnection::connect(const ConnectOptions& options, const std::function<void()>& onNetConnected) {
  lastRefusal_ = Refusal::None;
  if (!impl_->parsed) {
    ConnectResult res;
    res.failure = ConnectFailure::InvalidUrl;
    res.message = redactSecrets("not a valid RTMP URL: " + impl_->url);
    impl_->teardown();
    return res;
  }
  if (cancel_.fired()) {
    ConnectResult res;
    res.failure = ConnectFailure::Cancelled;
    res.message = "cancelled";
    impl_->teardown();
    return res;
  }
  blockSigpipeOnThisThread();
  impl_->teardown();
  impl_->pending.clear();
  impl_->streamUp = false;
  impl_->signals = {};
  impl_->publish = options.publish;
  return ConnectAttempt(*impl_, options, cancel_).run(onNetConnected);
}

}  // namespace openlive::transport
