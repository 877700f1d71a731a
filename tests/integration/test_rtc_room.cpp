// RtcRoom (include/openlive/rtc_room.h) on nginx-rtmp + openlive-roomd: 1v1 (double_room: the two members decode
// each other; a third is refused with 5001) and 1v3 (multi_room: four members, each decodes the three others; a
// member that leaves is gone from everyone's list and its players stop; text messages reach every other member).
#include <openlive/rtc_room.h>

#include <future>
#include <map>

#include "fixtures/require.h"
#include "fixtures/room_stack.h"
#include "live_room_probe.h"

namespace openlive::test {
namespace {

class RtcProbe {
 public:
  RtcProbe(std::string user, RtcRoomSize size) : user_(std::move(user)) {
    RtcRoomConfig c;
    c.size = size;
    c.push = smallRtcPush(15, 300ms, 3);
    c.heartbeatInterval = 1000ms;
    c.viewFor = [this](const RoomMember& m) {
      RemoteView v;
      v.onVideoFrame = [this, id = m.userID](const VideoFrame&) {
        std::lock_guard lk(mu_);
        ++frames_[id];
        cv_.notify_all();
      };
      return v;
    };
    room_ = std::make_unique<RtcRoom>(std::move(c));
    RtcRoomCallbacks cb;
    cb.onMemberEnter = [this](const RoomMember& m) { record("enter " + m.userID); };
    cb.onMemberExit = [this](const RoomMember& m) { record("exit " + m.userID); };
    cb.onRecvRoomTextMsg = [this](const std::string&, const RoomMember& f, const std::string& t) {
      record("text " + f.userID + " " + t);
    };
    room_->setCallbacks(std::move(cb));
  }
  RtcRoom& room() { return *room_; }
  Result login(const std::string& url) {
    return wait([&](auto done) {
      room_->login({url, kRoomAppId, user_, testUserSig(user_), user_, "", 5000ms}, done);
    });
  }
  std::string create() {
    auto pr = std::make_shared<std::promise<std::pair<Result, std::string>>>();
    room_->createRoom("", "rtc", [pr](const Result& r, const std::string& id) { pr->set_value({r, id}); });
    auto [r, id] = pr->get_future().get();
    EXPECT_TRUE(r) << r.message;
    return id;
  }
  Result enter(const std::string& id) {
    return wait([&](auto done) { room_->enterRoom(id, done); });
  }
  Result exit() {
    return wait([&](auto done) { room_->exitRoom(done); });
  }
  bool waitFrames(const std::string& id, int n) {
    std::unique_lock lk(mu_);
    return cv_.wait_for(lk, 20s, [&] { return frames_[id] >= n; });
  }
  bool waitLine(const std::string& l) {
    std::unique_lock lk(mu_);
    return cv_.wait_for(lk, 15s, [&] { return std::find(lines_.begin(), lines_.end(), l) != lines_.end(); });
  }
  int count(const std::string& prefix) {
    std::lock_guard lk(mu_);
    return int(std::count_if(lines_.begin(), lines_.end(), [&](const std::string& l) { return l.rfind(prefix, 0) == 0; }));
  }
  const std::string& user() const { return user_; }

 private:
  template <class Call>
  Result wait(Call call) {
    auto pr = std::make_shared<std::promise<Result>>();
    call([pr](const Result& r) { pr->set_value(r); });
    auto f = pr->get_future();
    if (f.wait_for(30s) != std::future_status::ready) return Result::failure(ResultCode::TimedOut, "no completion");
    return f.get();
  }
  void record(std::string l) {
    std::lock_guard lk(mu_);
    lines_.push_back(std::move(l));
    cv_.notify_all();
  }
  std::string user_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::string> lines_;
  std::map<std::string, int> frames_;
  std::unique_ptr<RtcRoom> room_;  // last: destroyed first
};

class RtcRoomFlows : public ::testing::TestWithParam<bool> {  // param: two roomd + redis
 protected:
  void SetUp() override {
    OPENLIVE_NEED(s.start({}, GetParam()), s.why);
  }
  RoomStack s;
};

TEST_P(RtcRoomFlows, OneToOneMembersDecodeEachOtherAndAThirdIsRefused) {
  RtcProbe a("alice", RtcRoomSize::OneToOne), b("bob", RtcRoomSize::OneToOne), c("carol", RtcRoomSize::OneToOne);
  int i = 0;
  for (auto* p : {&a, &b, &c}) ASSERT_TRUE(p->login(s.url(i++))) << p->user();
  const std::string id = a.create();
  ASSERT_FALSE(id.empty());
  ASSERT_TRUE(b.enter(id));
  EXPECT_TRUE(a.waitLine("enter bob"));
  EXPECT_TRUE(b.waitLine("enter alice"));
  EXPECT_TRUE(a.waitFrames("bob", 10)) << "alice does not decode bob";
  EXPECT_TRUE(b.waitFrames("alice", 10)) << "bob does not decode alice";
  Result full = c.enter(id);
  EXPECT_EQ(full.event, EventCode::ROOM_ERR_ROOM_FULL) << full.message;
  EXPECT_TRUE(c.room().roomID().empty());
  ASSERT_TRUE(b.exit());
  EXPECT_TRUE(a.waitLine("exit bob"));
  EXPECT_TRUE(a.room().members().empty());
}

TEST_P(RtcRoomFlows, FourMembersEachDecodeTheThreeOthersAndALeaverIsGoneForAll) {
  std::vector<std::unique_ptr<RtcProbe>> m;
  for (const char* u : {"m1", "m2", "m3", "m4"}) {
    m.push_back(std::make_unique<RtcProbe>(u, RtcRoomSize::Multi));
    ASSERT_TRUE(m.back()->login(s.url(int(m.size()))));
  }
  const std::string id = m[0]->create();
  ASSERT_FALSE(id.empty());
  for (size_t i = 1; i < m.size(); ++i) ASSERT_TRUE(m[i]->enter(id)) << m[i]->user();
  for (auto& a : m)
    for (auto& b : m)
      if (a != b) {
        EXPECT_TRUE(a->waitFrames(b->user(), 10)) << a->user() << " does not decode " << b->user();
      }
  for (auto& a : m) EXPECT_EQ(a->room().members().size(), 3u) << a->user();
  ASSERT_TRUE(m[3]->exit());
  for (int i = 0; i < 3; ++i) {
    EXPECT_TRUE(m[i]->waitLine("exit m4")) << m[i]->user();
    EXPECT_EQ(m[i]->room().members().size(), 2u);
  }
  auto pr = std::make_shared<std::promise<Result>>();
  m[1]->room().sendRoomTextMsg("hi all", [pr](const Result& r) { pr->set_value(r); });
  ASSERT_TRUE(pr->get_future().get());
  EXPECT_TRUE(m[0]->waitLine("text m2 hi all"));
  EXPECT_TRUE(m[2]->waitLine("text m2 hi all"));
  EXPECT_EQ(m[3]->count("text "), 0);  // it left
}

INSTANTIATE_TEST_SUITE_P(Stores, RtcRoomFlows, ::testing::Values(false, true),
                         [](const auto& info) { return info.param ? "TwoRoomdWithRedis" : "OneRoomd"; });

}  // namespace
}  // namespace openlive::test
