// OpenLive SDK - the event catalog.
//
// Every push and play event code (TXLivePusher / TXLivePlayer numbering, see docs/EVENTS.md) is declared
// exactly once, in OPENLIVE_EVENT_LIST below: numeric value, TX name, category and default English message.
// The EventCode enum and the runtime catalog are both generated from this list; no other file in the SDK
// spells an event number.
#pragma once

#include <openlive/export.h>

#include <cstddef>
#include <span>
#include <string_view>

namespace openlive {

enum class EventCategory { Event, Warning, Error };

// X(NAME, VALUE, CATEGORY, MESSAGE)
#define OPENLIVE_EVENT_LIST(X)                                                                              \
  /* ---- push: events ---- */                                                                            \
  X(PUSH_EVT_CONNECT_SUCC, 1001, Event, "Connected to the push server")                                    \
  X(PUSH_EVT_PUSH_BEGIN, 1002, Event, "Publish started, media is flowing")                                 \
  X(PUSH_EVT_OPEN_CAMERA_SUCC, 1003, Event, "Camera opened")                                               \
  X(PUSH_EVT_SCREEN_CAPTURE_SUCC, 1004, Event, "Screen capture started")                                   \
  X(PUSH_EVT_CHANGE_RESOLUTION, 1005, Event, "Resolution changed by QoS")                                  \
  X(PUSH_EVT_CHANGE_BITRATE, 1006, Event, "Bitrate changed by QoS")                                        \
  X(PUSH_EVT_FIRST_FRAME_AVAILABLE, 1007, Event, "First frame captured")                                   \
  X(PUSH_EVT_START_VIDEO_ENCODER, 1008, Event, "Video encoder started")                                    \
  X(PUSH_EVT_ROOM_IN, 1018, Event, "Entered the room (legacy)")                                            \
  X(PUSH_EVT_ROOM_OUT, 1019, Event, "Left the room (legacy)")                                              \
  X(PUSH_EVT_ROOM_USERLIST, 1020, Event, "Room user list (legacy)")                                        \
  X(PUSH_EVT_ROOM_NEED_REENTER, 1021, Event, "Room must be re-entered (legacy)")                           \
  X(EVT_SNAPSHOT_RESULT, 1022, Event, "Snapshot finished")                                                 \
  X(PUSH_EVT_CAMERA_REMOVED, 1023, Event, "Camera removed")                                                \
  X(PUSH_EVT_CAMERA_AVAILABLE, 1024, Event, "Camera available")                                            \
  X(PUSH_EVT_CAMERA_CLOSED, 1025, Event, "Camera closed")                                                  \
  X(PUSH_EVT_LOCAL_RECORD_RESULT, 1029, Event, "Local recording finished")                                 \
  X(PUSH_EVT_LOCAL_RECORD_PROGRESS, 1030, Event, "Local recording progress")                               \
  X(PUSH_WARNING_HANDUP_STOP, 5000, Warning, "Pusher stopped because the app went to the background")      \
  /* ---- push: errors ---- */                                                                            \
  X(PUSH_ERR_OPEN_CAMERA_FAIL, -1301, Error, "Failed to open the camera")                                  \
  X(PUSH_ERR_OPEN_MIC_FAIL, -1302, Error, "Failed to open the microphone")                                 \
  X(PUSH_ERR_VIDEO_ENCODE_FAIL, -1303, Error, "Video encoding failed")                                     \
  X(PUSH_ERR_AUDIO_ENCODE_FAIL, -1304, Error, "Audio encoding failed")                                     \
  X(PUSH_ERR_UNSUPPORTED_RESOLUTION, -1305, Error, "Unsupported video resolution")                         \
  X(PUSH_ERR_UNSUPPORTED_SAMPLERATE, -1306, Error, "Unsupported audio sample rate")                        \
  X(PUSH_ERR_NET_DISCONNECT, -1307, Error, "Network disconnected and reconnect attempts are used up")      \
  X(PUSH_ERR_SCREEN_CAPTURE_FAIL, -1308, Error, "Screen capture failed")                                   \
  X(PUSH_ERR_SCREEN_CAPTURE_UNSURPORT, -1309, Error, "Screen capture is not supported on this system")     \
  X(PUSH_ERR_INVALID_ADDRESS, -1313, Error, "Invalid push URL (not an RTMP address)")                      \
  X(PUSH_ERR_CAMERA_NOT_AUTHORIZED, -1314, Error, "No permission to use the camera")                       \
  X(PUSH_ERR_CAMERA_SET_PARAM_FAIL, -1315, Error, "Camera rejected the capture parameters")                \
  X(PUSH_ERR_CAMERA_OCCUPY, -1316, Error, "Camera is busy")                                                \
  X(PUSH_ERR_MIC_NOT_AUTHORIZED, -1317, Error, "No permission to use the microphone")                      \
  X(PUSH_ERR_MIC_SET_PARAM_FAIL, -1318, Error, "Microphone rejected the capture parameters")               \
  X(PUSH_ERR_MIC_OCCUPY, -1319, Error, "Microphone is busy")                                               \
  X(PUSH_ERR_MIC_STOP_FAIL, -1320, Error, "Failed to stop the microphone")                                 \
  X(PUSH_ERR_SPEAKER_START_FAIL, -1321, Error, "Failed to open the speaker")                               \
  X(PUSH_ERR_SPEAKER_SET_PARAM_FAIL, -1322, Error, "Speaker rejected the parameters")                      \
  X(PUSH_ERR_SPEAKER_STOP_FAIL, -1323, Error, "Failed to stop the speaker")                                \
  X(PUSH_ERR_NET_ALLADDRESS_FAIL, -1324, Error, "Every server address failed")                             \
  X(PUSH_ERR_NO_NETWORK, -1325, Error, "No network available")                                             \
  X(PUSH_ERR_SERVER_REFUSE, -1326, Error, "Server refused the publish (URL busy, bad or expired txSecret)") \
  /* ---- push: warnings ---- */                                                                          \
  X(PUSH_WARNING_NET_BUSY, 1101, Warning, "Uplink too slow for the current bitrate")                       \
  X(PUSH_WARNING_RECONNECT, 1102, Warning, "Connection lost, reconnecting")                                \
  X(PUSH_WARNING_HW_ACCELERATION_FAIL, 1103, Warning, "Hardware encoder failed, using software")           \
  X(PUSH_WARNING_VIDEO_ENCODE_FAIL, 1104, Warning, "Video encoding failed; encoder restarted")             \
  X(PUSH_WARNING_BEAUTYSURFACE_VIEW_INIT_FAIL, 1105, Warning, "Preview surface initialisation failed")     \
  X(PUSH_WARNING_VIDEO_ENCODE_BITRATE_OVERFLOW, 1106, Warning, "Encoder output exceeds the target bitrate") \
  X(PUSH_WARNING_SWITCH_SWENC, 1107, Warning, "CPU too high, switched encoder")                            \
  X(PUSH_WARNING_INSUFFICIENT_CAPTURE_FPS, 1108, Warning, "Capture frame rate is too low")                 \
  X(PUSH_WARNING_SW_ENCODER_START_FAIL, 1109, Warning, "Software encoder failed to start")                 \
  X(PUSH_WARNING_DNS_FAIL, 3001, Warning, "DNS resolution failed; will retry")                             \
  X(PUSH_WARNING_SEVER_CONN_FAIL, 3002, Warning, "TCP connection to the server failed; will retry")        \
  X(PUSH_WARNING_SHAKE_FAIL, 3003, Warning, "RTMP handshake with the server failed; will retry")           \
  X(PUSH_WARNING_SERVER_DISCONNECT, 3004, Warning, "Server closed the connection (check URL and txSecret)") \
  X(PUSH_WARNING_READ_WRITE_FAIL, 3005, Warning, "Socket read/write failed; disconnecting")                \
  X(PUSH_WARNING_SERVER_NO_DATA, 3008, Warning, "Nothing was sent for 30 s; disconnecting")                \
  /* ---- play: events ---- */                                                                            \
  X(PLAY_EVT_CONNECT_SUCC, 2001, Event, "Connected to the server")                                         \
  X(PLAY_EVT_RTMP_STREAM_BEGIN, 2002, Event, "Server started sending the stream")                          \
  X(PLAY_EVT_RCV_FIRST_I_FRAME, 2003, Event, "First key frame received and decoded")                       \
  X(PLAY_EVT_PLAY_BEGIN, 2004, Event, "Playback started")                                                  \
  X(PLAY_EVT_PLAY_PROGRESS, 2005, Event, "Playback progress")                                              \
  X(PLAY_EVT_PLAY_END, 2006, Event, "Playback ended")                                                      \
  X(PLAY_EVT_PLAY_LOADING, 2007, Event, "Buffering")                                                       \
  X(PLAY_EVT_START_VIDEO_DECODER, 2008, Event, "Video decoder started")                                    \
  X(PLAY_EVT_CHANGE_RESOLUTION, 2009, Event, "Video resolution changed")                                   \
  X(PLAY_EVT_GET_PLAYINFO_SUCC, 2010, Event, "Play information received")                                  \
  X(PLAY_EVT_CHANGE_ROTATION, 2011, Event, "Video rotation changed")                                       \
  X(PLAY_EVT_GET_MESSAGE, 2012, Event, "Message (SEI) received")                                           \
  X(PLAY_EVT_VOD_PLAY_PREPARED, 2013, Event, "Video-on-demand prepared")                                   \
  X(PLAY_EVT_VOD_LOADING_END, 2014, Event, "Video-on-demand loading ended")                                \
  X(PLAY_EVT_STREAM_SWITCH_SUCC, 2015, Event, "Stream switch succeeded")                                   \
  X(PLAY_EVT_RCV_FIRST_AUDIO_FRAME, 2026, Event, "First audio frame played")                               \
  /* ---- play: errors ---- */                                                                            \
  X(PLAY_ERR_NET_DISCONNECT, -2301, Error, "Network disconnected and reconnect attempts are used up")      \
  X(PLAY_ERR_GET_RTMP_ACC_URL_FAIL, -2302, Error, "Low-latency URL unsigned or invalid")                   \
  X(PLAY_ERR_FILE_NOT_FOUND, -2303, Error, "File not found")                                               \
  X(PLAY_ERR_HEVC_DECODE_FAIL, -2304, Error, "HEVC decoding failed")                                       \
  X(PLAY_ERR_HLS_KEY, -2305, Error, "Failed to get the HLS decryption key")                                \
  X(PLAY_ERR_GET_PLAYINFO_FAIL, -2306, Error, "Failed to get play information")                            \
  X(PLAY_ERR_STREAM_SWITCH_FAIL, -2307, Error, "Stream switch failed")                                     \
  X(PLAY_ERR_SERVER_REFUSE, -2308, Error, "Server refused the play request")                               \
  X(PLAY_ERR_ACC_ADDRESS_FAIL, -2309, Error, "Low-latency address failed")                                 \
  /* ---- play: warnings ---- */                                                                          \
  X(PLAY_WARNING_VIDEO_DECODE_FAIL, 2101, Warning, "Video decoding failed")                                \
  X(PLAY_WARNING_AUDIO_DECODE_FAIL, 2102, Warning, "Audio decoding failed")                                \
  X(PLAY_WARNING_RECONNECT, 2103, Warning, "Connection lost, reconnecting")                                \
  X(PLAY_WARNING_RECV_DATA_LAG, 2104, Warning, "Inbound data is unsteady")                                 \
  X(PLAY_WARNING_VIDEO_PLAY_LAG, 2105, Warning, "Video stalled (render gap over the block threshold)")     \
  X(PLAY_WARNING_HW_ACCELERATION_FAIL, 2106, Warning, "Hardware decoder failed, using software")           \
  X(PLAY_WARNING_VIDEO_DISCONTINUITY, 2107, Warning, "Video frames are missing (discontinuity)")           \
  X(PLAY_WARNING_FIRST_IDR_HW_DECODE_FAIL, 2108, Warning, "Hardware decoding of the first IDR failed")     \
  X(PLAY_WARNING_SW_DECODER_START_FAIL, 2109, Warning, "Software decoder failed to start")                \
  X(PLAY_WARNING_RENDER_WINDOW_FAIL, 2110, Warning, "The app's render window cannot be drawn into")   \
  /* ---- rooms (LiveRoom / RtcRoom; our numbering, -33xx / 33xx) ---- */                                 \
  X(ROOM_ERR_REQUEST_TIMEOUT, -3301, Error, "Room service request timed out")                              \
  X(ROOM_ERR_LOGIN_FAIL, -3302, Error, "Room service login failed")                                        \
  X(ROOM_ERR_CREATE_ROOM, -3303, Error, "Creating the room failed")                                        \
  X(ROOM_ERR_ENTER_ROOM, -3304, Error, "Entering the room failed")                                         \
  X(ROOM_ERR_PUSH_DISCONNECT, -3305, Error, "The room's push ended (reconnect attempts used up)")          \
  X(ROOM_ERR_CANCELED, -3306, Error, "Request canceled (the room was left)")                               \
  X(ROOM_ERR_INVALID_PARAM, -3307, Error, "Invalid room parameter")                                        \
  X(ROOM_ERR_ROOM_FULL, -3308, Error, "The room is full")                                                  \
  X(ROOM_ERR_USER_REJECTED, -3309, Error, "The other member rejected the request")                         \
  X(ROOM_ERR_SIGNALLING, -3310, Error, "The signalling channel was refused")                               \
  X(ROOM_ERR_SERVICE, -3311, Error, "The room service refused the request")                                \
  X(ROOM_WARNING_HEARTBEAT_FAIL, 3301, Warning, "Room heartbeat failed")                                   \
  X(ROOM_WARNING_SIGNALLING_RECONNECT, 3302, Warning, "Signalling channel lost, reconnecting")             \
  X(ROOM_WARNING_REMOTE_PLAY_FAIL, 3303, Warning, "A remote member's stream could not be played")      \
  X(ROOM_WARNING_MERGE_FAIL, 3304, Warning, "The room service did not take the mix layout")               \
  /* ---- push: capture devices (our numbering, 34xx; cameras use TX's 1023 / 1024) ---- */               \
  X(PUSH_WARNING_MIC_LOST, 3401, Warning, "The microphone went away; sending silence, retrying each second") \
  X(PUSH_EVT_MIC_AVAILABLE, 3402, Event, "The microphone is capturing again")

// Play-side names for the shared connection warnings 3001-3005 (same numbers, same meaning).
#define OPENLIVE_EVENT_ALIAS_LIST(X)                                  \
  X(PLAY_WARNING_DNS_FAIL, PUSH_WARNING_DNS_FAIL)                     \
  X(PLAY_WARNING_SEVER_CONN_FAIL, PUSH_WARNING_SEVER_CONN_FAIL)       \
  X(PLAY_WARNING_SHAKE_FAIL, PUSH_WARNING_SHAKE_FAIL)                 \
  X(PLAY_WARNING_SERVER_DISCONNECT, PUSH_WARNING_SERVER_DISCONNECT)   \
  X(PLAY_WARNING_READ_WRITE_FAIL, PUSH_WARNING_READ_WRITE_FAIL)

enum class EventCode : int {
#define OPENLIVE_X_ENUM(name, value, category, message) name = value,
  OPENLIVE_EVENT_LIST(OPENLIVE_X_ENUM)
#undef OPENLIVE_X_ENUM
#define OPENLIVE_X_ALIAS(alias, name) alias = name,
  OPENLIVE_EVENT_ALIAS_LIST(OPENLIVE_X_ALIAS)
#undef OPENLIVE_X_ALIAS
};

// Periodic statistics arrive through the net-status callback, not as events; these are the TX ids they
// carry when bridged into a single TX-style event sink.
inline constexpr int kPushNetStatusId = 200001;
inline constexpr int kPlayNetStatusId = 200002;

struct EventInfo {
  EventCode code;
  std::string_view name;     // TX name, e.g. "PUSH_EVT_CONNECT_SUCC"
  std::string_view alias;    // play-side name for shared codes, else empty
  EventCategory category;
  std::string_view message;  // default English message
};

// The whole catalog, in declaration order.
OPENLIVE_API std::span<const EventInfo> eventCatalog() noexcept;
// Lookup by numeric value; nullptr if unknown.
OPENLIVE_API const EventInfo* findEvent(int code) noexcept;
inline const EventInfo* findEvent(EventCode code) noexcept { return findEvent(static_cast<int>(code)); }
// Lookup by TX name or alias (exact, case-sensitive); nullptr if unknown.
OPENLIVE_API const EventInfo* findEventByName(std::string_view name) noexcept;
// Name of a code ("UNKNOWN_EVENT" if not in the catalog).
OPENLIVE_API std::string_view eventName(EventCode code) noexcept;
// Default message of a code ("" if not in the catalog).
OPENLIVE_API std::string_view eventMessage(EventCode code) noexcept;
OPENLIVE_API std::string_view toString(EventCategory category) noexcept;
inline constexpr int toInt(EventCode code) noexcept { return static_cast<int>(code); }

}  // namespace openlive
