#include "transport/rtmp_protocol.h"

#include <array>

namespace openlive::transport {
namespace {

using M = StatusMeaning;
using S = StreamStatus;

// THE mapping table: every onStatus code the SDK knows, what it means, and whether a refusal is permanent.
constexpr std::array kStatusTable = {
    StatusInfo{S::None, "", M::Info, false},
    StatusInfo{S::ConnectSuccess, "NetConnection.Connect.Success", M::Info, false},
    StatusInfo{S::ConnectRejected, "NetConnection.Connect.Rejected", M::Refused, true},
    StatusInfo{S::ConnectInvalidApp, "NetConnection.Connect.InvalidApp", M::Refused, true},
    StatusInfo{S::ConnectFailed, "NetConnection.Connect.Failed", M::Refused, false},
    StatusInfo{S::ConnectClosed, "NetConnection.Connect.Closed", M::Ended, false},
    StatusInfo{S::ConnectAppShutdown, "NetConnection.Connect.AppShutdown", M::Refused, false},
    StatusInfo{S::PublishStart, "NetStream.Publish.Start", M::Started, false},
    StatusInfo{S::PublishBadName, "NetStream.Publish.BadName", M::Refused, false},
    StatusInfo{S::PublishIdle, "NetStream.Publish.Idle", M::Info, false},
    StatusInfo{S::PublishUnauthorized, "NetStream.Publish.Unauthorized", M::Refused, true},
    StatusInfo{S::PublishForbidden, "NetStream.Publish.Forbidden", M::Refused, true},
    StatusInfo{S::UnpublishSuccess, "NetStream.Unpublish.Success", M::Info, false},
    StatusInfo{S::PlayStart, "NetStream.Play.Start", M::Started, false},
    StatusInfo{S::PlayReset, "NetStream.Play.Reset", M::Info, false},
    StatusInfo{S::PlayStreamNotFound, "NetStream.Play.StreamNotFound", M::NotFound, false},
    StatusInfo{S::PlayFailed, "NetStream.Play.Failed", M::Refused, false},
    StatusInfo{S::PlayForbidden, "NetStream.Play.Forbidden", M::Refused, true},
    StatusInfo{S::PlayInsufficientBandwidth, "NetStream.Play.InsufficientBW", M::Info, false},
    StatusInfo{S::PlayStop, "NetStream.Play.Stop", M::Ended, false},
    StatusInfo{S::PlayComplete, "NetStream.Play.Complete", M::Ended, false},
    StatusInfo{S::PlayUnpublishNotify, "NetStream.Play.UnpublishNotify", M::Ended, false},
    StatusInfo{S::PlayPublishNotify, "NetStream.Play.PublishNotify", M::Info, false},
    StatusInfo{S::PauseNotify, "NetStream.Pause.Notify", M::Info, false},
    StatusInfo{S::UnpauseNotify, "NetStream.Unpause.Notify", M::Info, false},
    StatusInfo{S::DataStart, "NetStream.Data.Start", M::Info, false},
    StatusInfo{S::Unknown, "", M::Info, false},
};

constexpr bool tableInEnumOrder() {
  for (size_t i = 0; i < kStatusTable.size(); ++i)
    if (static_cast<size_t>(kStatusTable[i].status) != i) return false;
  return true;
}
static_assert(tableInEnumOrder(), "kStatusTable rows must follow the StreamStatus order");

}  // namespace

const StatusInfo& statusInfo(StreamStatus s) {
  const auto i = static_cast<size_t>(s);
  return i < kStatusTable.size() ? kStatusTable[i] : kStatusTable.back();
}

StreamStatus statusFromCode(std::string_view code) {
  if (code.empty()) return S::Unknown;
  for (const StatusInfo& row : kStatusTable)
    if (row.code == code) return row.status;
  return S::Unknown;
}

StatusMeaning meaningOf(StreamStatus s, std::string_view level) {
  const StatusMeaning m = statusInfo(s).meaning;
  if (m == M::Info && level == "error") return M::Refused;  // a code we do not know, or one misused as an error
  return m;
}

const char* toString(StreamStatus s) {
  if (s == S::None) return "none";
  if (s == S::Unknown) return "unknown";
  return statusInfo(s).code.data();  // the table's literals are NUL-terminated
}

const char* toString(RtmpMessageType t) {
  switch (t) {
    case RtmpMessageType::SetChunkSize: return "set-chunk-size";
    case RtmpMessageType::Abort: return "abort";
    case RtmpMessageType::Acknowledgement: return "ack";
    case RtmpMessageType::UserControl: return "user-control";
    case RtmpMessageType::WindowAckSize: return "window-ack-size";
    case RtmpMessageType::SetPeerBandwidth: return "set-peer-bandwidth";
    case RtmpMessageType::Audio: return "audio";
    case RtmpMessageType::Video: return "video";
    case RtmpMessageType::DataAmf3: return "data-amf3";
    case RtmpMessageType::SharedObjectAmf3: return "shared-object-amf3";
    case RtmpMessageType::CommandAmf3: return "command-amf3";
    case RtmpMessageType::DataAmf0: return "data";
    case RtmpMessageType::SharedObjectAmf0: return "shared-object";
    case RtmpMessageType::CommandAmf0: return "command";
    case RtmpMessageType::Aggregate: return "aggregate";
  }
  return "?";
}

const char* toString(StreamEvent e) {
  switch (e) {
    case StreamEvent::None: return "none";
    case StreamEvent::Begin: return "StreamBegin";
    case StreamEvent::Eof: return "StreamEOF";
    case StreamEvent::Dry: return "StreamDry";
  }
  return "?";
}

std::optional<StreamEvent> decodeStreamEvent(const uint8_t* body, size_t size) {
  if (!body || size < 2) return std::nullopt;
  switch (static_cast<UserControlEvent>((uint16_t(body[0]) << 8) | body[1])) {
    case UserControlEvent::StreamBegin: return StreamEvent::Begin;
    case UserControlEvent::StreamEof: return StreamEvent::Eof;
    case UserControlEvent::StreamDry: return StreamEvent::Dry;
    default: return std::nullopt;
  }
}

}  // namespace openlive::transport
