// OpenLive SDK - RtcRoom: a room of equal members (1v1 "double_room", up to four "multi_room") on the
// RoomService (openlive-roomd, docs/ROOMS.md): every member publishes, and plays every other member in RTC mode;
// members joining and leaving start and stop those players. Built on the same room core as LiveRoom, with the
// same threading contract (see live_room.h): methods return at once, completions and callbacks come on the
// room's callback thread, one at a time, never under an SDK lock; exitRoom() and the destructor are bounded.
//
//   RtcRoomConfig cfg;
//   cfg.size = RtcRoomSize::Multi;
//   cfg.viewFor = [](const RoomMember& m) { RemoteView v; v.video.kind = VideoOutput::Kind::Window; return v; };
//   RtcRoom room(cfg);
//   room.login({...}, done);
//   room.createRoom("", "standup", [](const Result& r, const std::string& roomID) { ... });  // the first member
//   room.enterRoom(roomID, [](const Result& r) { ... });                                     // the others
#pragma once

#include <openlive/live_room.h>

namespace openlive {

enum class RtcRoomSize {
  OneToOne,  // double_room: 2 members
  Multi,     // multi_room: up to 4 members
};

struct RtcRoomConfig {
  RtcRoomSize size = RtcRoomSize::OneToOne;
  PushConfig push;  // this member's stream; default RTC mode 640x360
  // Where each other member's media goes (default: headless, no sound device).
  std::function<RemoteView(const RoomMember&)> viewFor;
  std::chrono::milliseconds heartbeatInterval{7000};
};

struct RtcRoomCallbacks {
  std::function<void(const RoomMember&)> onMemberEnter;  // its player is starting
  std::function<void(const RoomMember&)> onMemberExit;   // its player stopped
  std::function<void(const std::string& roomID, const RoomMember& from, const std::string& text)> onRecvRoomTextMsg;
  std::function<void(const std::string& roomID, const RoomMember& from, const std::string& cmd,
                     const std::string& message)>
      onRecvRoomCustomMsg;
  std::function<void(const std::string& roomID)> onRoomDestroy;
  std::function<void(EventCode code, const std::string& message)> onError;    // ROOM_ERR_*
  std::function<void(EventCode code, const std::string& message)> onWarning;  // ROOM_WARNING_*
};

class OPENLIVE_API RtcRoom final {
 public:
  using Completion = std::function<void(const Result&)>;

  explicit RtcRoom(RtcRoomConfig config = {});
  ~RtcRoom();  // exitRoom() + logout(), bounded; no callback runs after it returns
  RtcRoom(const RtcRoom&) = delete;
  RtcRoom& operator=(const RtcRoom&) = delete;

  void setCallbacks(RtcRoomCallbacks callbacks);  // before login
  void login(RoomLoginParams params, Completion done);
  void logout(Completion done = nullptr);
  void getRoomList(int64_t index, int64_t count,
                   std::function<void(const Result&, const std::vector<RoomSummary>&)> done);

  // The first member: push, then create the room (roomID "" = the service picks one) and join it.
  void createRoom(const std::string& roomID, const std::string& roomInfo,
                  std::function<void(const Result&, const std::string& roomID)> done);
  // Another member: push, then join (a full room: Refused, ROOM_ERR_ROOM_FULL, and the push stops).
  void enterRoom(const std::string& roomID, Completion done);
  // Stops pushing and playing and leaves the room (the last member out deletes it).
  void exitRoom(Completion done = nullptr);

  void muteLocalAudio(bool mute);
  void muteRemoteAudio(const std::string& userID, bool mute);
  void muteAllRemoteAudio(bool mute);
  void sendRoomTextMsg(const std::string& text, Completion done = nullptr);
  void sendRoomCustomMsg(const std::string& cmd, const std::string& message, Completion done = nullptr);

  std::string roomID() const;
  std::vector<RoomMember> members() const;  // the other members, as last fetched

 private:
  std::shared_ptr<LiveRoom::Impl> impl_;
};

}  // namespace openlive
