#include "transport/rtmp_link.h"

#include "transport/rtmp_aggregate.h"
#include "transport/rtmp_invoke.h"

#include <sys/socket.h>
#include <unistd.h>

namespace openlive::transport {
namespace {

constexpr int kChannelControl = 0x02;
constexpr int kPlainChunkSize = 128;  // the RTMP default, before SetChunkSize

std::string str(const AVal& v) { return v.av_val ? std::string(v.av_val, static_cast<size_t>(v.av_len)) : std::string(); }

// The compatibility string the player still compares (RtmpMessage::statusCode is deprecated).
constexpr const char* kLegacyStreamEofCode = "UserControl.StreamEOF";

}  // namespace

Refusal refusalFor(StreamStatus s) {
  if (s == StreamStatus::PlayStreamNotFound) return Refusal::NotFound;
  if (s == StreamStatus::PublishBadName) return Refusal::BadName;
  return Refusal::Refused;
}

void RtmpLink::teardown() {
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

ReadStatus RtmpLink::classifyFailure() {
  std::lock_guard lk(fdMu);
  if (cancelFd < 0) return ReadStatus::Error;
  char c;
  ssize_t n = ::recv(cancelFd, &c, 1, MSG_PEEK | MSG_DONTWAIT);
  if (n == 0) return ReadStatus::Closed;
  return ReadStatus::Error;
}

bool RtmpLink::sendChunkSize(int size) {
  if (size <= kPlainChunkSize) return true;
  RTMPPacket p{};  // zero-initialised: RTMPPacket_Reset leaves m_chunk (read by RTMP_ReadPacket) unset
  RTMPPacket_Reset(&p);
  if (!RTMPPacket_Alloc(&p, 4)) return false;
  p.m_nChannel = kChannelControl;
  p.m_headerType = RTMP_PACKET_SIZE_LARGE;
  p.m_packetType = wire(RtmpMessageType::SetChunkSize);
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

void RtmpLink::pushPending(RtmpMessage m) {
  if (pending.size() >= kMaxPending) pending.pop_front();
  pending.push_back(std::move(m));
}

bool RtmpLink::popPending(RtmpMessage& out) {
  if (pending.empty()) return false;
  out = std::move(pending.front());
  pending.pop_front();
  return true;
}

std::string RtmpLink::methodForTxn(double txn) const {
  for (int i = 0; i < rtmp->m_numCalls; ++i)
    if (rtmp->m_methodCalls[i].num == static_cast<int>(txn)) return str(rtmp->m_methodCalls[i].name);
  return {};
}

RtmpMessage RtmpLink::toMessage(const RTMPPacket& p) {
  RtmpMessage m;
  m.type = p.m_packetType;
  m.timestamp = p.m_nTimeStamp;
  m.streamId = static_cast<uint32_t>(p.m_nInfoField2);
  const auto* b = reinterpret_cast<const uint8_t*>(p.m_body);
  if (b && p.m_nBodySize) m.body.assign(b, b + p.m_nBodySize);
  return m;
}

void RtmpLink::noteMedia(uint8_t type) {
  if (type != wire(RtmpMessageType::Audio) && type != wire(RtmpMessageType::Video)) return;
  signals.media = true;
  if (!streamUp) startedAt = std::chrono::steady_clock::now();
}

Refusal RtmpLink::refusalForFailure(ReadStatus why) const {
  if (why != ReadStatus::Closed && why != ReadStatus::Error) return Refusal::None;
  if (!signals.startStatus || signals.media) return Refusal::None;
  return std::chrono::steady_clock::now() - startedAt <= kRefusalWindow ? Refusal::ClosedAfterStart : Refusal::None;
}

bool RtmpLink::takeMessage(RTMPPacket& p, RtmpMessage* out) {
  bool delivered = false;
  switch (static_cast<RtmpMessageType>(p.m_packetType)) {
    case RtmpMessageType::Audio:
    case RtmpMessageType::Video:
    case RtmpMessageType::DataAmf0:
      noteMedia(p.m_packetType);
      *out = toMessage(p);
      delivered = true;
      break;
    case RtmpMessageType::Aggregate:
      unpackAggregate(reinterpret_cast<const uint8_t*>(p.m_body), p.m_nBodySize, p.m_nTimeStamp,
                      static_cast<uint32_t>(p.m_nInfoField2), [&](RtmpMessage&& m) {
                        noteMedia(m.type);
                        pushPending(std::move(m));
                      });
      delivered = popPending(*out);
      break;
    case RtmpMessageType::CommandAmf0: {
      auto inv = decodeInvoke(reinterpret_cast<const uint8_t*>(p.m_body), p.m_nBodySize);
      if (inv && inv->isStatus()) {  // never handed to librtmp: it closes the link on some codes
        *out = toMessage(p);
        out->status = inv->status;
        out->statusMeaning = inv->meaning();
        out->statusCode = inv->code;
        delivered = true;
      } else {
        RTMP_ClientPacket(rtmp, &p);
      }
      break;
    }
    case RtmpMessageType::UserControl: {
      // StreamEOF is nginx-rtmp's only end-of-stream signal by default (it sends NetStream.Play.UnpublishNotify
      // only with publish_notify on); StreamBegin says a publisher is live.
      const auto ev = decodeStreamEvent(reinterpret_cast<const uint8_t*>(p.m_body), p.m_nBodySize);
      RTMP_ClientPacket(rtmp, &p);  // librtmp answers pings and tracks buffer length
      if (ev && streamUp) {
        if (*ev == StreamEvent::Begin) signals.streamBegin = true;
        *out = RtmpMessage{};
        out->type = wire(RtmpMessageType::UserControl);
        out->event = *ev;
        if (*ev == StreamEvent::Eof) out->statusCode = kLegacyStreamEofCode;
        delivered = true;
      }
      break;
    }
    default:
      RTMP_ClientPacket(rtmp, &p);  // chunk size, acks, window size, bandwidth, other commands
      break;
  }
  RTMPPacket_Free(&p);
  return delivered;
}

}  // namespace openlive::transport
