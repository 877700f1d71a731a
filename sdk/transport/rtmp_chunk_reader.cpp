#include "transport/rtmp_chunk_reader.h"

#include "transport/rtmp_protocol.h"

#include <cstdint>
#include <cstring>

namespace openlive::transport {
namespace {

// A SetChunkSize we refuse to apply: librtmp would take 0 (a reader that never completes a message) or a
// size beyond any sane message.
bool isInvalidChunkSize(const RTMPPacket& p) {
  if (p.m_packetType != wire(RtmpMessageType::SetChunkSize) || p.m_nBodySize < 4) return false;
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

}  // namespace

RTMPPacket emptyPacket() {
  RTMPPacket p{};
  RTMPPacket_Reset(&p);
  p.m_body = nullptr;
  return p;
}

ChunkRead readChunkGuarded(RTMP* r, RTMPPacket* packet, std::string* why) {
  const char* violation = nullptr;
  const char* cachedBody = nullptr;
  const Precheck pre = RTMP_IsConnected(r) ? precheckNextChunk(r, &violation, &cachedBody) : Precheck::IoFailed;
  if (pre == Precheck::Violation) {
    *why = std::string("protocol error: ") + violation;
    return ChunkRead::Violation;
  }
  if (pre == Precheck::IoFailed || !RTMP_ReadPacket(r, packet)) {
    releaseFailedRead(*packet, cachedBody);
    return ChunkRead::IoFailed;
  }
  if (const char* bad = inboundLimitViolation(r, *packet)) {
    RTMPPacket_Free(packet);
    *why = std::string("protocol error: ") + bad;
    return ChunkRead::Violation;
  }
  if (!RTMPPacket_IsReady(packet)) return ChunkRead::Partial;
  if (isInvalidChunkSize(*packet)) {
    RTMPPacket_Free(packet);
    *why = "protocol error: server sent an invalid chunk size";
    return ChunkRead::Violation;
  }
  return ChunkRead::Complete;
}

}  // namespace openlive::transport
