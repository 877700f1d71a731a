// Shared by the room tier's unit tests: an in-process openlive-roomd (RoomdServer on an ephemeral loopback
// port, memory store), logged-in SDK clients, and a recorder for signalling messages.
#pragma once

#include <gtest/gtest.h>
#include <openlive/usersig.h>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "roomd/config.h"
#include "room/room_service_client.h"
#include "room/signalling_client.h"
#include "roomd/roomd_server.h"

namespace openlive::test {

using namespace std::chrono_literals;

inline constexpr uint64_t kRoomAppId = 1400000001;
inline constexpr const char* kRoomKey = "roomd-test-key-5f1c9a0e";
inline constexpr const char* kRoomRtmp = "rtmp://127.0.0.1:1935/live";

inline std::string testUserSig(const std::string& user, std::chrono::seconds expire = 3600s,
                               std::chrono::sys_seconds now = std::chrono::time_point_cast<std::chrono::seconds>(
                                   std::chrono::system_clock::now())) {
  UserSigRequest r;
  r.sdkAppId = kRoomAppId;
  r.identifier = user;
  r.expire = expire;
  r.now = now;
  return generateTestUserSig(r, kRoomKey).value;
}

inline roomd::RoomdConfig roomTestConfig() {
  roomd::RoomdConfig c;
  c.sdkAppId = kRoomAppId;
  c.key = kRoomKey;
  c.rtmpBase = kRoomRtmp;
  c.maxStreams = 16;
  return c;
}

// Polls `pred` every 10 ms until it holds or `timeout` passes (for state that has no event to wait on).
inline bool waitUntil(const std::function<bool()>& pred, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!pred()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(10ms);
  }
  return true;
}

class RoomdHarness {
 public:
  explicit RoomdHarness(roomd::RoomdConfig config = roomTestConfig()) : server_(std::move(config)) {
    std::string why;
    started_ = server_.start(&why);
    EXPECT_TRUE(started_) << why;
  }
  bool started() const { return started_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(server_.port()); }
  roomd::RoomdServer& server() { return server_; }

  std::unique_ptr<room::RoomServiceClient> client(const std::string& user, room::RoomType type = room::RoomType::Live) {
    auto c = std::make_unique<room::RoomServiceClient>(room::RoomServiceClient::Options{url(), type});
    auto r = c->login(kRoomAppId, user, testUserSig(user));
    EXPECT_TRUE(r.ok()) << user << ": " << r.code << " " << r.message;
    return c;
  }

 private:
  roomd::RoomdServer server_;
  bool started_ = false;
};

// Records what a SignallingClient delivers; waits on a condition variable.
class SignalRecorder {
 public:
  void onMessage(const room::SignalMessage& m) {
    std::lock_guard lk(mu_);
    messages_.push_back(m);
    cv_.notify_all();
  }
  void onEvent(room::ChannelEvent e, const std::string&) {
    std::lock_guard lk(mu_);
    events_.push_back(e);
    cv_.notify_all();
  }
  bool waitMessages(size_t n, std::chrono::milliseconds timeout = 5s) {
    std::unique_lock lk(mu_);
    return cv_.wait_for(lk, timeout, [&] { return messages_.size() >= n; });
  }
  bool waitEvent(room::ChannelEvent e, int count = 1, std::chrono::milliseconds timeout = 5s) {
    std::unique_lock lk(mu_);
    return cv_.wait_for(lk, timeout, [&] { return countLocked(e) >= count; });
  }
  // Waits for a message with this cmd; true once one is there.
  bool waitCmd(const std::string& cmd, std::chrono::milliseconds timeout = 5s) {
    std::unique_lock lk(mu_);
    return cv_.wait_for(lk, timeout, [&] {
      for (const auto& m : messages_)
        if (m.cmd == cmd) return true;
      return false;
    });
  }
  std::vector<room::SignalMessage> messages() {
    std::lock_guard lk(mu_);
    return messages_;
  }
  int events(room::ChannelEvent e) {
    std::lock_guard lk(mu_);
    return countLocked(e);
  }

  std::unique_ptr<room::SignallingClient> attach(const std::string& url, const room::RoomServiceClient& c,
                                                 uint64_t lastEventId = 0) {
    room::SignallingClient::Options o;
    o.serverUrl = url;
    o.userID = c.userID();
    o.token = c.token();
    o.lastEventId = lastEventId;
    o.reconnectMin = 50ms;
    o.reconnectMax = 200ms;
    auto s = std::make_unique<room::SignallingClient>(
        o, [this](const room::SignalMessage& m) { onMessage(m); },
        [this](room::ChannelEvent e, const std::string& d) { onEvent(e, d); });
    s->start();
    return s;
  }

 private:
  int countLocked(room::ChannelEvent e) {
    int n = 0;
    for (auto x : events_) n += x == e;
    return n;
  }
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<room::SignalMessage> messages_;
  std::vector<room::ChannelEvent> events_;
};

}  // namespace openlive::test
