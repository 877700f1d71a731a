// OpenLive SDK - LiveRoom: a live room (one anchor, up to three co-anchors, any number of audience members) on
// the RoomService (openlive-roomd, docs/ROOMS.md), built on LivePusher and LivePlayer (MLVBLiveRoom shape).
//
//   LiveRoom room;
//   room.setCallbacks({.onAnchorEnter = [&](const RoomMember& m) { room.startRemoteView(m.userID, {}); }});
//   room.login({.serverUrl = "http://127.0.0.1:8080", .sdkAppId = 1400000001, .userID = "alice",
//               .userSig = sig}, [](const Result& r) { ... });
//   room.createRoom("", "alice's room", [](const Result& r, const std::string& roomID) { ... });   // anchor
//   room.enterRoom(roomID, {}, [](const Result& r) { ... });                                      // audience
//
// Threads: every method may be called from any thread and returns at once; the work runs on the room's own
// serial thread ("ol-room"), where all room state lives. Completions and callbacks come on the room's callback
// thread ("ol-room-cb"), in order, one at a time, never under an SDK lock; calling any method (even the
// destructor) from inside one is allowed. Each completion runs exactly once: with the outcome, or with
// ResultCode::Canceled (event ROOM_ERR_CANCELED) when exitRoom()/logout()/destruction ends the request first.
// exitRoom() and the destructor are bounded: HTTP calls in flight are cancelled, the pusher and players stop, and
// the leave call (destroy_room / delete_anchor / delete_audience) gets one request timeout.
//
// Roles (rooms.md section 1 and 6):
// - anchor: createRoom() pushes `push` (PushConfig) to the service's push URL; only after the publish really
//   began (1002) does it create the room and add itself; reconnects of the push do not repeat that. It answers
//   join requests (onRequestJoinAnchor -> responseJoinAnchor) and may kick co-anchors out.
// - audience: enterRoom() plays the room's mixedPlayURL (live mode, about 2 s of cache) and registers as audience.
// - co-anchor: an audience member whose requestJoinAnchor() was accepted calls joinAnchor(): it stops playing the
//   mix, publishes the small link-mic picture (coAnchorPush, 320x480 RTC), joins the anchors, and plays the others
//   in RTC mode through their accelerate URLs (startRemoteView); quitJoinAnchor() returns it to the audience.
// Anchors and co-anchors learn of each other through notifyPusherChange + get_anchors (onAnchorEnter /
// onAnchorExit); they heartbeat every 7 s; a member whose process dies is removed by the service (about 25 s).
#pragma once

#include <openlive/export.h>
#include <openlive/live_player.h>
#include <openlive/live_pusher.h>
#include <openlive/result.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace openlive {

struct RoomLoginParams {
  std::string serverUrl;  // http://HOST:PORT of the RoomService
  uint64_t sdkAppId = 0;
  std::string userID;
  std::string userSig;  // TLS-signature v2 (usersig.h); a secret, never logged
  std::string userName;
  std::string userAvatar;
  std::chrono::milliseconds requestTimeout{5000};  // each HTTP call to the service
};

struct RoomMember {
  std::string userID;
  std::string userName;
  std::string userAvatar;
  std::string accelerateURL;  // anchors only: their low-latency play URL
};

struct RoomSummary {
  std::string roomID;
  std::string roomInfo;
  std::string roomCreator;
  std::string mixedPlayURL;
  std::vector<RoomMember> anchors;
  uint64_t audienceCount = 0;
};

// Where a remote member's media goes (startRemoteView). Defaults: no window, no sound device (headless).
struct RemoteView {
  VideoOutput video{VideoOutput::Kind::None, {}};
  AudioOutput audio{AudioOutput::Kind::None, {}};
  std::function<void(const VideoFrame&)> onVideoFrame;  // decoded pictures, on that player's callback thread
  std::function<void(const Event&)> onEvent;            // that player's own events (2003, 2105, ...), same thread
};

enum class JoinAnchorOutcome { Accepted, Rejected, TimedOut, Failed, Canceled };
OPENLIVE_API std::string_view toString(JoinAnchorOutcome outcome) noexcept;
using RoomPKOutcome = JoinAnchorOutcome;  // requestRoomPK: the same outcomes

// The layout the room's main anchor asks the RoomService to compose for the audience (merge_stream, rooms.md
// section 5). Sent after the anchor's own 1002 and whenever a co-anchor arrives (after its 1002) or leaves;
// a request that fails is retried 5 times, 2 s apart (a newer layout replaces it). Alone, the anchor asks for
// itself at its own size (mixing off).
enum class RoomMixLayout {
  Auto,    // Mobile when the anchor pushes a portrait picture, else PC
  Mobile,  // canvas 540x960; co-anchors 160x240 at x = 380, y = 630 / 390 / 150
  PC,      // the anchor W x H on a canvas W x (H + W/3); three W/3 squares below: co-anchors, else a picture
  Off,     // never ask for a mix
};

struct LiveRoomConfig {
  PushConfig anchorPush;    // the anchor's stream (createRoom); default: RTC mode 640x360
  PushConfig coAnchorPush;  // a co-anchor's link-mic stream (joinAnchor); default: RTC mode 320x480, 350 kbps
  // The quality the room's main anchor switches to while at least one co-anchor is linked, back to
  // anchorPush's after the last one left (LivePusher::setVideoQuality; its quality fields only). Default:
  // PushMode::LinkMicMain (960x540, 600-1500 kbps, low latency). Empty: the anchor's quality never changes.
  std::optional<PushConfig> linkedAnchorPush;
  PlayConfig audiencePlay;  // the mix, for the audience (enterRoom); default: fixed 2 s cache
  RoomMixLayout mixLayout = RoomMixLayout::Auto;  // what the main anchor asks the service to mix
  // The PC layout's empty squares are picture inputs with this `picture_id` (a picture the mixer was given:
  // openlive-mixer --picture ID=PATH, through openlive-roomd --mixer-arg). Empty: none, the mixer's placeholder.
  std::string mixPictureId;
  std::chrono::milliseconds heartbeatInterval{7000};
  std::chrono::milliseconds joinAnchorTimeout{10000};  // requestJoinAnchor without an explicit timeout
  OPENLIVE_API LiveRoomConfig();
};

struct LiveRoomCallbacks {
  std::function<void(const RoomMember&)> onAnchorEnter;  // another anchor / co-anchor joined (anchors only)
  std::function<void(const RoomMember&)> onAnchorExit;
  std::function<void(const RoomMember&)> onAudienceEnter;  // anchors only
  std::function<void(const RoomMember&)> onAudienceExit;
  // An audience member asks to become a co-anchor (the room's anchor only); answer with responseJoinAnchor.
  std::function<void(const RoomMember&, const std::string& reason)> onRequestJoinAnchor;
  std::function<void()> onKickoutJoinAnchor;  // the anchor ended our link (we are audience again)
  // Another room's anchor asks for a PK (this room's anchor only); answer with responseRoomPK. The member's
  // accelerateURL is the one startRemoteView plays once accepted.
  std::function<void(const RoomMember&)> onRequestRoomPK;
  // The other anchor ended the PK, or is gone: its app died or lost its link without quitting (it is no longer
  // in its room, as the service's liveness check decides: heartbeat silence, then no stream), seen at this
  // anchor's next heartbeat.
  std::function<void(const RoomMember&)> onQuitRoomPK;
  std::function<void(const std::string& roomID, const RoomMember& from, const std::string& text)> onRecvRoomTextMsg;
  std::function<void(const std::string& roomID, const RoomMember& from, const std::string& cmd,
                     const std::string& message)>
      onRecvRoomCustomMsg;
  std::function<void(const std::string& roomID)> onRoomDestroy;  // the anchor closed the room
  // A room error (events.h ROOM_ERR_*, e.g. the anchor's push gave up) or warning (ROOM_WARNING_*).
  std::function<void(EventCode code, const std::string& message)> onError;
  std::function<void(EventCode code, const std::string& message)> onWarning;
};

class OPENLIVE_API LiveRoom final {
 public:
  using Completion = std::function<void(const Result&)>;

  explicit LiveRoom(LiveRoomConfig config = {});
  ~LiveRoom();  // exitRoom() + logout(), bounded; no callback runs after it returns
  LiveRoom(const LiveRoom&) = delete;
  LiveRoom& operator=(const LiveRoom&) = delete;

  // Set before login; replaces every callback.
  void setCallbacks(LiveRoomCallbacks callbacks);

  void login(RoomLoginParams params, Completion done);
  void logout(Completion done = nullptr);

  void getRoomList(int64_t index, int64_t count,
                   std::function<void(const Result&, const std::vector<RoomSummary>&)> done);
  void getAudienceList(std::function<void(const Result&, const std::vector<RoomMember>&)> done);

  // Anchor: push, then create the room (roomID "" = the service picks one) and join it.
  void createRoom(const std::string& roomID, const std::string& roomInfo,
                  std::function<void(const Result&, const std::string& roomID)> done);
  // Audience: play the room's mix into `view` (live mode, LiveRoomConfig::audiencePlay's cache) and register as
  // audience. The same view is used again when a co-anchor returns to the audience.
  void enterRoom(const std::string& roomID, RemoteView view, Completion done);
  // Leaves in any role: stops pushing and playing, leaves the service's lists (the anchor destroys the room),
  // completes pending requests as Canceled.
  void exitRoom(Completion done = nullptr);

  // Audience: ask the room's anchor to link; done(outcome, reason) once.
  void requestJoinAnchor(const std::string& reason, std::chrono::milliseconds timeout,
                         std::function<void(JoinAnchorOutcome, const std::string& reason)> done);
  // Anchor: answer onRequestJoinAnchor.
  void responseJoinAnchor(const std::string& userID, bool agree, const std::string& reason = {});
  // Audience whose request was accepted: publish, join the anchors, play them.
  void joinAnchor(Completion done);
  void quitJoinAnchor(Completion done = nullptr);
  // Anchor: end a co-anchor's link.
  void kickoutJoinAnchor(const std::string& userID);

  // Cross-room PK (rooms.md sections 4 and 6), between the anchors of two rooms: requestRoomPK asks the other
  // room's anchor `userID` (its onRequestRoomPK); done(outcome, reason, peer) once. Accepted, both anchors ask
  // their rooms for the PK mix (a 720x640 canvas: this room's anchor 360x640 on the left, the other on the
  // right) and may startRemoteView(peer.userID, ...) to play each other (RTC). quitRoomPK (either side, or
  // exitRoom) ends it on both: the other gets onQuitRoomPK and each room's mix goes back to its own layout. A
  // peer that vanishes without quitting ends it too (onQuitRoomPK, once its room no longer lists it).
  // One PK at a time; co-anchors are not shown while it lasts.
  void requestRoomPK(const std::string& userID, std::chrono::milliseconds timeout,
                     std::function<void(RoomPKOutcome, const std::string& reason, const RoomMember& peer)> done);
  void responseRoomPK(const std::string& userID, bool agree, const std::string& reason = {});
  void quitRoomPK(Completion done = nullptr);

  // Play (RTC mode) another anchor's accelerate URL (of this room, or the PK peer) into `view`; stopRemoteView
  // ends it.
  void startRemoteView(const std::string& userID, RemoteView view, Completion done = nullptr);
  void stopRemoteView(const std::string& userID);

  void muteLocalAudio(bool mute);
  void muteRemoteAudio(const std::string& userID, bool mute);
  void muteAllRemoteAudio(bool mute);

  void sendRoomTextMsg(const std::string& text, Completion done = nullptr);
  void sendRoomCustomMsg(const std::string& cmd, const std::string& message, Completion done = nullptr);
  // Room custom fields (likes, counters): operation "set", "inc" or "dec".
  void setCustomInfo(const std::string& field, const std::string& operation, const std::string& value,
                     Completion done = nullptr);
  void getCustomInfo(std::function<void(const Result&, const std::string& json)> done);

  // Snapshot of the room as this client knows it (any thread).
  std::string roomID() const;
  std::vector<RoomMember> anchors() const;  // other anchors, as last fetched
  bool isAnchor() const;                    // creator or linked co-anchor

  struct Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace openlive
