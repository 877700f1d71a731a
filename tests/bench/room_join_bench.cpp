// openlive-bench-room-join (issue 14): how long after a co-anchor joins does its picture appear in the room's mix?
// A real stack (nginx-rtmp, openlive-roomd --mixer, openlive-mixer), LiveRoom members pushing flat pictures (the
// ffmpeg CLI writing Y4M into FIFOs), and two viewers of mixedPlayURL: an RTC-mode LivePlayer (what the mix
// itself adds) and an audience member (LiveRoom::enterRoom: live mode, the fixed 2 s audience cache). Each round
// a co-anchor asks, is accepted and joins; the clock starts when LiveRoom::joinAnchor() completes (its push's
// 1002 plus one add_anchor round trip on loopback) and stops at the first decoded picture whose co-anchor window
// shows the co-anchor's level; then it quits and both viewers see the anchor alone again. Prints a markdown
// table. Not a ctest test: run by tests/bench/room_join.sh (OPENLIVE_BENCH_JOINS rounds, default 5).
#include <gtest/gtest.h>
#include <openlive/live_player.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <future>

#include "fixtures/media_probe.h"
#include "fixtures/room_stack.h"
#include "live_room_probe.h"
#include "room_mix_probe.h"

namespace openlive::test {
namespace {

using Clock = std::chrono::steady_clock;

std::string mixedPlayUrl(LiveRoom& room, const std::string& roomID) {
  auto pr = std::make_shared<std::promise<std::string>>();
  auto f = pr->get_future();
  room.getRoomList(0, 100, [pr, roomID](const Result&, const std::vector<RoomSummary>& rooms) {
    std::string url;
    for (const auto& r : rooms)
      if (r.roomID == roomID) url = r.mixedPlayURL;
    pr->set_value(url);
  });
  return f.wait_for(std::chrono::seconds(10)) == std::future_status::ready ? f.get() : std::string();
}

std::string summary(std::vector<double> ms) {
  if (ms.empty()) return "| no rounds | |";
  std::sort(ms.begin(), ms.end());
  char buf[96];
  std::snprintf(buf, sizeof buf, "| %.0f | %.0f | %.0f |", ms[ms.size() / 2], ms.front(), ms.back());
  return buf;
}

TEST(RoomJoinBench, CoAnchorJoinToItsPictureInTheMix) {
  const int rounds = std::max(1, std::atoi(std::getenv("OPENLIVE_BENCH_JOINS") ? std::getenv("OPENLIVE_BENCH_JOINS") : "5"));
  const std::string mixer = samplePath("openlive-mixer");
  ASSERT_FALSE(mixer.empty());
  std::string why;
  ASSERT_TRUE(haveFfmpegCli(&why)) << why;
  RoomStack stack;
  ASSERT_TRUE(stack.start({"--mixer", mixer})) << stack.why;
  TempDir dir("room-join-bench");
  const auto anchorFifo = makeFifo(dir, "anchor.y4m"), coFifo = makeFifo(dir, "co.y4m");
  Process anchorSource = flatY4m(anchorFifo, "0xC0C0C0", "320x240");
  LiveRoomConfig ac = testRoomConfig();
  ac.anchorPush.video = {VideoSourceType::Y4m, anchorFifo.string()};
  ac.linkedAnchorPush.reset();
  RoomProbe anchor("anchor", ac);
  anchor.autoAnswer(+1);
  ASSERT_TRUE(anchor.login(stack.url()));
  auto [created, id] = anchor.create("");
  ASSERT_TRUE(created) << created.message;

  PictureWatch rtcWatch, audienceWatch;
  PlayConfig pc;
  pc.video.kind = VideoOutput::Kind::None;
  pc.audio.kind = AudioOutput::Kind::None;
  LivePlayer rtc(pc);
  const RemoteView rv = rtcWatch.view();
  rtc.setVideoFrameCallback(rv.onVideoFrame);
  const std::string url = mixedPlayUrl(anchor.room(), id);
  ASSERT_FALSE(url.empty());
  ASSERT_TRUE(rtc.start(url, PlayType::Rtc));
  RoomProbe audience("viewer");
  ASSERT_TRUE(audience.login(stack.url()));
  ASSERT_TRUE(audience.enter(id, audienceWatch.view()));
  std::string last;
  const std::vector<MixRegion> alone{{40, 40, 240, 160, kAnchorLuma}};
  const std::vector<MixRegion> linked{{40, 40, 240, 160, kAnchorLuma}, {10, 250, 86, 86, kCoAnchorLuma}};
  ASSERT_TRUE(audienceWatch.waitFor(320, 240, alone, std::chrono::seconds(30), &last)) << last;

  LiveRoomConfig cc = testRoomConfig();
  cc.coAnchorPush.video = {VideoSourceType::Y4m, coFifo.string()};
  RoomProbe co("co1", cc);
  ASSERT_TRUE(co.login(stack.url()));
  ASSERT_TRUE(co.enter(id));
  std::vector<double> toMix, toAudience;
  for (int i = 0; i < rounds; ++i) {
    Process coSource = flatY4m(coFifo, "0x303030", "240x320");  // the co-anchor's push ends its writer each round
    ASSERT_EQ(co.requestJoin().first, JoinAnchorOutcome::Accepted) << co.describe();
    ASSERT_TRUE(co.joinAnchor()) << co.describe();
    const auto joined = Clock::now();
    auto msSince = [&] { return std::chrono::duration<double, std::milli>(Clock::now() - joined).count(); };
    ASSERT_TRUE(rtcWatch.waitFor(320, 346, linked, std::chrono::seconds(30), &last)) << last;
    toMix.push_back(msSince());
    ASSERT_TRUE(audienceWatch.waitFor(320, 346, linked, std::chrono::seconds(30), &last)) << last;
    toAudience.push_back(msSince());
    ASSERT_TRUE(co.quitJoinAnchor());
    ASSERT_TRUE(rtcWatch.waitFor(320, 240, alone, std::chrono::seconds(30), &last)) << last;
    ASSERT_TRUE(audienceWatch.waitFor(320, 240, alone, std::chrono::seconds(30), &last)) << last;
  }
  std::printf("\nCo-anchor joins, %d rounds: from LiveRoom::joinAnchor() completing (1002 + add_anchor) to the first "
              "decoded picture of the mix showing the co-anchor's window (anchor 320x240 RTC, co-anchor 240x320 RTC, "
              "PC layout 320x346, mixer at 15 fps, nginx-rtmp on loopback)\n\n",
              rounds);
  std::printf("| Viewer of mixedPlayURL | p50 ms | min ms | max ms |\n|---|---|---|---|\n");
  std::printf("| LivePlayer, RTC mode (the mix itself) %s\n", summary(toMix).c_str());
  std::printf("| audience member (enterRoom: live mode, fixed 2 s cache) %s\n", summary(toAudience).c_str());
  rtc.stop();
}

}  // namespace
}  // namespace openlive::test
