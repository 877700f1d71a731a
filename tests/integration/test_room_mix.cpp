// A live room's audience stream composed by openlive-mixer under openlive-roomd (--mixer), end to end: LiveRoom
// anchors push flat pictures (Y4M from the ffmpeg CLI through FIFOs: the anchor light grey, the co-anchor dark
// grey), the main anchor asks for the layouts (rooms.md section 5: alone, then the PC layout with a co-anchor),
// roomd starts and updates the room's mixer, and an audience member's player of mixedPlayURL decodes the
// composed picture: the canvas size and each window's level, without reconnecting while co-anchors come and
// go. The room's end stops its mixer.
#include <signal.h>
#include <sys/stat.h>

#include <condition_variable>
#include <mutex>
#include <regex>
#include <vector>

#include "fixtures/media_probe.h"
#include "fixtures/process.h"
#include "fixtures/require.h"
#include "fixtures/room_stack.h"
#include "fixtures/temp_dir.h"
#include "fixtures/wait.h"
#include "live_room_probe.h"
#include "room_mix_probe.h"

namespace openlive::test {
namespace {

int count(const std::string& text, const std::string& what) {
  int n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// The room stack with roomd --mixer, and flat-picture live sources in a temp dir.
class RoomMix : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string mixer = samplePath("openlive-mixer");
    ASSERT_FALSE(mixer.empty()) << "openlive-mixer is not built";
    std::string why;
    OPENLIVE_NEED(haveFfmpegCli(&why), why);
    OPENLIVE_NEED(stack.start({"--mixer", mixer}), stack.why);
  }
  // A FIFO fed by the ffmpeg CLI with a flat `rgb` picture of `size` (kept running until the test ends).
  std::filesystem::path flatSource(const std::string& name, const std::string& rgb, const std::string& size) {
    auto fifo = makeFifo(dir, name);
    EXPECT_FALSE(fifo.empty()) << "mkfifo in " << dir.path();
    sources.push_back(flatY4m(fifo, rgb, size));
    return fifo;
  }
  RoomStack stack;
  TempDir dir{"room-mix"};
  std::vector<Process> sources;
};

TEST_F(RoomMix, AudienceSeesTheAnchorAloneThenThePcLayoutWithACoAnchorWithoutReconnecting) {
  const auto anchorFifo = flatSource("anchor.y4m", "0xC0C0C0", "320x240");
  const auto coFifo = flatSource("co.y4m", "0x303030", "240x320");

  LiveRoomConfig ac = testRoomConfig();
  ac.anchorPush.video = {VideoSourceType::Y4m, anchorFifo.string()};
  ac.linkedAnchorPush.reset();  // the anchor stays 320x240: the PC canvas is 320 x (240 + 106)
  RoomProbe anchor("anchor", ac);
  anchor.autoAnswer(+1);
  ASSERT_TRUE(anchor.login(stack.url()));
  auto [created, id] = anchor.create("");
  ASSERT_TRUE(created) << created.message << "\n" << stack.logs();

  PictureWatch audienceWatch;
  RoomProbe audience("viewer");
  ASSERT_TRUE(audience.login(stack.url()));
  ASSERT_TRUE(audience.enter(id, audienceWatch.view()));
  std::string last;
  const MixRegion anchorAlone{40, 40, 240, 160, kAnchorLuma};
  EXPECT_TRUE(audienceWatch.waitFor(320, 240, {anchorAlone}, std::chrono::seconds(30), &last))
      << "the anchor alone: " << last << "\n" << stack.logs();

  LiveRoomConfig cc = testRoomConfig();
  cc.coAnchorPush.video = {VideoSourceType::Y4m, coFifo.string()};
  RoomProbe co("co1", cc);
  ASSERT_TRUE(co.login(stack.url()));
  ASSERT_TRUE(co.enter(id));
  ASSERT_EQ(co.requestJoin().first, JoinAnchorOutcome::Accepted) << co.describe();
  ASSERT_TRUE(co.joinAnchor()) << co.describe();
  // PC layout: the anchor 320x240 on top, three 106x106 squares below: the co-anchor, then two pictures.
  const std::vector<MixRegion> pc{{40, 40, 240, 160, kAnchorLuma},
                               {10, 250, 86, 86, kCoAnchorLuma},
                               {116, 250, 86, 86, kPlaceholderLuma},
                               {222, 250, 86, 86, kPlaceholderLuma}};
  EXPECT_TRUE(audienceWatch.waitFor(320, 346, pc, std::chrono::seconds(30), &last))
      << "with a co-anchor: " << last << "\n" << anchor.describe() << "\n" << stack.logs();

  ASSERT_TRUE(co.quitJoinAnchor());
  EXPECT_TRUE(audienceWatch.waitFor(320, 240, {anchorAlone}, std::chrono::seconds(30), &last))
      << "after the co-anchor left: " << last << "\n" << stack.logs();
  // One connection throughout: the canvas changes came as new sequence headers (2009), not reconnects.
  EXPECT_EQ(audienceWatch.count(toInt(EventCode::PLAY_EVT_CONNECT_SUCC)), 1);
  EXPECT_GE(audienceWatch.count(toInt(EventCode::PLAY_EVT_CHANGE_RESOLUTION)), 2);

  // A mixer that dies is restarted by roomd with the room's layout; the audience's player reconnects to it.
  const std::regex started("mixer live_room/\\S+: started \\(pid ([0-9]+)");
  std::smatch m;
  const std::string logs = stack.logs();
  ASSERT_TRUE(std::regex_search(logs, m, started)) << logs;
  ASSERT_EQ(::kill(std::stoi(m[1]), SIGKILL), 0);
  EXPECT_TRUE(waitUntil([&] { return count(stack.logs(), "publishing the audience stream") >= 2; }, std::chrono::seconds(20)))
      << stack.logs();
  const int64_t before = audienceWatch.frames();
  EXPECT_TRUE(audienceWatch.waitFor(320, 240, {anchorAlone}, std::chrono::seconds(30), &last, before + 1))
      << "after the mixer restarted: " << last << "\n" << stack.logs();
  EXPECT_NE(stack.logs().find("exited on its own (signal"), std::string::npos);

  ASSERT_TRUE(anchor.exit());  // destroys the room: its mixer stops
  EXPECT_TRUE(waitUntil([&] { return stack.logs().find(": stopped (") != std::string::npos; }, std::chrono::seconds(10)))
      << stack.logs();
}

// Two rooms' anchors in a PK: each room's audience sees the PK layout (720x640, its own anchor on the left,
// the other room's on the right), the anchors play each other, and quitting returns each mix to its anchor alone.
TEST_F(RoomMix, APkShowsBothAnchorsSideBySideInEachRoomsMixUntilItEnds) {
  const auto fifoA = flatSource("a.y4m", "0xC0C0C0", "320x240");
  const auto fifoB = flatSource("b.y4m", "0x303030", "320x240");
  auto anchorIn = [&](const std::string& user, const std::filesystem::path& fifo) {
    LiveRoomConfig c = testRoomConfig();
    c.anchorPush.video = {VideoSourceType::Y4m, fifo.string()};
    c.linkedAnchorPush.reset();
    auto a = std::make_unique<RoomProbe>(user, c);
    EXPECT_TRUE(a->login(stack.url()));
    return a;
  };
  auto a = anchorIn("anchorA", fifoA), b = anchorIn("anchorB", fifoB);
  b->autoAnswerPK(+1);
  auto [createdA, roomA] = a->create("");
  ASSERT_TRUE(createdA) << createdA.message;
  auto [createdB, roomB] = b->create("");
  ASSERT_TRUE(createdB) << createdB.message;
  PictureWatch watchA, watchB;
  RoomProbe viewerA("viewerA"), viewerB("viewerB");
  ASSERT_TRUE(viewerA.login(stack.url()));
  ASSERT_TRUE(viewerB.login(stack.url()));
  ASSERT_TRUE(viewerA.enter(roomA, watchA.view()));
  ASSERT_TRUE(viewerB.enter(roomB, watchB.view()));
  std::string last;
  const MixRegion whole{40, 40, 240, 160, 0};
  auto alone = [&](int luma) { return std::vector<MixRegion>{{whole.x, whole.y, whole.w, whole.h, luma}}; };
  ASSERT_TRUE(watchA.waitFor(320, 240, alone(kAnchorLuma), std::chrono::seconds(30), &last)) << last << stack.logs();
  ASSERT_TRUE(watchB.waitFor(320, 240, alone(kCoAnchorLuma), std::chrono::seconds(30), &last)) << last << stack.logs();

  auto reply = a->requestPK("anchorB");
  ASSERT_EQ(reply.outcome, RoomPKOutcome::Accepted) << reply.reason << "\n" << a->describe() << "\n" << b->describe();
  EXPECT_EQ(reply.peer.userID, "anchorB");
  EXPECT_FALSE(reply.peer.accelerateURL.empty());
  EXPECT_EQ(b->count("requestPK anchorA"), 1);
  auto pk = [](int left, int right) {
    return std::vector<MixRegion>{{40, 40, 280, 560, left}, {400, 40, 280, 560, right}};
  };
  EXPECT_TRUE(watchA.waitFor(720, 640, pk(kAnchorLuma, kCoAnchorLuma), std::chrono::seconds(30), &last))
      << "room A in the PK: " << last << "\n" << stack.logs();
  EXPECT_TRUE(watchB.waitFor(720, 640, pk(kCoAnchorLuma, kAnchorLuma), std::chrono::seconds(30), &last))
      << "room B in the PK: " << last << "\n" << stack.logs();
  ASSERT_TRUE(a->view("anchorB"));  // the PK peer's low-latency stream
  EXPECT_TRUE(a->waitFrames("anchorB", 10));

  ASSERT_TRUE(a->quitPK());
  EXPECT_TRUE(b->waitLine("quitPK anchorA")) << b->describe();
  EXPECT_TRUE(watchA.waitFor(320, 240, alone(kAnchorLuma), std::chrono::seconds(30), &last)) << last << stack.logs();
  EXPECT_TRUE(watchB.waitFor(320, 240, alone(kCoAnchorLuma), std::chrono::seconds(30), &last)) << last << stack.logs();
  EXPECT_EQ(watchA.count(toInt(EventCode::PLAY_EVT_CONNECT_SUCC)), 1);
  EXPECT_EQ(watchB.count(toInt(EventCode::PLAY_EVT_CONNECT_SUCC)), 1);
}

}  // namespace
}  // namespace openlive::test
