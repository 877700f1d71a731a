#include "transport/rtmp_connection.h"

#include "common/logging.h"
#include "transport/rtmp_chunk_reader.h"
#include "transport/rtmp_invoke.h"
#include "transport/rtmp_link.h"
#include "transport/tcp_info.h"

#include <poll.h>
#include <sys/socket.h>

#include <cstring>

namespace openlive::transport {
namespace {

constexpr int kChannelAudio = 0x04;
constexpr int kChannelData = 0x05;
constexpr int kChannelVideo = 0x06;
constexpr int kRtmpHeaderBytes = 12;   // counted per message sent (a type 0 chunk header)
constexpr int kMaxChunksPerPoll = 16;  // pollIncoming handles at most this many chunks per call

int channelFor(RtmpMessageType type) {
  switch (type) {
    case RtmpMessageType::Audio: return kChannelAudio;
    case RtmpMessageType::Video: return kChannelVideo;
    default: return kChannelData;
  }
}

}  // namespace

const char* toString(Refusal r) {
  switch (r) {
    case Refusal::None: return "none";
    case Refusal::NotFound: return "not-found";
    case Refusal::Refused: return "refused";
    case Refusal::BadName: return "bad-name";
    case Refusal::ClosedAfterStart: return "closed-after-start";
  }
  return "?";
}

const char* toString(ReadStatus s) {
  switch (s) {
    case ReadStatus::Message: return "message";
    case ReadStatus::Timeout: return "timeout";
    case ReadStatus::Closed: return "closed";
    case ReadStatus::Error: return "error";
    case ReadStatus::Cancelled: return "cancelled";
  }
  return "?";
}

RtmpConnection::RtmpConnection(std::string url) : impl_(std::make_unique<RtmpLink>()) {
  impl_->url = std::move(url);
  impl_->parsed = RtmpUrl::parse(impl_->url);
  detail::installThirdPartyLogRouting();
}

RtmpConnection::~RtmpConnection() = default;

ReadStatus RtmpConnection::failRead(ReadStatus why, std::string error) {
  lastFailure_ = why;
  lastError_ = std::move(error);
  lastRefusal_ = impl_->refusalForFailure(why);
  return why;
}

bool RtmpConnection::failBool(ReadStatus why, std::string error) {
  failRead(why, std::move(error));
  return false;
}

ReadStatus RtmpConnection::failLink(const char* closedText, const char* errorText) {
  if (cancel_.fired()) return failRead(ReadStatus::Cancelled, "cancelled");
  if (impl_->rtmp && impl_->rtmp->m_sb.sb_timedout) return failRead(ReadStatus::Timeout, "no data from the server");
  const ReadStatus why = impl_->classifyFailure();
  return failRead(why, why == ReadStatus::Closed ? closedText : errorText);
}

bool RtmpConnection::sendMessage(uint8_t type, uint32_t timestampMs, const uint8_t* data, size_t size) {
  return sendMessage(static_cast<RtmpMessageType>(type), timestampMs, data, size);
}

bool RtmpConnection::sendMessage(RtmpMessageType type, uint32_t timestampMs, const uint8_t* data, size_t size) {
  RTMP* r = impl_->rtmp;
  if (!r || cancel_.fired() || !RTMP_IsConnected(r)) {
    failRead(cancel_.fired() ? ReadStatus::Cancelled : ReadStatus::Error, "not connected");
    return false;
  }
  RTMPPacket p = emptyPacket();
  if (!RTMPPacket_Alloc(&p, static_cast<uint32_t>(size))) {
    failRead(ReadStatus::Error, "out of memory");
    return false;
  }
  p.m_nChannel = channelFor(type);
  p.m_headerType = RTMP_PACKET_SIZE_LARGE;  // absolute timestamp on every message
  p.m_packetType = wire(type);
  p.m_nTimeStamp = timestampMs;
  p.m_hasAbsTimestamp = TRUE;
  p.m_nInfoField2 = r->m_stream_id;
  p.m_nBodySize = static_cast<uint32_t>(size);
  if (size) std::memcpy(p.m_body, data, size);
  int ok = RTMP_SendPacket(r, &p, FALSE);
  RTMPPacket_Free(&p);
  if (!ok) {
    if (cancel_.fired()) return failBool(ReadStatus::Cancelled, "cancelled");
    const ReadStatus why = impl_->classifyFailure();
    failRead(why, why == ReadStatus::Closed ? "server closed the connection" : "socket write failed");
    return false;
  }
  impl_->bytesOut += size + kRtmpHeaderBytes;
  return true;
}

// Publisher side: onStatus is read here (a refusal or error status ends the link); everything else goes to
// librtmp (acks, pings, window size). Frees the packet. False when the link must end.
bool RtmpConnection::handlePublisherMessage(RTMPPacket& p) {
  bool keep = true;
  std::optional<Invoke> inv;
  if (p.m_packetType == wire(RtmpMessageType::CommandAmf0))
    inv = decodeInvoke(reinterpret_cast<const uint8_t*>(p.m_body), p.m_nBodySize);
  if (inv && inv->isStatus()) {
    OL_LOGI("rtmp", "onStatus while publishing: %s", inv->code.c_str());
    const StatusMeaning m = inv->meaning();
    if (m == StatusMeaning::Refused || m == StatusMeaning::NotFound) {
      failRead(ReadStatus::Closed, "server status " + inv->code);
      lastRefusal_ = refusalFor(inv->status);
      keep = false;
    }
  } else {
    RTMP_ClientPacket(impl_->rtmp, &p);
  }
  RTMPPacket_Free(&p);
  return keep;
}

bool RtmpConnection::pollIncoming() {
  RTMP* r = impl_->rtmp;
  if (!r || cancel_.fired() || !RTMP_IsConnected(r)) return false;
  RTMPPacket packet = emptyPacket();
  for (int i = 0; i < kMaxChunksPerPoll; ++i) {
    if (r->m_sb.sb_size <= 0) {
      pollfd p{RTMP_Socket(r), POLLIN, 0};
      if (::poll(&p, 1, 0) <= 0) return true;
      if (p.revents & (POLLERR | POLLNVAL)) return failBool(ReadStatus::Error, "socket error");
    }
    std::string why;
    switch (readChunkGuarded(r, &packet, &why)) {
      case ChunkRead::Violation: return failBool(ReadStatus::Error, why);
      case ChunkRead::IoFailed:
        failLink("server closed the connection", "socket read failed");
        return false;
      case ChunkRead::Partial: continue;
      case ChunkRead::Complete: break;
    }
    if (!handlePublisherMessage(packet)) return false;
  }
  return true;
}

ReadStatus RtmpConnection::readMessage(RtmpMessage& out) {
  if (impl_->popPending(out)) return ReadStatus::Message;
  if (cancel_.fired()) return failRead(ReadStatus::Cancelled, "cancelled");
  RTMP* r = impl_->rtmp;
  if (!r || !RTMP_IsConnected(r)) return failRead(ReadStatus::Error, "not connected");
  RTMPPacket packet = emptyPacket();
  for (;;) {
    std::string why;
    switch (readChunkGuarded(r, &packet, &why)) {
      case ChunkRead::Violation: return failRead(ReadStatus::Error, why);
      case ChunkRead::IoFailed: return failLink("server closed the connection", "socket read failed");
      case ChunkRead::Partial: continue;
      case ChunkRead::Complete: break;
    }
    if (impl_->takeMessage(packet, &out)) return ReadStatus::Message;
  }
}

const StartSignals& RtmpConnection::startSignals() const { return impl_->signals; }

void RtmpConnection::cancel() {
  cancel_.fire();
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
