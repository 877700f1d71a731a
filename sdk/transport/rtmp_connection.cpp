#include "transport/rtmp_connection.h"

#include "common/logging.h"
#include "transport/tcp_connector.h"
#include "transport/tcp_info.h"
#include "transport/tls_session.h"

extern "C" {
#include <librtmp/amf.h>
#include <librtmp/log.h>
#include <librtmp/rtmp.h>
}

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <deque>
#include <mutex>

namespace openlive::transport {
namespace {

constexpr uint8_t kTypeSetChunkSize = 0x01;
constexpr uint8_t kTypeAudio = 0x08;
constexpr uint8_t kTypeVideo = 0x09;
constexpr uint8_t kTypeData = 0x12;
constexpr uint8_t kTypeInvoke = 0x14;
constexpr uint8_t kTypeAggregate = 0x16;
constexpr int kChannelControl = 0x02;
constexpr int kChannelData = 0x05;
constexpr int kChannelAudio = 0x04;
constexpr int kChannelVideo = 0x06;

AVal aval(const std::string& s) { return AVal{const_cast<char*>(s.data()), static_cast<int>(s.size())}; }
std::string str(const AVal& v) { return v.av_val ? std::string(v.av_val, static_cast<size_t>(v.av_len)) : std::string(); }

// Blocks SIGPIPE on the calling (I/O) thread: librtmp uses plain send() without MSG_NOSIGNAL.
void blockSigpipeOnThisThread() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

struct Invoke {
  std::string method;
  double txn = 0;
  std::string code;   // onStatus info.code
  std::string level;  // onStatus info.level
  std::string description;
};

Invoke decodeInvoke(const RTMPPacket& p) {
  Invoke inv;
  AMFObject obj;
  if (p.m_nBodySize == 0 || AMF_Decode(&obj, p.m_body, static_cast<int>(p.m_nBodySize), FALSE) < 0) return inv;
  AVal method{};
  AMFProp_GetString(AMF_GetProp(&obj, nullptr, 0), &method);
  inv.method = str(method);
  inv.txn = AMFProp_GetNumber(AMF_GetProp(&obj, nullptr, 1));
  if (inv.method == "onStatus" || inv.method == "_error") {
    AMFObject info;
    AMFProp_GetObject(AMF_GetProp(&obj, nullptr, 3), &info);
    static AVal kCode = {const_cast<char*>("code"), 4};
    static AVal kLevel = {const_cast<char*>("level"), 5};
    static AVal kDesc = {const_cast<char*>("description"), 11};
    AVal v{};
    AMFProp_GetString(AMF_GetProp(&info, &kCode, -1), &v);
    inv.code = str(v);
    v = {};
    AMFProp_GetString(AMF_GetProp(&info, &kLevel, -1), &v);
    inv.level = str(v);
    v = {};
    AMFProp_GetString(AMF_GetProp(&info, &kDesc, -1), &v);
    inv.description = str(v);
  }
  AMF_Reset(&obj);
  return inv;
}

// A SetChunkSize we refuse to apply: librtmp would take 0 (a reader that never completes a message) or a
// size beyond any sane message.
bool isInvalidChunkSize(const RTMPPacket& p) {
  if (p.m_packetType != kTypeSetChunkSize || p.m_nBodySize < 4) return false;
  const auto* b = reinterpret_cast<const uint8_t*>(p.m_body);
  uint32_t size = (uint32_t(b[0] & 0x7F) << 24) | (uint32_t(b[1]) << 16) | (uint32_t(b[2]) << 8) | b[3];
  return size < 1 || size > 0xFFFFFF;
}

// librtmp allocates each incoming message's full declared size (up to 16 MiB) as soon as its first chunk
// arrives, per chunk stream, and keeps partial messages per chunk stream id. A hostile or broken peer can
// therefore make it hold gigabytes. We bound what it may hold after every chunk read; past the bounds the link
// is treated as a protocol error. Real servers use a handful of chunk streams and messages far below 8 MiB
// (nginx-rtmp's max_message default is 1 MiB).
constexpr int kMaxChunkStreamId = 1024;
constexpr int kMaxPartialMessages = 32;
constexpr uint64_t kMaxMessageBytes = 8u << 20;
constexpr uint64_t kMaxPartialBytes = 24u << 20;

const char* inboundLimitViolation(const RTMP* r, const RTMPPacket& last) {
  if (last.m_nBodySize > kMaxMessageBytes) return "server declared a message larger than 8 MiB";
  if (r->m_channelsAllocatedIn > kMaxChunkStreamId + 1) return "server used an implausible chunk stream id";
  int partial = 0;
  uint64_t bytes = 0;
  for (int i = 0; i < r->m_channelsAllocatedIn; ++i) {
    const RTMPPacket* p = r->m_vecChannelsIn[i];
    if (!p || !p->m_body) continue;
    ++partial;
    bytes += p->m_nBodySize;
  }
  if (partial > kMaxPartialMessages) return "server interleaved too many partial messages";
  if (bytes > kMaxPartialBytes) return "server's partial messages exceed 24 MiB";
  return nullptr;
}

// Looks at the next chunk header in librtmp's socket buffer before librtmp parses it (reading more bytes
// into that buffer if needed). librtmp trusts the peer in two ways that a hostile server can exploit:
//  - a fmt 0/1/2 header on a chunk stream whose previous message is incomplete replaces the stored packet
//    without freeing its body (a leak of up to 16 MiB per 12-byte header), and a fmt 1 header there grows
//    the length past the allocated body (a heap overflow);
//  - it allocates a message's full declared length when its first chunk arrives.
// Only fmt 3 may continue an incomplete message (RTMP spec, 5.3.1), and no real server sends messages near
// 8 MiB, so both are refused as protocol errors before librtmp sees them.
enum class Precheck { Ok, Violation, IoFailed };
// After RTMP_ReadPacket failed part-way: a body it allocated for a new message is the caller's to free (else it
// leaks: LeakSanitizer saw it over 1000 start/stop cycles); a body continued from librtmp's per-channel cache
// (copied into `p` with the cached header) belongs to that cache, which RTMP_Close frees (librtmp may already
// have closed, and freed it, inside the failed read). `cachedBody` is that cache's body for the chunk's stream,
// as the precheck saw it just before the read.
void releaseFailedRead(RTMPPacket& p, const char* cachedBody) {
  if (p.m_body && p.m_body == cachedBody) p.m_body = nullptr;
  RTMPPacket_Free(&p);
}

Precheck precheckNextChunk(RTMP* r, const char** why, const char** cachedBody) {
  *cachedBody = nullptr;
  RTMPSockBuf& sb = r->m_sb;
  auto need = [&](int n) {
    while (sb.sb_size < n) {
      int room = static_cast<int>(sizeof(sb.sb_buf)) - 1 - sb.sb_size - static_cast<int>(sb.sb_start - sb.sb_buf);
      if (room <= 0) {  // the unread bytes sit at the end of the buffer: move them to the front
        std::memmove(sb.sb_buf, sb.sb_start, static_cast<size_t>(sb.sb_size));
        sb.sb_start = sb.sb_buf;
      }
      if (RTMPSockBuf_Fill(&sb) <= 0) return false;
    }
    return true;
  };
  if (!need(1)) return Precheck::IoFailed;
  const auto* b = reinterpret_cast<const uint8_t*>(sb.sb_start);
  int fmt = b[0] >> 6;
  int csid = b[0] & 0x3F;
  int headerStart = 1;
  if (csid == 0) {
    if (!need(2)) return Precheck::IoFailed;
    b = reinterpret_cast<const uint8_t*>(sb.sb_start);
    csid = 64 + b[1];
    headerStart = 2;
  } else if (csid == 1) {
    if (!need(3)) return Precheck::IoFailed;
    b = reinterpret_cast<const uint8_t*>(sb.sb_start);
    csid = 64 + b[1] + 256 * b[2];
    headerStart = 3;
  }
  if (csid < r->m_channelsAllocatedIn && r->m_vecChannelsIn[csid]) *cachedBody = r->m_vecChannelsIn[csid]->m_body;
  if (fmt != 3 && csid < r->m_channelsAllocatedIn) {
    const RTMPPacket* prev = r->m_vecChannelsIn[csid];
    if (prev && prev->m_body && prev->m_nBytesRead < prev->m_nBodySize) {
      *why = "server started a new message on a chunk stream whose previous message was incomplete";
      return Precheck::Violation;
    }
  }
  if (fmt <= 1) {
    if (!need(headerStart + 6)) return Precheck::IoFailed;
    b = reinterpret_cast<const uint8_t*>(sb.sb_start);
    uint32_t len = (uint32_t(b[headerStart + 3]) << 16) | (uint32_t(b[headerStart + 4]) << 8) | b[headerStart + 5];
    if (len > kMaxMessageBytes) {
      *why = "server declared a message larger than 8 MiB";
      return Precheck::Violation;
    }
  }
  return Precheck::Ok;
}

bool isPermanentRefusal(const std::string& code) {
  return code == "NetConnection.Connect.Rejected" || code == "NetConnection.Connect.InvalidApp" ||
         code == "NetStream.Publish.Unauthorized";
}

}  // namespace

struct RtmpConnection::Impl {
  std::string url;
  std::optional<RtmpUrl> parsed;
  // Strings the RTMP_LNK AVals point into; must outlive `rtmp`.
  std::string host, app, playpath, tcUrl, flashVer;
  RTMP* rtmp = nullptr;
  std::unique_ptr<TlsSession> tls;  // rtmps://: relays librtmp's plain socket through TLS; after `rtmp` dies
  bool publish = false;
  bool streamUp = false;  // publish/play started
  std::deque<RtmpMessage> pending;  // media that arrived during connect or unpacked from aggregates; bounded
  static constexpr size_t kMaxPending = 4096;  // overflow policy: drop-oldest (only possible with a broken peer)

  // The socket as seen by cancel(): a dup() of librtmp's descriptor, so shutdown() from another thread always
  // hits our socket even after librtmp closed its own number (which could have been reused).
  std::mutex fdMu;
  int cancelFd = -1;  // guarded by fdMu
  bool cancelFdIsTcp = false;  // guarded by fdMu: false for rtmps (the plain end of the TLS relay)
  std::string peer;   // guarded by fdMu
  uint64_t bytesOut = 0;
  uint64_t bytesInClosed = 0;  // bytes received by sessions already torn down

  ~Impl() { teardown(); }

  void teardown() {
    if (rtmp) {
      if (RTMP_IsConnected(rtmp)) {
        // RTMP_Close sends FCUnpublish/deleteStream; never let that block on a stalled link.
        timeval tv{0, 300 * 1000};
        setsockopt(RTMP_Socket(rtmp), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
      }
      bytesInClosed += static_cast<uint32_t>(rtmp->m_nBytesIn);
      RTMP_Close(rtmp);
      RTMP_Free(rtmp);
      rtmp = nullptr;
    }
    {
      std::lock_guard lk(fdMu);
      if (cancelFd >= 0) ::close(cancelFd);
      cancelFd = -1;
    }
    tls.reset();  // after every plain descriptor is closed, so the relay flushes and sends close_notify
  }

  // After librtmp failed on the socket: was it an orderly close by the peer (EOF) or an error?
  ReadStatus classifyFailure() {
    std::lock_guard lk(fdMu);
    if (cancelFd < 0) return ReadStatus::Error;
    char c;
    ssize_t n = ::recv(cancelFd, &c, 1, MSG_PEEK | MSG_DONTWAIT);
    if (n == 0) return ReadStatus::Closed;
    return ReadStatus::Error;
  }

  bool sendChunkSize(int size) {
    RTMPPacket p{};  // zero-initialised: RTMPPacket_Reset leaves m_chunk (read by RTMP_ReadPacket) unset
    RTMPPacket_Reset(&p);
    if (!RTMPPacket_Alloc(&p, 4)) return false;
    p.m_nChannel = kChannelControl;
    p.m_headerType = RTMP_PACKET_SIZE_LARGE;
    p.m_packetType = kTypeSetChunkSize;
    p.m_nTimeStamp = 0;
    p.m_nInfoField2 = 0;
    p.m_hasAbsTimestamp = 0;
    p.m_nBodySize = 4;
    auto* b = reinterpret_cast<uint8_t*>(p.m_body);
    b[0] = static_cast<uint8_t>((size >> 24) & 0x7f);
    b[1] = static_cast<uint8_t>(size >> 16);
    b[2] = static_cast<uint8_t>(size >> 8);
    b[3] = static_cast<uint8_t>(size);
    int ok = RTMP_SendPacket(rtmp, &p, FALSE);
    RTMPPacket_Free(&p);
    if (ok) rtmp->m_outChunkSize = size;
    return ok != 0;
  }

  void pushPending(RtmpMessage m) {
    if (pending.size() >= kMaxPending) pending.pop_front();
    pending.push_back(std::move(m));
  }

  // Splits an aggregate message (FLV tags back to back) into individual messages.
  void unpackAggregate(const RTMPPacket& p) {
    const auto* d = reinterpret_cast<const uint8_t*>(p.m_body);
    size_t n = p.m_nBodySize, off = 0;
    uint32_t base = 0;
    bool first = true;
    while (off + 11 <= n) {
      uint8_t type = d[off];
      size_t size = (size_t(d[off + 1]) << 16) | (size_t(d[off + 2]) << 8) | d[off + 3];
      uint32_t ts = (uint32_t(d[off + 7]) << 24) | (uint32_t(d[off + 4]) << 16) | (uint32_t(d[off + 5]) << 8) | d[off + 6];
      if (off + 11 + size > n) break;
      if (first) {
        base = ts;
        first = false;
      }
      RtmpMessage m;
      m.type = type;
      m.timestamp = p.m_nTimeStamp + (ts - base);
      m.streamId = static_cast<uint32_t>(p.m_nInfoField2);
      m.body.assign(d + off + 11, d + off + 11 + size);
      if (type == kTypeAudio || type == kTypeVideo || type == kTypeData) pushPending(std::move(m));
      off += 11 + size + 4;
    }
  }

  static RtmpMessage toMessage(const RTMPPacket& p) {
    RtmpMessage m;
    m.type = p.m_packetType;
    m.timestamp = p.m_nTimeStamp;
    m.streamId = static_cast<uint32_t>(p.m_nInfoField2);
    const auto* b = reinterpret_cast<const uint8_t*>(p.m_body);
    if (b && p.m_nBodySize) m.body.assign(b, b + p.m_nBodySize);
    return m;
  }

  std::string methodForTxn(double txn) const {
    for (int i = 0; i < rtmp->m_numCalls; ++i)
      if (rtmp->m_methodCalls[i].num == static_cast<int>(txn)) return str(rtmp->m_methodCalls[i].name);
    return {};
  }
};

RtmpConnection::RtmpConnection(std::string url) : impl_(std::make_unique<Impl>()) {
  impl_->url = std::move(url);
  impl_->parsed = RtmpUrl::parse(impl_->url);
  detail::installThirdPartyLogRouting();
}

RtmpConnection::~RtmpConnection() = default;

ConnectResult RtmpConnection::connect(const ConnectOptions& options, const std::function<void()>& onNetConnected) {
  ConnectResult res;
  auto fail = [&](ConnectFailure f, std::string msg, std::string code = {}) {
    res.failure = f;
    res.message = redactSecrets(msg);
    res.statusCode = std::move(code);
    res.retryable = !isPermanentRefusal(res.statusCode);
    impl_->teardown();
    return res;
  };
  if (!impl_->parsed) return fail(ConnectFailure::InvalidUrl, "not a valid RTMP URL: " + impl_->url);
  if (cancelled_) return fail(ConnectFailure::Cancelled, "cancelled");
  blockSigpipeOnThisThread();
  impl_->teardown();
  impl_->pending.clear();
  impl_->streamUp = false;
  impl_->publish = options.publish;

  const RtmpUrl& u = *impl_->parsed;
  OL_LOGI("rtmp", "connecting to %s:%d (%s)", u.host.c_str(), u.port, options.publish ? "publish" : "play");
  TcpConnectResult tcp = tcpConnect(u.host, u.port, options.connectTimeout, options.ioTimeout, cancelled_);
  if (tcp.cancelled || cancelled_) {
    if (tcp.fd >= 0) ::close(tcp.fd);
    return fail(ConnectFailure::Cancelled, "cancelled");
  }
  if (tcp.dnsFailed) return fail(ConnectFailure::Dns, tcp.error);
  if (tcp.fd < 0) return fail(ConnectFailure::Tcp, tcp.error);
  if (options.sendBufferBytes > 0)  // before the handshake, so autotuning never grows it
    setsockopt(tcp.fd, SOL_SOCKET, SO_SNDBUF, &options.sendBufferBytes, sizeof options.sendBufferBytes);
  if (options.notSentLowWatermarkBytes > 0)
    setsockopt(tcp.fd, IPPROTO_TCP, TCP_NOTSENT_LOWAT, &options.notSentLowWatermarkBytes,
               sizeof options.notSentLowWatermarkBytes);

  int fd = tcp.fd;  // the socket librtmp uses: the TCP socket, or for rtmps the plain end of the TLS relay
  if (u.tls) {
    TlsOptions to;
    to.allowSelfSigned = options.tlsAllowSelfSigned;
    to.caFile = options.tlsCaFile;
    to.handshakeTimeout = options.ioTimeout;
    to.ioTimeout = options.ioTimeout;
    TlsEstablishResult tls = TlsSession::establish(tcp.fd, u.host, to, cancelled_);  // owns tcp.fd from here
    if (tls.cancelled || cancelled_) {
      if (tls.plainFd >= 0) ::close(tls.plainFd);
      return fail(ConnectFailure::Cancelled, "cancelled");
    }
    if (!tls.session) return fail(ConnectFailure::Handshake, "TLS with " + tcp.peer + " failed: " + tls.error);
    impl_->tls = std::move(tls.session);
    fd = tls.plainFd;
  }

  {
    std::lock_guard lk(impl_->fdMu);
    impl_->cancelFd = ::dup(fd);
    impl_->cancelFdIsTcp = !u.tls;
    impl_->peer = tcp.peer;
  }
  if (cancelled_) {  // cancel() may have run between connect and publishing cancelFd
    ::close(fd);
    return fail(ConnectFailure::Cancelled, "cancelled");
  }

  impl_->host = u.host;
  impl_->app = u.app;
  impl_->playpath = u.playpath;
  impl_->tcUrl = u.tcUrl;
  impl_->flashVer = options.publish ? "FMLE/3.0 (compatible; FMSc/1.0)" : "LNX 9,0,124,2";
  impl_->rtmp = RTMP_Alloc();
  RTMP* r = impl_->rtmp;
  {
    // RTMP_Init sets up librtmp's process-wide TLS context on first use, unguarded: two sessions initialising
    // at once would both allocate it and one copy leaks (LeakSanitizer saw it). One at a time.
    static std::mutex initMu;
    std::lock_guard lk(initMu);
    RTMP_Init(r);
  }
  AVal host = aval(impl_->host), app = aval(impl_->app), playpath = aval(impl_->playpath),
       tcUrl = aval(impl_->tcUrl), flashVer = aval(impl_->flashVer), empty{nullptr, 0};
  RTMP_SetupStream(r, RTMP_PROTOCOL_RTMP, &host, static_cast<unsigned>(u.port), &empty, &playpath, &tcUrl, &empty,
                   &empty, &app, &empty, &empty, 0, &flashVer, &empty, &empty, 0, 0, TRUE,
                   static_cast<long>(std::max<int64_t>(1, options.ioTimeout.count() / 1000)));
  if (options.publish)
    RTMP_EnableWrite(r);
  else
    RTMP_SetBufferMS(r, static_cast<int>(options.playBuffer.count()));
  r->m_sb.sb_socket = fd;

  if (!RTMP_Connect1(r, nullptr)) {
    if (cancelled_) return fail(ConnectFailure::Cancelled, "cancelled");
    return fail(ConnectFailure::Handshake, "RTMP handshake with " + tcp.peer + " failed");
  }
  if (cancelled_) return fail(ConnectFailure::Cancelled, "cancelled");

  // Our own packet loop (instead of RTMP_ConnectStream) so we see every onStatus and can report refusals.
  auto deadline = std::chrono::steady_clock::now() + options.ioTimeout;
  bool netConnected = false;
  RTMPPacket packet{};  // zero-initialised: RTMPPacket_Reset leaves m_chunk (read by RTMP_ReadPacket) unset
  RTMPPacket_Reset(&packet);
  packet.m_body = nullptr;
  while (!impl_->streamUp) {
    if (cancelled_) return fail(ConnectFailure::Cancelled, "cancelled");
    if (std::chrono::steady_clock::now() > deadline)
      return fail(ConnectFailure::Timeout, "server did not start the stream within " +
                                               std::to_string(options.ioTimeout.count()) + " ms");
    const char* violation = nullptr;
    const char* cachedBody = nullptr;
    Precheck pre = RTMP_IsConnected(r) ? precheckNextChunk(r, &violation, &cachedBody) : Precheck::IoFailed;
    if (pre == Precheck::Violation) return fail(ConnectFailure::Handshake, std::string("protocol error: ") + violation);
    if (pre == Precheck::IoFailed || !RTMP_ReadPacket(r, &packet)) {
      releaseFailedRead(packet, cachedBody);
      if (cancelled_) return fail(ConnectFailure::Cancelled, "cancelled");
      if (r->m_sb.sb_timedout)
        return fail(ConnectFailure::Timeout, "no answer from " + tcp.peer + " during RTMP connect");
      ReadStatus why = impl_->classifyFailure();
      if (!netConnected)
        return fail(ConnectFailure::Handshake, "connection closed during RTMP connect to " + tcp.peer);
      return fail(why == ReadStatus::Closed ? ConnectFailure::Closed : ConnectFailure::Handshake,
                  "server closed the connection before the stream started");
    }
    if (const char* bad = inboundLimitViolation(r, packet)) {
      RTMPPacket_Free(&packet);
      return fail(ConnectFailure::Handshake, std::string("protocol error: ") + bad);
    }
    if (!RTMPPacket_IsReady(&packet)) continue;
    if (packet.m_packetType == kTypeInvoke) {
      Invoke inv = decodeInvoke(packet);
      if (inv.method == "onStatus") {
        OL_LOGD("rtmp", "onStatus %s (%s) %s", inv.code.c_str(), inv.level.c_str(), inv.description.c_str());
        if (inv.code == "NetStream.Publish.Start" || inv.code == "NetStream.Play.Start") {
          impl_->streamUp = true;
          r->m_bPlaying = TRUE;
        } else if (inv.level == "error" || inv.code.find("Failed") != std::string::npos ||
                   inv.code.find("BadName") != std::string::npos ||
                   inv.code.find("StreamNotFound") != std::string::npos) {
          std::string msg = "server refused: " + inv.code + (inv.description.empty() ? "" : " (" + inv.description + ")");
          RTMPPacket_Free(&packet);
          return fail(ConnectFailure::Rejected, msg, inv.code);
        }
        RTMPPacket_Free(&packet);
        continue;  // librtmp closes the link on some onStatus codes; never hand it those
      }
      std::string forMethod = (inv.method == "_result" || inv.method == "_error") ? impl_->methodForTxn(inv.txn) : "";
      if (inv.method == "_error") {
        std::string msg = "server returned _error for " + forMethod + ": " + inv.code + " " + inv.description;
        RTMPPacket_Free(&packet);
        return fail(forMethod == "connect" ? ConnectFailure::Handshake : ConnectFailure::Rejected, msg, inv.code);
      }
      RTMP_ClientPacket(r, &packet);
      if (inv.method == "_result" && forMethod == "connect" && !netConnected) {
        netConnected = true;
        if (options.outChunkSize > 128 && !impl_->sendChunkSize(options.outChunkSize)) {
          RTMPPacket_Free(&packet);
          return fail(ConnectFailure::Handshake, "failed to send SetChunkSize");
        }
        if (onNetConnected) onNetConnected();
      }
    } else if (packet.m_packetType == kTypeAudio || packet.m_packetType == kTypeVideo ||
               packet.m_packetType == kTypeData) {
      // Some servers send media/metadata before (or instead of) Play.Start.
      impl_->pushPending(Impl::toMessage(packet));
      if (!options.publish && (packet.m_packetType != kTypeData)) {
        impl_->streamUp = true;
        r->m_bPlaying = TRUE;
      }
    } else if (packet.m_packetType == kTypeAggregate) {
      impl_->unpackAggregate(packet);
    } else if (isInvalidChunkSize(packet)) {
      RTMPPacket_Free(&packet);
      return fail(ConnectFailure::Handshake, "server sent an invalid chunk size");
    } else {
      RTMP_ClientPacket(r, &packet);
    }
    RTMPPacket_Free(&packet);
  }
  if (!netConnected && onNetConnected) onNetConnected();
  OL_LOGI("rtmp", "%s started on %s (stream id %d)", options.publish ? "publish" : "play", tcp.peer.c_str(),
          r->m_stream_id);
  return res;
}

bool RtmpConnection::sendMessage(uint8_t type, uint32_t timestampMs, const uint8_t* data, size_t size) {
  RTMP* r = impl_->rtmp;
  if (!r || cancelled_ || !RTMP_IsConnected(r)) {
    lastFailure_ = cancelled_ ? ReadStatus::Cancelled : ReadStatus::Error;
    lastError_ = "not connected";
    return false;
  }
  RTMPPacket p{};  // zero-initialised: RTMPPacket_Reset leaves m_chunk (read by RTMP_ReadPacket) unset
  RTMPPacket_Reset(&p);
  if (!RTMPPacket_Alloc(&p, static_cast<uint32_t>(size))) {
    lastFailure_ = ReadStatus::Error;
    lastError_ = "out of memory";
    return false;
  }
  p.m_nChannel = type == kTypeAudio ? kChannelAudio : type == kTypeVideo ? kChannelVideo : kChannelData;
  p.m_headerType = RTMP_PACKET_SIZE_LARGE;  // absolute timestamp on every message
  p.m_packetType = type;
  p.m_nTimeStamp = timestampMs;
  p.m_hasAbsTimestamp = TRUE;
  p.m_nInfoField2 = r->m_stream_id;
  p.m_nBodySize = static_cast<uint32_t>(size);
  if (size) std::memcpy(p.m_body, data, size);
  int ok = RTMP_SendPacket(r, &p, FALSE);
  RTMPPacket_Free(&p);
  if (!ok) {
    lastFailure_ = cancelled_ ? ReadStatus::Cancelled : impl_->classifyFailure();
    lastError_ = lastFailure_ == ReadStatus::Closed ? "server closed the connection" : "socket write failed";
    return false;
  }
  impl_->bytesOut += size + 12;
  return true;
}

bool RtmpConnection::pollIncoming() {
  RTMP* r = impl_->rtmp;
  if (!r || cancelled_ || !RTMP_IsConnected(r)) return false;
  for (int i = 0; i < 16; ++i) {
    if (r->m_sb.sb_size <= 0) {
      pollfd p{RTMP_Socket(r), POLLIN, 0};
      if (::poll(&p, 1, 0) <= 0) return true;
      if (p.revents & (POLLERR | POLLNVAL)) {
        lastFailure_ = ReadStatus::Error;
        lastError_ = "socket error";
        return false;
      }
    }
    RTMPPacket packet{};  // zero-initialised: RTMPPacket_Reset leaves m_chunk (read by RTMP_ReadPacket) unset
    RTMPPacket_Reset(&packet);
    packet.m_body = nullptr;
    const char* violation = nullptr;
    const char* cachedBody = nullptr;
    Precheck pre = precheckNextChunk(r, &violation, &cachedBody);
    if (pre == Precheck::Violation) {
      lastFailure_ = ReadStatus::Error;
      lastError_ = std::string("protocol error: ") + violation;
      return false;
    }
    if (pre == Precheck::IoFailed || !RTMP_ReadPacket(r, &packet)) {
      releaseFailedRead(packet, cachedBody);
      lastFailure_ = cancelled_ ? ReadStatus::Cancelled : impl_->classifyFailure();
      lastError_ = lastFailure_ == ReadStatus::Closed ? "server closed the connection" : "socket read failed";
      return false;
    }
    if (const char* bad = inboundLimitViolation(r, packet)) {
      RTMPPacket_Free(&packet);
      lastFailure_ = ReadStatus::Error;
      lastError_ = std::string("protocol error: ") + bad;
      return false;
    }
    if (!RTMPPacket_IsReady(&packet)) continue;
    bool keep = true;
    if (packet.m_packetType == kTypeInvoke) {
      Invoke inv = decodeInvoke(packet);
      if (inv.method == "onStatus") {
        OL_LOGI("rtmp", "onStatus while publishing: %s", inv.code.c_str());
        if (inv.level == "error") {
          lastFailure_ = ReadStatus::Closed;
          lastError_ = "server status " + inv.code;
          keep = false;
        }
      } else {
        RTMP_ClientPacket(r, &packet);
      }
    } else if (isInvalidChunkSize(packet)) {
      lastFailure_ = ReadStatus::Error;
      lastError_ = "server sent an invalid chunk size";
      keep = false;
    } else {
      RTMP_ClientPacket(r, &packet);
    }
    RTMPPacket_Free(&packet);
    if (!keep) return false;
  }
  return true;
}

ReadStatus RtmpConnection::readMessage(RtmpMessage& out) {
  if (!impl_->pending.empty()) {
    out = std::move(impl_->pending.front());
    impl_->pending.pop_front();
    return ReadStatus::Message;
  }
  RTMP* r = impl_->rtmp;
  if (cancelled_) return lastFailure_ = ReadStatus::Cancelled;
  if (!r || !RTMP_IsConnected(r)) {
    lastError_ = "not connected";
    return lastFailure_ = ReadStatus::Error;
  }
  RTMPPacket packet{};  // zero-initialised: RTMPPacket_Reset leaves m_chunk (read by RTMP_ReadPacket) unset
  RTMPPacket_Reset(&packet);
  packet.m_body = nullptr;
  for (;;) {
    const char* violation = nullptr;
    const char* cachedBody = nullptr;
    Precheck pre = precheckNextChunk(r, &violation, &cachedBody);
    if (pre == Precheck::Violation) {
      lastError_ = std::string("protocol error: ") + violation;
      return lastFailure_ = ReadStatus::Error;
    }
    if (pre == Precheck::IoFailed || !RTMP_ReadPacket(r, &packet)) {
      releaseFailedRead(packet, cachedBody);
      if (cancelled_) return lastFailure_ = ReadStatus::Cancelled;
      if (r->m_sb.sb_timedout) {
        lastError_ = "no data from the server";
        return lastFailure_ = ReadStatus::Timeout;
      }
      lastFailure_ = impl_->classifyFailure();
      lastError_ = lastFailure_ == ReadStatus::Closed ? "server closed the connection" : "socket read failed";
      return lastFailure_;
    }
    if (const char* bad = inboundLimitViolation(r, packet)) {
      RTMPPacket_Free(&packet);
      lastError_ = std::string("protocol error: ") + bad;
      return lastFailure_ = ReadStatus::Error;
    }
    if (!RTMPPacket_IsReady(&packet)) continue;
    switch (packet.m_packetType) {
      case kTypeAudio:
      case kTypeVideo:
      case kTypeData:
        out = Impl::toMessage(packet);
        RTMPPacket_Free(&packet);
        return ReadStatus::Message;
      case kTypeAggregate:
        impl_->unpackAggregate(packet);
        RTMPPacket_Free(&packet);
        if (!impl_->pending.empty()) {
          out = std::move(impl_->pending.front());
          impl_->pending.pop_front();
          return ReadStatus::Message;
        }
        continue;
      case kTypeInvoke: {
        Invoke inv = decodeInvoke(packet);
        if (inv.method == "onStatus") {
          out = Impl::toMessage(packet);
          out.statusCode = inv.code;
          RTMPPacket_Free(&packet);
          return ReadStatus::Message;
        }
        RTMP_ClientPacket(r, &packet);
        RTMPPacket_Free(&packet);
        continue;
      }
      default: {
        // User control StreamEOF (event 1): nginx-rtmp's only end-of-stream signal by default (it sends
        // NetStream.Play.UnpublishNotify only with publish_notify on). Surfaced as a pseudo status code.
        const bool streamEof = packet.m_packetType == 0x04 && packet.m_nBodySize >= 2 && packet.m_body[0] == 0 &&
                               packet.m_body[1] == 1 && impl_->streamUp;
        RTMP_ClientPacket(r, &packet);  // chunk size, acks, pings, bandwidth
        RTMPPacket_Free(&packet);
        if (streamEof) {
          out = RtmpMessage{};
          out.type = 0x04;
          out.statusCode = "UserControl.StreamEOF";
          return ReadStatus::Message;
        }
        continue;
      }
    }
  }
}

void RtmpConnection::cancel() {
  cancelled_ = true;
  std::lock_guard lk(impl_->fdMu);
  if (impl_->cancelFd >= 0) ::shutdown(impl_->cancelFd, SHUT_RDWR);
}

void RtmpConnection::close() { impl_->teardown(); }

int64_t RtmpConnection::smoothedRttUs() const {
  std::lock_guard lk(impl_->fdMu);
  TcpLinkInfo info;
  if (!impl_->cancelFdIsTcp || !readTcpLinkInfo(impl_->cancelFd, &info)) return -1;
  return info.srttUs;
}

int64_t RtmpConnection::bytesAcked() const {
  std::lock_guard lk(impl_->fdMu);
  TcpLinkInfo info;
  if (!impl_->cancelFdIsTcp || !readTcpLinkInfo(impl_->cancelFd, &info)) return -1;
  return info.bytesAcked;
}

std::string RtmpConnection::serverAddress() const {
  std::lock_guard lk(impl_->fdMu);
  return impl_->peer;
}

uint64_t RtmpConnection::bytesSent() const { return impl_->bytesOut; }

uint64_t RtmpConnection::bytesReceived() const {
  return impl_->bytesInClosed +
         (impl_->rtmp ? static_cast<uint64_t>(static_cast<uint32_t>(impl_->rtmp->m_nBytesIn)) : 0);
}

}  // namespace openlive::transport
