// A LiveRoom under test: every callback recorded as a line ("anchorEnter bob", "text alice hi", ...), waitable;
// the asynchronous calls wrapped into synchronous ones that wait for their completion.
#pragma once

#include <openlive/live_room.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "fixtures/room_clients.h"
#include "pusher_test_util.h"

namespace openlive::test {

using namespace std::chrono_literals;

// Small, cheap streams for rooms with several pushers in one test process.
inline LiveRoomConfig testRoomConfig() {
  LiveRoomConfig c;
  c.anchorPush = smallRtcPush(15, 300ms, 3);
  c.coAnchorPush = smallRtcPush(15, 300ms, 3);
  c.coAnchorPush.width = 240;
  c.coAnchorPush.height = 320;
  c.coAnchorPush.landscape = false;
  c.linkedAnchorPush->width = 480;  // LinkMicMain's tuning and range at a test-sized picture
  c.linkedAnchorPush->height = 272;
  c.audiencePlay.video.kind = VideoOutput::Kind::None;
  c.audiencePlay.audio.kind = AudioOutput::Kind::None;
  c.heartbeatInterval = 1000ms;
  return c;
}

class RoomProbe {
 public:
  explicit RoomProbe(std::string user, LiveRoomConfig config = testRoomConfig())
      : user_(std::move(user)), room_(std::make_unique<LiveRoom>(std::move(config))) {
    LiveRoomCallbacks c;
    c.onAnchorEnter = [this](const RoomMember& m) {
      record("anchorEnter " + m.userID);
      if (autoView_) room_->startRemoteView(m.userID, countingView(m.userID));
    };
    c.onAnchorExit = [this](const RoomMember& m) { record("anchorExit " + m.userID); };
    c.onAudienceEnter = [this](const RoomMember& m) { record("audienceEnter " + m.userID + " " + m.userName); };
    c.onAudienceExit = [this](const RoomMember& m) { record("audienceExit " + m.userID); };
    c.onRequestJoinAnchor = [this](const RoomMember& m, const std::string& reason) {
      record("request " + m.userID + " " + reason);
      if (autoAnswer_ != 0) room_->responseJoinAnchor(m.userID, autoAnswer_ > 0, autoAnswer_ > 0 ? "" : "busy");
    };
    c.onKickoutJoinAnchor = [this] { record("kickout"); };
    c.onRequestRoomPK = [this](const RoomMember& m) {
      record("requestPK " + m.userID);
      if (autoAnswerPK_ != 0) room_->responseRoomPK(m.userID, autoAnswerPK_ > 0, autoAnswerPK_ > 0 ? "" : "busy");
    };
    c.onQuitRoomPK = [this](const RoomMember& m) { record("quitPK " + m.userID); };
    c.onRecvRoomTextMsg = [this](const std::string&, const RoomMember& from, const std::string& text) {
      record("text " + from.userID + " " + text);
    };
    c.onRecvRoomCustomMsg = [this](const std::string&, const RoomMember& from, const std::string& cmd,
                                   const std::string& msg) { record("custom " + from.userID + " " + cmd + " " + msg); };
    c.onRoomDestroy = [this](const std::string& id) { record("destroyed " + id); };
    c.onError = [this](EventCode code, const std::string& m) { record("error " + std::to_string(toInt(code)) + " " + m); };
    c.onWarning = [this](EventCode code, const std::string&) { record("warning " + std::to_string(toInt(code))); };
    room_->setCallbacks(std::move(c));
  }

  LiveRoom& room() { return *room_; }
  const std::string& user() const { return user_; }
  // +1: accept every join request, -1: reject, 0: leave them unanswered.
  void autoAnswer(int how) { autoAnswer_ = how; }
  void autoAnswerPK(int how) { autoAnswerPK_ = how; }

  Result login(const std::string& url) {
    RoomLoginParams p;
    p.serverUrl = url;
    p.sdkAppId = kRoomAppId;
    p.userID = user_;
    p.userSig = testUserSig(user_);
    p.userName = "name-" + user_;
    return wait([&](auto done) { room_->login(p, done); });
  }
  std::pair<Result, std::string> create(const std::string& roomID, const std::string& info = "test room") {
    auto pr = std::make_shared<std::promise<std::pair<Result, std::string>>>();
    auto f = pr->get_future();
    room_->createRoom(roomID, info, [pr](const Result& r, const std::string& id) { pr->set_value({r, id}); });
    if (f.wait_for(30s) != std::future_status::ready) return {Result::failure(ResultCode::TimedOut, "no completion"), ""};
    return f.get();
  }
  Result enter(const std::string& roomID, RemoteView view = {}) {
    return wait([&](auto done) { room_->enterRoom(roomID, view, done); });
  }
  Result exit() {
    return wait([&](auto done) { room_->exitRoom(done); });
  }
  std::pair<JoinAnchorOutcome, std::string> requestJoin(std::chrono::milliseconds timeout = 10s) {
    auto pr = std::make_shared<std::promise<std::pair<JoinAnchorOutcome, std::string>>>();
    auto f = pr->get_future();
    room_->requestJoinAnchor("let me in", timeout,
                             [pr](JoinAnchorOutcome o, const std::string& why) { pr->set_value({o, why}); });
    if (f.wait_for(timeout + 20s) != std::future_status::ready) return {JoinAnchorOutcome::Failed, "no completion"};
    return f.get();
  }
  struct PKReply {
    RoomPKOutcome outcome = RoomPKOutcome::Failed;
    std::string reason;
    RoomMember peer;
  };
  PKReply requestPK(const std::string& userID, std::chrono::milliseconds timeout = 10s) {
    auto pr = std::make_shared<std::promise<PKReply>>();
    auto f = pr->get_future();
    room_->requestRoomPK(userID, timeout, [pr](RoomPKOutcome o, const std::string& why, const RoomMember& peer) {
      pr->set_value({o, why, peer});
    });
    if (f.wait_for(timeout + 20s) != std::future_status::ready) return {RoomPKOutcome::Failed, "no completion", {}};
    return f.get();
  }
  Result quitPK() {
    return wait([&](auto done) { room_->quitRoomPK(done); });
  }
  Result joinAnchor() {
    return wait([&](auto done) { room_->joinAnchor(done); });
  }
  Result quitJoinAnchor() {
    return wait([&](auto done) { room_->quitJoinAnchor(done); });
  }
  Result sendText(const std::string& text) {
    return wait([&](auto done) { room_->sendRoomTextMsg(text, done); });
  }
  Result sendCustom(const std::string& cmd, const std::string& msg) {
    return wait([&](auto done) { room_->sendRoomCustomMsg(cmd, msg, done); });
  }
  // Plays `userID`'s accelerate URL headless, counting decoded pictures.
  Result view(const std::string& userID) {
    return wait([&](auto done) { room_->startRemoteView(userID, countingView(userID), done); });
  }
  // Every anchor that enters is viewed (as apps do in onAnchorEnter).
  void autoView(bool on) { autoView_ = on; }
  // When `userID`'s first picture (since resetFrames) was decoded.
  std::optional<std::chrono::steady_clock::time_point> firstFrame(const std::string& userID) {
    std::lock_guard lk(mu_);
    auto it = firstFrame_.find(userID);
    return it == firstFrame_.end() ? std::nullopt : std::optional(it->second);
  }
  void resetFrames(const std::string& userID) {
    std::lock_guard lk(mu_);
    frames_.erase(userID);
    firstFrame_.erase(userID);
  }
  bool waitFrames(const std::string& userID, int n, std::chrono::milliseconds timeout = 20s) {
    std::unique_lock lk(mu_);
    return cv_.wait_for(lk, timeout, [&] { return frames_[userID] >= n; });
  }
  void destroy() { room_.reset(); }

  bool waitLine(const std::string& line, std::chrono::milliseconds timeout = 15s, int count = 1) {
    std::unique_lock lk(mu_);
    return cv_.wait_for(lk, timeout, [&] { return countLocked(line) >= count; });
  }
  int count(const std::string& line) {
    std::lock_guard lk(mu_);
    return countLocked(line);
  }
  // Lines starting with `prefix`, in arrival order.
  std::vector<std::string> lines(const std::string& prefix = {}) {
    std::lock_guard lk(mu_);
    std::vector<std::string> out;
    for (const auto& l : lines_)
      if (l.rfind(prefix, 0) == 0) out.push_back(l);
    return out;
  }
  std::string describe() {
    std::lock_guard lk(mu_);
    std::string s = user_ + ":";
    for (const auto& l : lines_) s += " [" + l + "]";
    return s;
  }

 private:
  template <class Call>
  Result wait(Call call) {
    auto pr = std::make_shared<std::promise<Result>>();
    auto f = pr->get_future();
    call([pr](const Result& r) { pr->set_value(r); });
    if (f.wait_for(30s) != std::future_status::ready) return Result::failure(ResultCode::TimedOut, "no completion");
    return f.get();
  }
  RemoteView countingView(const std::string& userID) {
    RemoteView v;
    v.onVideoFrame = [this, userID](const VideoFrame&) {
      std::lock_guard lk(mu_);
      if (frames_[userID]++ == 0) firstFrame_[userID] = std::chrono::steady_clock::now();
      cv_.notify_all();
    };
    return v;
  }
  void record(std::string line) {
    std::lock_guard lk(mu_);
    lines_.push_back(std::move(line));
    cv_.notify_all();
  }
  int countLocked(const std::string& line) const {
    int n = 0;
    for (const auto& l : lines_) n += l == line;
    return n;
  }

  std::string user_;
  std::atomic<int> autoAnswer_{0};
  std::atomic<int> autoAnswerPK_{0};
  std::atomic<bool> autoView_{false};
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::string> lines_;
  std::map<std::string, int> frames_;
  std::map<std::string, std::chrono::steady_clock::time_point> firstFrame_;
  std::unique_ptr<LiveRoom> room_;  // last: destroyed first, while the recorder is alive
};

}  // namespace openlive::test
