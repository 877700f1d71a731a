// LivePusher::setVideoQuality while pushing (a LiveRoom anchor's switch to the link-mic main quality and back),
// checked from outside: ffmpeg records the stream from nginx-rtmp and ffprobe decodes every picture of it.
#include <openlive/live_pusher.h>

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "fixtures/require.h"
#include "fixtures/servers.h"
#include "fixtures/temp_dir.h"
#include "pusher_test_util.h"

using namespace openlive;
using namespace openlive::test;
using namespace std::chrono_literals;

namespace {

struct Picture {
  std::string size;  // "960x540"
  char type = '?';   // I / P / B
};

// Every decoded picture of the recording, in order, as ffprobe (not our code) sees it.
std::vector<Picture> decodedPictures(const std::string& path, std::string* error) {
  CommandResult r = runCommand({"ffprobe", "-v", "error", "-select_streams", "v", "-show_entries",
                                "frame=width,height,pict_type", "-of", "csv=p=0", path},
                               60s);
  if (r.exitCode != 0) *error = r.err;
  std::vector<Picture> out;
  std::istringstream is(r.out);
  for (std::string line; std::getline(is, line);) {
    std::istringstream ls(line);
    std::string w, h, t;
    if (!std::getline(ls, w, ',') || !std::getline(ls, h, ',') || !std::getline(ls, t, ',')) continue;
    out.push_back({w + "x" + h, t.empty() ? '?' : t[0]});
  }
  return out;
}

// The sizes in the order they appear, each run of pictures of one size counted once.
std::vector<std::string> sizeRuns(const std::vector<Picture>& pictures) {
  std::vector<std::string> runs;
  for (const auto& p : pictures)
    if (runs.empty() || runs.back() != p.size) runs.push_back(p.size);
  return runs;
}

std::string describe(const std::vector<Picture>& pictures) {
  std::string s;
  for (const auto& p : pictures) s += p.size + p.type + " ";
  return s;
}

}  // namespace

TEST(PusherQuality, SwitchToLinkMicMainAndBackIsSeenByFfprobe) {
  std::string why;
  auto server = startNginxRtmp(&why);
  OPENLIVE_NEED(server, why);
  OPENLIVE_NEED(haveFfmpegCli(&why), why);
  TempDir dir("ol-quality");
  PushRecorder rec(server->rtmpUrl("q"), dir.path(), "q");
  ASSERT_TRUE(rec.ready()) << rec.logTail();
  PushConfig c;
  c.mode = PushMode::SD;  // 640x360 with B-frames
  c.fps = 15;
  c.autoAdjust = AutoAdjust::None;
  c.netStatusInterval = 500ms;
  PushEventLog log;  // declared before the pusher: its callbacks use it until the pusher is destroyed
  LivePusher pusher(c);
  log.attach(pusher);
  ASSERT_TRUE(pusher.start(server->rtmpUrl("q")));
  ASSERT_TRUE(log.waitFor(EventCode::PUSH_EVT_PUSH_BEGIN, 15s)) << log.describe();
  ASSERT_TRUE(log.waitForStatus(4, 10s));  // ~2 s of SD

  ASSERT_TRUE(pusher.setVideoQuality(PushMode::LinkMicMain));
  ASSERT_TRUE(log.waitFor(EventCode::PUSH_EVT_CHANGE_RESOLUTION, 5s)) << log.describe();
  EXPECT_EQ(pusher.config().mode, PushMode::LinkMicMain);
  ASSERT_TRUE(log.waitForStatus(log.statuses().size() + 4, 10s));  // ~2 s linked
  ASSERT_TRUE(pusher.setVideoQuality(PushMode::SD));
  ASSERT_TRUE(log.waitFor(EventCode::PUSH_EVT_CHANGE_RESOLUTION, 5s, 2)) << log.describe();
  ASSERT_TRUE(log.waitForStatus(log.statuses().size() + 4, 10s));  // ~2 s of SD again
  EXPECT_TRUE(pusher.isPublished());
  EXPECT_EQ(log.count(EventCode::PUSH_WARNING_RECONNECT), 0) << log.describe();
  pusher.stop();
  rec.finish();

  std::vector<std::string> sizes;
  for (const auto& e : log.events())
    if (e.code == EventCode::PUSH_EVT_CHANGE_RESOLUTION) sizes.push_back(e.get(evt::kParam2));
  EXPECT_EQ(sizes, (std::vector<std::string>{"960x540", "640x360"}));

  std::string error;
  const auto pictures = decodedPictures(rec.path(), &error);
  ASSERT_TRUE(error.empty()) << error;
  std::printf("[ info ] %zu pictures: %s\n", pictures.size(), describe(pictures).substr(0, 600).c_str());
  EXPECT_EQ(sizeRuns(pictures), (std::vector<std::string>{"640x360", "960x540", "640x360"}))
      << describe(pictures);
  int sd = 0, main = 0, mainB = 0, sdB = 0;
  for (const auto& p : pictures) {
    const bool isMain = p.size == "960x540";
    (isMain ? main : sd) += 1;
    if (p.type == 'B') (isMain ? mainB : sdB) += 1;
  }
  EXPECT_GE(main, 20) << "less than ~1.5 s decoded at the link-mic main size";
  EXPECT_GE(sd, 40);
  EXPECT_GT(sdB, 0) << "SD is encoded with B-frames: the check below could not tell";
  EXPECT_EQ(mainB, 0) << "the link-mic main quality is low latency (no B-frames)";
}

TEST(PusherQuality, RefusedAndNotStartedCases) {
  PushConfig c;
  c.mode = PushMode::SD;
  LivePusher pusher(c);
  // Not started: only the configuration of the next start() changes.
  ASSERT_TRUE(pusher.setVideoQuality(PushMode::LinkMicSub));
  EXPECT_EQ(pusher.config().mode, PushMode::LinkMicSub);
  PushConfig odd;
  odd.mode = PushMode::RTC;
  odd.width = 333;
  odd.height = 240;
  Result r = pusher.setVideoQuality(odd);
  EXPECT_EQ(r.code, ResultCode::UnsupportedResolution) << r.message;
  EXPECT_EQ(pusher.config().mode, PushMode::LinkMicSub) << "a refused quality leaves the configuration alone";
  PushMode parsed;
  EXPECT_TRUE(parsePushMode("linkmicmain", &parsed));
  EXPECT_EQ(parsed, PushMode::LinkMicMain);
  EXPECT_EQ(toString(PushMode::LinkMicSub), "LinkMicSub");
}
