// The RTMP vocabulary (transport stage): message types, user-control events and onStatus codes as named enums,
// with ONE table mapping status codes to their meaning (rtmp_protocol.cpp, kStatusTable). Nothing outside this
// unit compares an onStatus code string or spells a message type as a number.
//
// Which servers send what (checked against their sources / on the wire, 2026-12):
//   nginx-rtmp   Play.Start (+ |RtmpSampleAccess) on every play, even into an idle stream; StreamBegin when a
//                publisher is (or becomes) live; Play.StreamNotFound with idle_streams off; Publish.BadName
//                ("Already publishing"); Play.UnpublishNotify / Play.PublishNotify with publish_notify on;
//                user control StreamEOF when the publisher leaves; Play.Stop / Play.Complete for VOD; with
//                `deny play` it sends Play.Start and then resets the connection (the access check runs after
//                the live module's reply). nginx-http-flv's notify module: Play.Forbidden / Publish.Forbidden.
//   node-media-server 4.x  StreamBegin, Play.Reset, Play.Start on play; Publish.Start; a refused play or publish
//                (auth, stream busy) just ends the socket, with no status at all.
//   SRS          Play.Reset, Play.Start, Data.Start, Publish.Start, Unpublish.Success, Pause/Unpause.Notify,
//                Connect.Rejected (with a redirect), Play.StreamNotFound, Play.PublishNotify.
//   Flash / FMS / Wowza  Play.Failed, Play.InsufficientBW, Publish.Idle, Connect.Failed/Closed/InvalidApp/
//                AppShutdown; some CDNs Publish.Unauthorized.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace openlive::transport {

// RTMP message type ids (RTMP spec 5.4, 7.1).
enum class RtmpMessageType : uint8_t {
  SetChunkSize = 1,
  Abort = 2,
  Acknowledgement = 3,
  UserControl = 4,
  WindowAckSize = 5,
  SetPeerBandwidth = 6,
  Audio = 8,
  Video = 9,
  DataAmf3 = 15,
  SharedObjectAmf3 = 16,
  CommandAmf3 = 17,
  DataAmf0 = 18,  // script data (onMetaData, @setDataFrame)
  SharedObjectAmf0 = 19,
  CommandAmf0 = 20,  // invoke: connect, _result, _error, onStatus, ...
  Aggregate = 22,
};
const char* toString(RtmpMessageType t);
constexpr uint8_t wire(RtmpMessageType t) { return static_cast<uint8_t>(t); }
// Audio, video or script data: what the FLV demuxer consumes.
constexpr bool isMediaType(uint8_t t) {
  return t == wire(RtmpMessageType::Audio) || t == wire(RtmpMessageType::Video) ||
         t == wire(RtmpMessageType::DataAmf0);
}

// User control event types (RTMP spec 7.1.7), as on the wire.
enum class UserControlEvent : uint16_t {
  StreamBegin = 0,
  StreamEof = 1,
  StreamDry = 2,
  SetBufferLength = 3,
  StreamIsRecorded = 4,
  PingRequest = 6,
  PingResponse = 7,
};

// The user control events a player acts on, as typed stream events (RtmpMessage::event).
enum class StreamEvent {
  None,
  Begin,  // StreamBegin: the server starts sending this stream (a publisher is live)
  Eof,    // StreamEOF: the stream ended (nginx-rtmp's only end-of-stream signal by default)
  Dry,    // StreamDry: no more data for now
};
const char* toString(StreamEvent e);

// A user control message body (event type + stream id) as a typed stream event; nullopt when the body is too
// short or the event is not one of the three above (pings, buffer length: librtmp answers those).
std::optional<StreamEvent> decodeStreamEvent(const uint8_t* body, size_t size);

// onStatus / _error info.code values. `Unknown` is any other code.
enum class StreamStatus {
  None,  // not a status
  ConnectSuccess,
  ConnectRejected,
  ConnectInvalidApp,
  ConnectFailed,
  ConnectClosed,
  ConnectAppShutdown,
  PublishStart,
  PublishBadName,  // the name is in use (often our own stale session during a reconnect)
  PublishIdle,
  PublishUnauthorized,
  PublishForbidden,
  UnpublishSuccess,
  PlayStart,
  PlayReset,
  PlayStreamNotFound,
  PlayFailed,
  PlayForbidden,
  PlayInsufficientBandwidth,
  PlayStop,
  PlayComplete,
  PlayUnpublishNotify,
  PlayPublishNotify,
  PauseNotify,
  UnpauseNotify,
  DataStart,
  Unknown,
};

// What a status means for the session that receives it.
enum class StatusMeaning {
  Info,      // nothing to act on
  Started,   // publish / play started
  Ended,     // the publisher left or the stream ended (a republish may follow)
  NotFound,  // no such stream
  Refused,   // the server refused the request (see `permanent`)
};

struct StatusInfo {
  StreamStatus status = StreamStatus::None;
  std::string_view code;  // the wire code ("" for None / Unknown)
  StatusMeaning meaning = StatusMeaning::Info;
  bool permanent = false;  // a refusal that retrying will not change (bad app, unauthorized)
};

// The table row for a status; for a code string (any level) use statusFromCode first.
const StatusInfo& statusInfo(StreamStatus s);
// The status for an onStatus code. `level` "error" turns an unknown code into a refusal (meaningOf).
StreamStatus statusFromCode(std::string_view code);
// The meaning of a received status: the table's, except that an Unknown code at level "error" is a refusal.
StatusMeaning meaningOf(StreamStatus s, std::string_view level);
const char* toString(StreamStatus s);  // the wire code, "unknown" or "none"

}  // namespace openlive::transport
