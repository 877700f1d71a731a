// GET /weapp/signal/stream?userID=&token= : the user's signalling channel as Server-Sent Events.
//
//   retry: 1000                      (first: how long a browser EventSource waits before reconnecting)
//   id: 42                           one event per message, data = the envelope (envelope.h), in id order
//   data: {"id":42,"kind":"group",...}
//   : ping                           when idle for ssePing, so both ends notice a dead connection
//   event: reset                     resuming from Last-Event-ID after messages were dropped (overflow/retention)
// Resume: send the last id seen as the Last-Event-ID header (or lastEventID query parameter). A fresh stream
// (no id) gets what arrived since the user's login. Messages past their staleAfter (their own timestamp + 10 s)
// are skipped. The stream ends when the user logs out (checked every ssePing), opens another stream, or roomd stops.
// 401 + code 7 without a valid session; 503 + code 1 when maxStreams are open.
#pragma once

#include <httplib.h>

#include "services.h"

namespace openlive::roomd {

void serveSignalStream(Services& s, const httplib::Request& req, httplib::Response& res);

// The text one provider call writes for a batch (exposed for tests). Advances *lastId past every message,
// including stale ones it skips.
std::string formatBatch(const MailboxHub::Batch& batch, int64_t nowMs, uint64_t* lastId);

}  // namespace openlive::roomd
