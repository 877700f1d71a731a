// openlive-room: a live-room member on the command line (LiveRoom, include/openlive/live_room.h).
//
//   openlive-room anchor    --server http://127.0.0.1:8090 --sdkappid 1400000001 --key KEY --user alice [--room ID]
//   openlive-room audience  --server ... --user carol --room ID
//   openlive-room co-anchor --server ... --user bob --room ID      (asks to join; links when accepted)
//   openlive-room rtc --size 1v3 --server ... --user dan [--room ID [--create]]   (an equal member of an rtc room)
//
// Each room event is one line on stdout (--json: one JSON object per line); every --status-interval a status line
// gives the decoded pictures per second of each stream this member plays. Lines typed on stdin are sent as room
// text messages. Runs until --duration, SIGINT/SIGTERM, or a room error; exit 0, or 1 on a failure (printed).
// --key mints a test UserSig locally (a real app gets its UserSig from its own server; --usersig takes one).
#include <openlive/live_room.h>
#include <openlive/rtc_room.h>
#include <openlive/usersig.h>

#include <CLI/CLI.hpp>
#include <pthread.h>

#include <atomic>
#include <condition_variable>
#include <csignal>
#include <future>
#include <iostream>
#include <mutex>
#include <thread>

#include "openlive-room/room_output.h"

namespace {

using namespace std::chrono_literals;
using openlive::samples::RoomOutput;
using nlohmann::json;

struct Options {
  std::string role;
  std::string server, user, name, userSig, key, room, accept = "all", acceptPK = "all", video = "none";
  uint64_t appId = 0;
  double duration = 0, statusInterval = 2, requestTimeout = 10;
  bool json = false;
  std::string size = "1v1";
  bool create = false;
};

// Ends the run: a signal (sigwait thread), --duration, or a fatal room outcome.
struct Outcome {
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;
  int code = 0;
  void finish(int c) {
    std::lock_guard lk(mu);
    if (!done) done = true, code = c;
    cv.notify_all();
  }
};
Outcome gEnd;

template <class T>
T await(const std::function<void(std::function<void(T)>)>& call) {
  auto pr = std::make_shared<std::promise<T>>();
  call([pr](T v) { pr->set_value(std::move(v)); });
  return pr->get_future().get();
}

openlive::Result awaitResult(const std::function<void(openlive::LiveRoom::Completion)>& call) {
  return await<openlive::Result>([&](std::function<void(openlive::Result)> done) { call(done); });
}

openlive::RemoteView viewFor(const Options& o, RoomOutput& out, const std::string& stream) {
  openlive::RemoteView v;
  if (o.video == "window") v.video.kind = openlive::VideoOutput::Kind::Window;
  v.onVideoFrame = [&out, stream](const openlive::VideoFrame&) { out.frame(stream); };
  return v;
}

// The callbacks LiveRoom and RtcRoom share: messages, the room's end, errors and warnings.
template <class Callbacks>
void setCommonCallbacks(Callbacks& c, RoomOutput& out, Outcome& end) {
  c.onRecvRoomTextMsg = [&out](const std::string&, const openlive::RoomMember& from, const std::string& text) {
    out.event("text", {{"from", from.userID}, {"text", text}});
  };
  c.onRecvRoomCustomMsg = [&out](const std::string&, const openlive::RoomMember& from, const std::string& cmd,
                                 const std::string& msg) { out.event("custom", {{"from", from.userID}, {"cmd", cmd}, {"msg", msg}}); };
  c.onRoomDestroy = [&out, &end](const std::string& id) {
    out.event("roomDestroyed", {{"room", id}});
    end.finish(0);
  };
  c.onError = [&out, &end](openlive::EventCode code, const std::string& m) {
    out.event("error", {{"code", openlive::toInt(code)}, {"name", openlive::eventName(code)}, {"why", m}});
    end.finish(1);
  };
  c.onWarning = [&out](openlive::EventCode code, const std::string& m) {
    out.event("warning", {{"code", openlive::toInt(code)}, {"name", openlive::eventName(code)}, {"why", m}});
  };
}

// createRoom (--room, or "" = the service picks), printed; false on failure.
template <class Room>
bool createAndReport(const Options& o, Room& room, RoomOutput& out, const std::string& info, std::string* roomID) {
  auto [r, id] = await<std::pair<openlive::Result, std::string>>([&](auto done) {
    room.createRoom(o.room, info,
                    [done](const openlive::Result& r, const std::string& id) { done(std::make_pair(r, id)); });
  });
  if (!r) return out.event("createRoomFailed", {{"why", r.message}, {"event", openlive::toInt(r.event)}}), false;
  *roomID = id;
  return out.event("roomCreated", {{"room", id}}), true;
}

openlive::LiveRoomCallbacks callbacks(const Options& o, openlive::LiveRoom& room, RoomOutput& out, Outcome& end) {
  openlive::LiveRoomCallbacks c;
  c.onAnchorEnter = [&o, &room, &out](const openlive::RoomMember& m) {
    out.event("anchorEnter", {{"user", m.userID}, {"name", m.userName}});
    room.startRemoteView(m.userID, viewFor(o, out, m.userID), [&out, m](const openlive::Result& r) {
      if (!r) out.event("remoteViewFailed", {{"user", m.userID}, {"why", r.message}});
    });
  };
  c.onAnchorExit = [&out](const openlive::RoomMember& m) { out.event("anchorExit", {{"user", m.userID}}); };
  c.onAudienceEnter = [&out](const openlive::RoomMember& m) { out.event("audienceEnter", {{"user", m.userID}}); };
  c.onAudienceExit = [&out](const openlive::RoomMember& m) { out.event("audienceExit", {{"user", m.userID}}); };
  c.onRequestJoinAnchor = [&o, &room, &out](const openlive::RoomMember& m, const std::string& reason) {
    out.event("requestJoinAnchor", {{"user", m.userID}, {"reason", reason}, {"answer", o.accept}});
    if (o.accept != "none") room.responseJoinAnchor(m.userID, o.accept == "all", o.accept == "all" ? "" : "not now");
  };
  c.onKickoutJoinAnchor = [&out] { out.event("kickoutJoinAnchor"); };
  c.onRequestRoomPK = [&o, &room, &out](const openlive::RoomMember& m) {
    out.event("requestRoomPK", {{"user", m.userID}, {"answer", o.acceptPK}});
    if (o.acceptPK != "none") room.responseRoomPK(m.userID, o.acceptPK == "all", o.acceptPK == "all" ? "" : "not now");
  };
  c.onQuitRoomPK = [&out](const openlive::RoomMember& m) { out.event("quitRoomPK", {{"user", m.userID}}); };
  setCommonCallbacks(c, out, end);
  return c;
}

// Joins the room in the subcommand's role; false (printed) on failure.
bool joinAs(const Options& o, openlive::LiveRoom& room, RoomOutput& out, std::string* roomID) {
  if (o.role == "anchor") return createAndReport(o, room, out, "room of " + o.user, roomID);
  *roomID = o.room;
  openlive::Result r = awaitResult([&](auto done) { room.enterRoom(o.room, viewFor(o, out, "room"), done); });
  if (!r) return out.event("enterRoomFailed", {{"why", r.message}, {"event", openlive::toInt(r.event)}}), false;
  out.event("enteredRoom", {{"room", o.room}});
  if (o.role != "co-anchor") return true;
  const auto timeout = std::chrono::milliseconds(int64_t(o.requestTimeout * 1000));
  auto [outcome, why] = await<std::pair<openlive::JoinAnchorOutcome, std::string>>([&](auto done) {
    room.requestJoinAnchor("openlive-room", timeout,
                           [done](openlive::JoinAnchorOutcome oc, const std::string& w) { done(std::make_pair(oc, w)); });
  });
  out.event("joinAnchorAnswer", {{"outcome", openlive::toString(outcome)}, {"reason", why}});
  if (outcome != openlive::JoinAnchorOutcome::Accepted) return false;
  r = awaitResult([&](auto done) { room.joinAnchor(done); });
  if (!r) return out.event("joinAnchorFailed", {{"why", r.message}, {"event", openlive::toInt(r.event)}}), false;
  return out.event("linked", {{"room", o.room}}), true;
}

// Sends each stdin line as a room text message until EOF; `closed` (under `mu`) once the room is gone.
struct StdinText {
  std::mutex mu;
  bool closed = false;
  template <class Room>
  void start(Room& room) {
    std::thread([self = this, &room] {
      std::string line;
      while (std::getline(std::cin, line)) {
        std::lock_guard lk(self->mu);
        if (self->closed) return;
        if (!line.empty()) room.sendRoomTextMsg(line);
      }
    }).detach();  // a blocked getline cannot be cancelled; it only touches the room under `mu`
  }
  void close() {
    std::lock_guard lk(mu);
    closed = true;
  }
};

std::string userSigFor(const Options& o) {
  if (!o.userSig.empty()) return o.userSig;
  openlive::UserSigRequest req;
  req.sdkAppId = o.appId;
  req.identifier = o.user;
  req.now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  auto made = openlive::generateTestUserSig(req, o.key);
  if (!made.ok()) std::cerr << "openlive-room: cannot make a UserSig: " << openlive::toString(made.error) << "\n";
  return made.ok() ? made.value : std::string();
}

// rtc: an equal member of a 1v1 / 1v3 room; creates it when --room is empty or --create is given.
openlive::RtcRoomCallbacks rtcCallbacks(RoomOutput& out, Outcome& end) {
  openlive::RtcRoomCallbacks c;
  c.onMemberEnter = [&out](const openlive::RoomMember& m) { out.event("memberEnter", {{"user", m.userID}}); };
  c.onMemberExit = [&out](const openlive::RoomMember& m) { out.event("memberExit", {{"user", m.userID}}); };
  setCommonCallbacks(c, out, end);
  return c;
}

bool joinRtc(const Options& o, openlive::RtcRoom& room, RoomOutput& out, std::string* roomID) {
  if (o.room.empty() || o.create) return createAndReport(o, room, out, "rtc room of " + o.user, roomID);
  *roomID = o.room;
  openlive::Result r = awaitResult([&](auto done) { room.enterRoom(o.room, done); });
  if (!r) return out.event("enterRoomFailed", {{"why", r.message}, {"event", openlive::toInt(r.event)}}), false;
  return out.event("enteredRoom", {{"room", o.room}}), true;
}

// Logs in, joins, reports until the end (signal, --duration, a fatal room event), leaves. The exit code.
template <class Room, class Join>
int runRoom(const Options& o, Room& room, RoomOutput& out, Join join) {
  Outcome& end = gEnd;
  const std::string sig = userSigFor(o);
  if (sig.empty()) return 1;
  openlive::Result r = awaitResult([&](auto done) {
    room.login({o.server, o.appId, o.user, sig, o.name.empty() ? o.user : o.name, "", 5000ms}, done);
  });
  if (!r) return out.event("loginFailed", {{"why", r.message}, {"event", openlive::toInt(r.event)}}), 1;
  std::string roomID;
  if (!join(&roomID)) return 1;
  auto stdinText = std::make_shared<StdinText>();
  stdinText->start(room);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(o.duration > 0 ? o.duration : 1e9);
  const auto interval = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::duration<double>(o.statusInterval));
  std::unique_lock lk(end.mu);
  while (!end.done && std::chrono::steady_clock::now() < deadline) {
    if (!end.cv.wait_for(lk, interval, [&] { return end.done; })) {
      lk.unlock();
      out.status(o.role, roomID);
      lk.lock();
    }
  }
  const int code = end.code;
  lk.unlock();
  stdinText->close();
  (void)awaitResult([&](auto done) { room.exitRoom(done); });
  out.event("exitedRoom", {{"room", roomID}});
  return code;
}

int run(const Options& o) {
  RoomOutput out(o.json);
  if (o.role == "rtc") {
    openlive::RtcRoomConfig cfg;
    cfg.size = o.size == "1v3" ? openlive::RtcRoomSize::Multi : openlive::RtcRoomSize::OneToOne;
    cfg.viewFor = [&o, &out](const openlive::RoomMember& m) { return viewFor(o, out, m.userID); };
    openlive::RtcRoom room(cfg);
    room.setCallbacks(rtcCallbacks(out, gEnd));
    return runRoom(o, room, out, [&](std::string* id) { return joinRtc(o, room, out, id); });
  }
  openlive::LiveRoom room;
  room.setCallbacks(callbacks(o, room, out, gEnd));
  return runRoom(o, room, out, [&](std::string* id) { return joinAs(o, room, out, id); });
}

}  // namespace

int main(int argc, char** argv) {
  // Signals go to one thread (sigwait), blocked everywhere else: set before any SDK thread exists.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);

  CLI::App app{"openlive-room: a live-room member (anchor, audience, co-anchor) or an rtc-room member on openlive-roomd"};
  app.require_subcommand(1);
  Options o;
  for (const char* role : {"anchor", "audience", "co-anchor", "rtc"}) {
    auto* sub = app.add_subcommand(role, std::string("join as ") + role);
    sub->add_option("--server", o.server, "RoomService URL, http://HOST:PORT")->required();
    sub->add_option("--sdkappid", o.appId, "SDKAppID")->required();
    sub->add_option("--user", o.user, "user ID")->required();
    sub->add_option("--name", o.name, "display name (default: the user ID)");
    auto* key = sub->add_option("--key", o.key, "app secret: mint a test UserSig locally");
    sub->add_option("--usersig", o.userSig, "a UserSig from your server")->excludes(key);
    auto* room = sub->add_option("--room", o.room, "room ID (anchor: empty = the service picks one)");
    if (std::string(role) == "audience" || std::string(role) == "co-anchor") room->required();
    if (std::string(role) == "rtc") {
      sub->add_option("--size", o.size, "rtc: 1v1 (double_room) or 1v3 (multi_room)")->check(CLI::IsMember({"1v1", "1v3"}));
      sub->add_flag("--create", o.create, "rtc: create the room --room names (default: create only without --room)");
    }
    sub->add_option("--duration", o.duration, "seconds to stay (0 = until SIGINT/SIGTERM)");
    sub->add_option("--status-interval", o.statusInterval, "seconds between status lines")->check(CLI::PositiveNumber);
    sub->add_option("--accept", o.accept, "anchor: answer join requests")->check(CLI::IsMember({"all", "reject", "none"}));
    sub->add_option("--accept-pk", o.acceptPK, "anchor: answer PK requests from other rooms' anchors")
        ->check(CLI::IsMember({"all", "reject", "none"}));
    sub->add_option("--request-timeout", o.requestTimeout, "co-anchor: seconds to wait for the anchor's answer");
    sub->add_option("--video", o.video, "remote pictures: none (headless, counted) or window")
        ->check(CLI::IsMember({"none", "window"}));
    sub->add_flag("--json", o.json, "one JSON object per line");
    sub->callback([&o, role] { o.role = role; });
  }
  CLI11_PARSE(app, argc, argv);
  if (o.userSig.empty() && o.key.empty()) return std::cerr << "openlive-room: --key or --usersig is required\n", 2;

  std::thread([set] {
    for (;;) {
      int sig = 0;
      if (sigwait(&set, &sig) == 0) gEnd.finish(0);  // a clean exit: leave the room, then return
    }
  }).detach();
  return run(o);
}
