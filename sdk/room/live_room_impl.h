// LiveRoom's state and its work (include/openlive/live_room.h). Everything below the "worker only" line is touched
// on the room's SerialWorker thread only; the facade posts tasks. Completions and app callbacks go through
// `cb` (the room's CallbackDispatcher, "ol-room-cb"), never under a lock. Media (LivePusher / LivePlayer) events
// are re-posted to the worker, tagged with the generation they were started in, so an event of a stream that
// exitRoom() already ended is ignored.
//
// Files: live_room_impl.cpp (login, lists, create / enter / exit, heartbeat, membership diff),
// live_room_link.cpp (join-anchor requests and links, remote views, signalling messages), live_room.cpp (facade).
#pragma once

#include <openlive/live_room.h>

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/callback_dispatcher.h"
#include "room/room_service_client.h"
#include "room/serial_worker.h"
#include "room/signalling_client.h"

namespace openlive {

inline bool isErrorEvent(EventCode c) {
  const EventInfo* e = findEvent(c);
  return e && e->category == EventCategory::Error;
}

struct LiveRoom::Impl : std::enable_shared_from_this<Impl> {
  enum class Role { None, Anchor, Audience, CoAnchor };
  using Done = std::function<void(const Result&)>;

  // `type`: Live for LiveRoom; Double / Multi for RtcRoom (every member pushes and plays every other member).
  explicit Impl(LiveRoomConfig c, room::RoomType type = room::RoomType::Live);
  ~Impl();

  // ---- any thread ----
  // Runs `task` on the worker with this Impl alive; false (and `done` completes Busy) when the queue is full.
  bool post(std::function<void(Impl&)> task, const Done& doneOnRefusal = nullptr);
  void complete(const Done& done, Result r);  // on the callback thread, guaranteed
  void notify(std::function<void(const LiveRoomCallbacks&)> call);
  void shutdown();  // bounded teardown (destructor of the facade)

  const LiveRoomConfig config;
  const room::RoomType type;
  bool rtc() const { return type != room::RoomType::Live; }
  // RtcRoom: the view for each member that enters (its player starts at once); unset for LiveRoom.
  std::function<RemoteView(const RoomMember&)> autoView;
  detail::CallbackDispatcher cb{"ol-room-cb"};
  room::SerialWorker worker{"ol-room"};

  mutable std::mutex mu;               // guards the fields up to the worker-only line
  LiveRoomCallbacks callbacks;
  std::string snapRoomID;
  std::vector<RoomMember> snapAnchors;
  Role snapRole = Role::None;
  std::shared_ptr<room::RoomServiceClient> serviceForCancel;  // cancelAll() from the facade
  bool closing = false;

  // ---- worker only ----
  void doLogin(RoomLoginParams p, const Done& done);
  void doLogout(const Done& done);
  void doCreate(const std::string& roomID, const std::string& info,
                std::function<void(const Result&, const std::string&)> done);
  void doEnter(const std::string& roomID, RemoteView view, const Done& done);
  void doExit(const Done& done, bool quick);
  void onPushEvent(uint64_t gen, const Event& e);
  void finishCreate(bool ok, const std::string& why);
  void finishJoinAnchor(bool ok, const Result& why);
  void heartbeat(uint64_t gen);
  void scheduleHeartbeat(std::chrono::milliseconds delay);
  void refreshAnchors(std::optional<std::vector<room::PusherInfo>> fresh = std::nullopt);
  void publishSnapshot();
  Result serviceFailure(int code, const std::string& message, EventCode fallback) const;
  int64_t serverNowSeconds() const;
  bool canJoin(const Done& fail, EventCode event);
  std::optional<room::MembersInfo> roomToEnter(const std::string& roomID, const Done& done);
  bool startPush(const PushConfig& cfg);
  void stopMedia();
  bool startMixPlayer();  // mixedPlayURL into audienceView
  std::unique_ptr<LivePlayer> makePlayer(PlayConfig pc, const RemoteView& view, const std::string& who);
  bool loggedIn() const { return service != nullptr; }
  // Shared by the LiveRoom and RtcRoom facades (live_room.cpp).
  void doGetRoomList(int64_t index, int64_t count,
                     const std::function<void(const Result&, const std::vector<RoomSummary>&)>& done);
  void doMuteLocal(bool mute);
  void doMuteRemote(const std::string& userID, bool mute);
  void doMuteAllRemote(bool mute);
  void doSendText(const std::string& text, const Done& done);
  void doSendCustom(const std::string& cmd, const std::string& message, const Done& done);

  // live_room_link.cpp
  void doRequestJoin(const std::string& reason, std::chrono::milliseconds timeout,
                     std::function<void(JoinAnchorOutcome, const std::string&)> done);
  void finishRequestJoin(JoinAnchorOutcome o, const std::string& reason);
  void doResponseJoin(const std::string& userID, bool agree, const std::string& reason);
  void doJoinAnchor(const Done& done);
  void doEnterRtc(const std::string& roomID, const Done& done);  // RtcRoom::enterRoom
  void doQuitJoinAnchor(const Done& done, bool kicked);
  void doKickout(const std::string& userID);
  void doStartRemoteView(const std::string& userID, RemoteView view, const Done& done);
  void stopRemote(const std::string& userID);
  void updateLinkedQuality();  // the main anchor: link-mic main quality while co-anchors are linked
  // live_room_pk.cpp: cross-room PK between main anchors
  using PKDone = std::function<void(RoomPKOutcome, const std::string&, const RoomMember&)>;
  bool mainAnchor() const { return !rtc() && role == Role::Anchor && inService && roomCreator == login.userID; }
  void doRequestPK(const std::string& userID, std::chrono::milliseconds timeout, PKDone done);
  void finishRequestPK(RoomPKOutcome o, const std::string& reason, const RoomMember& peer);
  void doResponsePK(const std::string& userID, bool agree, const std::string& reason);
  void doQuitPK(const Done& done);
  void endPK(bool tellPeer);  // exitRoom: the PK and a pending request end
  // With each heartbeat while a PK lasts: the peer's room still has the peer (roomd's liveness removes an anchor
  // whose app died without quitting); if not, the PK ends here as if the peer had quit (onQuitRoomPK).
  void checkPKPeer();
  void onPK(const room::SignalMessage& m);
  nlohmann::json pkMessage(const char* type, nlohmann::json fields) const;
  // live_room_mix.cpp: the main anchor asks for the layout of the current anchors (when it changed) ...
  void requestMix();
  void sendMix(uint64_t mixGeneration, int attempt);  // ... and retries it
  void onSignal(const room::SignalMessage& m);
  void onSystemSignal(const room::SignalMessage& m);
  void onLinkMic(const room::SignalMessage& m);
  void sendRoomMsg(const nlohmann::json& msg, const Done& done);
  RoomMember memberFromLinkMic(const nlohmann::json& data, const std::string& from) const;

  RoomLoginParams login;
  std::shared_ptr<room::RoomServiceClient> service;
  std::unique_ptr<room::SignallingClient> signalling;
  int64_t clockOffsetMs = 0;  // server clock - local clock, from login

  Role role = Role::None;
  uint64_t gen = 0;  // bumped by every exit: media events and timers of an older generation are ignored
  std::string roomID, roomCreator, mixedPlayURL, pushURL;
  std::unique_ptr<LivePusher> pusher;
  std::unique_ptr<LivePlayer> mixPlayer;
  RemoteView audienceView;
  struct Remote {
    std::unique_ptr<LivePlayer> player;
  };
  std::map<std::string, Remote> remotes;  // userID -> player
  std::vector<room::PusherInfo> anchors;  // the room's anchors (ourselves included), as last fetched
  uint64_t roomStatusCode = 0;
  bool inService = false;  // add_anchor / add_audience done
  bool localMute = false, allRemoteMute = false;
  bool linkedQuality = false;  // the main anchor pushes config.linkedAnchorPush
  uint64_t heartbeatTimer = 0;
  nlohmann::json mixParams;  // the last layout asked for (null: none in this room)
  uint64_t mixGen = 0;       // bumped by each new layout: retries of an older one stop
  uint64_t mixTimer = 0;
  std::optional<RoomMember> pkPeer;          // the other room's anchor while a PK lasts (accelerateURL set)
  std::map<std::string, RoomMember> pkAsking;  // PK requests received and not answered yet, by userID
  std::string pkPendingTo;                   // our request's addressee while it waits
  std::map<std::string, std::string> pkRoomOf;  // the room of each anchor a PK message came from (bounded below)
  std::string pkPeerRoom;                    // pkPeer's room, for checkPKPeer
  PKDone pendingPK;
  uint64_t pkTimer = 0;

  std::function<void(const Result&, const std::string&)> pendingCreate;  // waiting for 1002
  std::string pendingCreateRoomID, pendingCreateInfo;
  Done pendingJoinAnchor;                                                // co-anchor waiting for 1002
  std::function<void(JoinAnchorOutcome, const std::string&)> pendingRequest;  // waiting for the anchor's reply
  uint64_t requestTimer = 0;
};

}  // namespace openlive
