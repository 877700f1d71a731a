// Player end-to-end against the real servers: an ffmpeg-CLI stream (testsrc + 1 kHz sine) played through the
// headless y4m / wav sinks; frame count, tone, event order.
#include "fixtures/media_probe.h"
#include "fixtures/process.h"
#include "fixtures/require.h"
#include "fixtures/servers.h"
#include "fixtures/temp_dir.h"
#include "integration/test_player_util.h"

#include <openlive/live_player.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <thread>

using namespace openlive;
using namespace openlive::test;
using namespace std::chrono_literals;

namespace {

struct PlayCase {
  const char* server;  // "nginx" / "nms"
  bool http;
};

void playAndCheck(MediaServer& server, bool http, const char* stream) {
  TempDir dir("ol-play");
  std::string y4m = (dir / "out.y4m").string(), wav = (dir / "out.wav").string();
  PlayConfig cfg;
  cfg.setCacheMode(CacheMode::MiniProgram);
  cfg.video = {VideoOutput::Kind::Y4m, y4m};
  cfg.audio = {AudioOutput::Kind::Wav, wav};
  cfg.connectRetryCount = 1;
  cfg.connectRetryInterval = std::chrono::milliseconds(1000);
  // Declared before the player: its callbacks use it until the player is destroyed.
  EventLog log;
  LivePlayer player(cfg);
  log.attach(player);
  const double seconds = 5.0;
  const int fps = 30;
  if (http) {
    // HTTP-FLV of a stream that does not exist yet is refused: publish first, then play.
    auto push = startFfmpegTestPush(server.rtmpUrl(stream), seconds, "640x360", fps);
    ASSERT_TRUE(server.waitForPublish(stream, 10s)) << server.logTail();
    ASSERT_TRUE(player.start(server.httpFlvUrl(stream)));
    ASSERT_TRUE(log.waitFor(toInt(EventCode::PLAY_EVT_PLAY_BEGIN), 8s)) << log.dump();
    ASSERT_TRUE(push.wait(20s).has_value());
    ASSERT_TRUE(log.waitForAny({2006, 2103}, 10s)) << log.dump();
    player.stop();
    auto v = readY4m(y4m);
    ASSERT_TRUE(v.ok);
    // Started mid-stream (GOP cache): at least most of the stream, never more than was published.
    EXPECT_GE(v.frames, int(seconds * fps * 0.6)) << log.dump();
    EXPECT_LE(v.frames, int(seconds * fps * 1.05)) << log.dump();
  } else {
    ASSERT_TRUE(player.start(server.rtmpUrl(stream)));
    // The server has the player (2002 comes with the stream's first media, after the publisher starts; 2001 alone
    // does not say the play command was taken): publish now, the player gets the stream from its first frame.
    ASSERT_TRUE(server.waitForPlay(stream, 8s)) << log.dump();
    auto push = startFfmpegTestPush(server.rtmpUrl(stream), seconds, "640x360", fps);
    ASSERT_TRUE(log.waitFor(toInt(EventCode::PLAY_EVT_PLAY_BEGIN), 8s)) << log.dump();
    ASSERT_TRUE(push.wait(20s).has_value());
    ASSERT_TRUE(log.waitForAny({2006, 2103}, 10s)) << log.dump();
    player.stop();
    auto v = readY4m(y4m);
    ASSERT_TRUE(v.ok);
    EXPECT_EQ(v.width, 640);
    EXPECT_EQ(v.height, 360);
    EXPECT_NEAR(v.frames, seconds * fps, seconds * fps * 0.05) << log.dump();
  }
  // Net status every second with the keys; fps and size of the stream.
  auto st = log.statuses();
  ASSERT_GE(st.size(), 3u);
  // A status from the middle of playback: the one with the most pictures shown.
  const NetStatus& mid = *std::max_element(st.begin(), st.end(), [](const NetStatus& a, const NetStatus& b) {
    return a.number(net::kVideoFps).value_or(0) < b.number(net::kVideoFps).value_or(0);
  });
  for (auto key : {net::kVideoWidth, net::kVideoHeight, net::kVideoFps, net::kVideoBitrate, net::kAudioBitrate,
                   net::kNetSpeed, net::kVideoCache, net::kAudioCache, net::kNetJitter, net::kAvPlayInterval,
                   net::kAudioPlaySpeed, net::kStallCount, net::kStallMs, net::kVideoDrop, net::kServerIp,
                   net::kCpuUsage, net::kAudioInfo})
    EXPECT_FALSE(mid.get(key).empty()) << key;
  EXPECT_EQ(mid.get(net::kVideoWidth), "640");
  EXPECT_NEAR(mid.number(net::kVideoFps).value_or(0), fps, 3);
  EXPECT_GT(mid.number(net::kVideoBitrate).value_or(0), 5);
  EXPECT_EQ(mid.get(net::kServerIp).rfind("127.0.0.1:", 0), 0u) << mid.get(net::kServerIp);
  EXPECT_LT(std::abs(mid.number(net::kAvPlayInterval).value_or(1e9)), 100);
  int i1 = log.indexOf(2001), i2 = log.indexOf(2002), i3 = log.indexOf(2003), i4 = log.indexOf(2004);
  EXPECT_TRUE(i1 >= 0 && i1 < i2 && i2 < i3 && i3 < i4) << log.dump();
  auto w = readWav(wav);
  ASSERT_GT(w.rate, 0);
  EXPECT_GT(w.samples.size() / size_t(w.channels), size_t(w.rate) * 2);
  double at1k = tonePower(w, 1000), off = tonePower(w, 1370);
  EXPECT_GT(at1k, 0.3) << "1 kHz power " << at1k;
  EXPECT_LT(off, 0.05) << "off-tone power " << off;
}

}  // namespace

TEST(PlayerE2E, RtmpFromNginx) {
  std::string why;
  OPENLIVE_NEED(haveFfmpegCli(&why), why);
  auto server = startNginxRtmp(&why);
  OPENLIVE_NEED(server, why);
  playAndCheck(*server, false, "p1");
}

TEST(PlayerE2E, RtmpFromNms) {
  std::string why;
  OPENLIVE_NEED(haveFfmpegCli(&why), why);
  auto server = startNodeMediaServer(&why);
  OPENLIVE_NEED(server, why);
  playAndCheck(*server, false, "p2");
}

TEST(PlayerE2E, HttpFlvFromNms) {
  std::string why;
  OPENLIVE_NEED(haveFfmpegCli(&why), why);
  auto server = startNodeMediaServer(&why);
  OPENLIVE_NEED(server, why);
  OPENLIVE_NEED(server->httpPort() != 0, "no HTTP-FLV port");
  playAndCheck(*server, true, "p3");
}

TEST(PlayerE2E, AppMessagesArriveAs2012OnlyWhenEnabled) {
  std::string why;
  std::string push = samplePath("openlive-push");
  OPENLIVE_NEED(!push.empty() && std::filesystem::exists(push), "openlive-push not built");
  auto server = startNginxRtmp(&why);
  OPENLIVE_NEED(server, why);
  ProcessOptions po;
  po.out = Redirect::null();
  po.err = Redirect::null();
  Process pusher({push, server->rtmpUrl("sei"), "--source", "test", "--audio", "tone", "--sei", "hello-openlive",
                  "--duration", "20"},
                 po);
  PlayConfig on, off;
  for (auto* c : {&on, &off}) {
    c->video = {VideoOutput::Kind::None, ""};
    c->audio = {AudioOutput::Kind::None, ""};
  }
  on.enableMessage = true;
  // Declared before the players: their callbacks use them until the players are destroyed.
  EventLog la, lb;
  LivePlayer a(on), b(off);
  la.attach(a);
  lb.attach(b);
  ASSERT_TRUE(a.start(server->rtmpUrl("sei")));
  ASSERT_TRUE(b.start(server->rtmpUrl("sei")));
  ASSERT_TRUE(la.waitFor(2012, 10s)) << la.dump();
  ASSERT_TRUE(lb.waitFor(2004, 10s)) << lb.dump();
  // b plays too: once two more messages (one a second) reached a, b had them as well and must not report them.
  const auto seen = la.codes();
  ASSERT_TRUE(la.waitFor(2012, 10s, size_t(std::count(seen.begin(), seen.end(), 2012)) + 2)) << la.dump();
  a.stop();
  b.stop();
  auto events = la.events();
  auto it = std::find_if(events.begin(), events.end(), [](const Event& e) { return toInt(e.code) == 2012; });
  ASSERT_NE(it, events.end());
  EXPECT_EQ(it->get(evt::kGetMsg), "hello-openlive");
  EXPECT_EQ(it->get(evt::kGetMsgLength), "14");
  EXPECT_EQ(lb.indexOf(2012), -1) << lb.dump();
}

TEST(PlayerE2E, AudioOnlyAndVideoOnlyStreams) {
  std::string why;
  OPENLIVE_NEED(haveFfmpegCli(&why), why);
  auto server = startNginxRtmp(&why);
  OPENLIVE_NEED(server, why);
  TempDir dir("ol-av");
  for (bool audioOnly : {true, false}) {
    std::string stream = audioOnly ? "ao" : "vo";
    std::vector<std::string> argv{findTool("ffmpeg"), "-hide_banner", "-nostdin", "-loglevel", "error", "-re"};
    if (audioOnly) {
      for (auto a : {"-f", "lavfi", "-i", "sine=frequency=1000:sample_rate=48000", "-t", "4", "-c:a", "aac"})
        argv.push_back(a);
    } else {
      for (auto a : {"-f", "lavfi", "-i", "testsrc=size=320x240:rate=25", "-t", "4", "-c:v", "libx264", "-preset",
                     "ultrafast", "-tune", "zerolatency", "-g", "25", "-pix_fmt", "yuv420p"})
        argv.push_back(a);
    }
    for (auto a : {"-f", "flv"}) argv.push_back(a);
    argv.push_back(server->rtmpUrl(stream));
    PlayConfig cfg;
    cfg.setCacheMode(CacheMode::Fast);
    cfg.video = {VideoOutput::Kind::Y4m, (dir / (stream + ".y4m")).string()};
    cfg.audio = {AudioOutput::Kind::Wav, (dir / (stream + ".wav")).string()};
    // Declared before the player: its callbacks use it until the player is destroyed.
    EventLog log;
    LivePlayer player(cfg);
    log.attach(player);
    ASSERT_TRUE(player.start(server->rtmpUrl(stream)));
    ASSERT_TRUE(server->waitForPlay(stream, 8s)) << log.dump();  // the server has the player: publish now
    ProcessOptions po;
    po.out = Redirect::null();
    po.err = Redirect::null();
    Process ff(argv, po);
    EXPECT_TRUE(log.waitFor(2004, 8s)) << stream << ": " << log.dump();
    ASSERT_TRUE(ff.wait(20s).has_value());
    EXPECT_TRUE(log.waitForAny({2006, 2103}, 10s)) << log.dump();
    player.stop();
    if (audioOnly) {
      auto w = readWav((dir / (stream + ".wav")).string());
      EXPECT_GT(w.samples.size(), size_t(48000) * 3) << log.dump();
      EXPECT_GT(tonePower(w, 1000), 0.3);
      EXPECT_EQ(log.indexOf(2003), -1);
    } else {
      auto v = readY4m((dir / (stream + ".y4m")).string());
      EXPECT_NEAR(v.frames, 100, 5) << log.dump();
      EXPECT_EQ(log.indexOf(2026), -1);
    }
  }
}
