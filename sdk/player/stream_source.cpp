#include "player/stream_source.h"

namespace openlive::player {

const char* toString(SourceFailure f) {
  switch (f) {
    case SourceFailure::None: return "none";
    case SourceFailure::Dns: return "name lookup failed";
    case SourceFailure::Tcp: return "TCP connection failed";
    case SourceFailure::Handshake: return "handshake failed";
    case SourceFailure::Closed: return "closed by the server";
    case SourceFailure::ReadError: return "read failed";
    case SourceFailure::NotFound: return "not found";
    case SourceFailure::Refused: return "refused by the server";
    case SourceFailure::EmptyBody: return "empty response";
    case SourceFailure::NotFlv: return "not an FLV stream";
  }
  return "?";
}

bool isFinal(SourceFailure f) {
  return f == SourceFailure::NotFound || f == SourceFailure::Refused || f == SourceFailure::EmptyBody;
}

}  // namespace openlive::player
