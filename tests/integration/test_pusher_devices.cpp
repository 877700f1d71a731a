// Device sources and live controls: X11 screen capture under Xvfb (1004), a microphone that cannot open
// (-1302), pause (waiting image at 5 fps, connection kept) and resume.
#include <unistd.h>

#include <filesystem>

#include "fixtures/require.h"
#include "fixtures/wait.h"
#include "pusher_test_util.h"

namespace openlive::test {
namespace {

TEST(PusherDevicesXvfb, ScreenCapture) {
  OPENLIVE_NEED(!findTool("Xvfb").empty(), "Xvfb not installed");
  std::string skip;
  auto server = startServerOrSkip(false, &skip);
  OPENLIVE_NEED(server, skip);
  int display = 90 + getpid() % 100;
  while (std::filesystem::exists("/tmp/.X11-unix/X" + std::to_string(display))) ++display;
  ProcessOptions po;
  po.out = Redirect::null();
  po.err = Redirect::null();
  Process xvfb({"Xvfb", ":" + std::to_string(display), "-screen", "0", "1280x720x24", "-nolisten", "tcp"}, po);
  OPENLIVE_NEED(waitUntil([&] { return std::filesystem::exists("/tmp/.X11-unix/X" + std::to_string(display)); }, 10s),
                "Xvfb did not start on :" + std::to_string(display));
  PushConfig cfg;
  cfg.video.type = VideoSourceType::Screen;
  cfg.video.path = ":" + std::to_string(display);
  cfg.video.regionX = 100;
  cfg.video.regionY = 50;
  cfg.width = 640;
  cfg.height = 360;
  PushEventLog log;
  LivePusher pusher(cfg);
  log.attach(pusher);
  ASSERT_TRUE(pusher.start(server->rtmpUrl("screen")));
  ASSERT_TRUE(log.waitFor(EventCode::PUSH_EVT_PUSH_BEGIN, 10s)) << log.describe();
  EXPECT_GE(log.indexOf(EventCode::PUSH_EVT_SCREEN_CAPTURE_SUCC), 0) << log.describe();
  ASSERT_TRUE(log.waitForStatus(3, 5s));
  EXPECT_GE(log.statuses().back().number(net::kVideoFps).value_or(0), 10);
  pusher.stop();
}

TEST(PusherDevices, MicrophoneThatCannotOpenGives1302) {
  std::string skip;
  auto server = startServerOrSkip(false, &skip);
  OPENLIVE_NEED(server, skip);
  PushConfig cfg;
  cfg.width = 320;
  cfg.height = 180;
  cfg.audio.type = AudioSourceType::Microphone;
  cfg.audio.path = "openlive-no-such-device";
  PushEventLog log;
  LivePusher pusher(cfg);
  log.attach(pusher);
  ASSERT_TRUE(pusher.start(server->rtmpUrl("mic")));
  ASSERT_TRUE(log.waitFor(EventCode::PUSH_ERR_OPEN_MIC_FAIL, 10s)) << log.describe();
  EXPECT_FALSE(pusher.isActive());
}

TEST(PusherDevices, PauseSendsTheWaitingImageAndResumeRestores) {
  std::string skip;
  auto server = startServerOrSkip(false, &skip);
  OPENLIVE_NEED(server, skip);
  PushConfig cfg;
  cfg.width = 320;
  cfg.height = 180;
  cfg.fps = 15;
  PushEventLog log;
  LivePusher pusher(cfg);
  log.attach(pusher);
  ASSERT_TRUE(pusher.start(server->rtmpUrl("pause")));
  ASSERT_TRUE(log.waitFor(EventCode::PUSH_EVT_PUSH_BEGIN, 10s)) << log.describe();
  ASSERT_TRUE(log.waitForStatus(2, 5s));
  pusher.pause();
  EXPECT_EQ(pusher.state(), PushState::Paused);
  size_t n = log.statuses().size();
  ASSERT_TRUE(log.waitForStatus(n + 2, 5s));
  auto paused = log.statuses().back();
  EXPECT_NEAR(paused.number(net::kVideoFps).value_or(0), 5, 1.5);
  EXPECT_GT(paused.number(net::kAudioBitrate).value_or(0), 0);  // silence still flows
  pusher.resume();
  EXPECT_EQ(pusher.state(), PushState::Publishing);
  n = log.statuses().size();
  ASSERT_TRUE(log.waitForStatus(n + 2, 5s));
  EXPECT_NEAR(log.statuses().back().number(net::kVideoFps).value_or(0), 15, 2);
  pusher.setMute(true);
  EXPECT_TRUE(pusher.isActive());
  pusher.stop();
  EXPECT_EQ(log.count(EventCode::PUSH_WARNING_RECONNECT), 0);
}

}  // namespace
}  // namespace openlive::test
