// The guarded chunk read (transport stage): the ONE place that reads from librtmp. librtmp trusts its peer;
// every chunk goes through the guards below before and after librtmp parses it, so a hostile or broken server
// cannot make it leak, overflow or hold gigabytes (tests/integration/test_hostile_rtmp.cpp).
//
// - Before: only a fmt 3 header may continue an incomplete message (RTMP spec 5.3.1; librtmp would replace the
//   stored packet without freeing its body, and a fmt 1 header there grows the length past the allocated body),
//   and no message may declare more than 8 MiB (librtmp allocates the full size on the first chunk).
// - After: at most 32 partial messages and 24 MiB across chunk streams, chunk stream ids below 1024, and no
//   SetChunkSize of 0 or beyond 0xFFFFFF. Real servers use a handful of chunk streams and messages far below
//   8 MiB (nginx-rtmp's max_message default is 1 MiB).
// - A failed read frees what librtmp allocated for a new message (and only that: a body continued from its
//   per-channel cache belongs to the cache, which RTMP_Close frees).
#pragma once

extern "C" {
#include <librtmp/rtmp.h>
}

#include <string>

namespace openlive::transport {

enum class ChunkRead {
  Complete,   // `packet` holds a complete message: the caller hands it on and frees it (RTMPPacket_Free)
  Partial,    // a chunk of a message that is not complete yet: read again
  Violation,  // the peer broke the protocol or the bounds above (`why`): treat the link as failed
  IoFailed,   // the socket read failed, timed out or was shut down (see RTMP::m_sb.sb_timedout)
};

// Reads one chunk with librtmp (blocking up to the socket's SO_RCVTIMEO). `packet` must be zero-initialised
// and reset before the first call and may be reused after Partial.
ChunkRead readChunkGuarded(RTMP* r, RTMPPacket* packet, std::string* why);

// A fresh packet for readChunkGuarded (RTMPPacket_Reset leaves m_chunk, read by RTMP_ReadPacket, unset).
RTMPPacket emptyPacket();

}  // namespace openlive::transport
