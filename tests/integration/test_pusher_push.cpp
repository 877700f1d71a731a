// LivePusher against the real servers: a 10 s push read back by ffprobe (nginx-rtmp and node-media-server),
// Y4M-from-stdin and custom-frame pushes with exact frame counts, an SEI message found by an independent
// parser in the recorded stream.
#include <signal.h>

#include <cmath>
#include <fstream>

#include "fixtures/require.h"
#include "fixtures/timing.h"
#include "pusher_test_util.h"

namespace openlive::test {
namespace {

class PusherPush : public ::testing::TestWithParam<bool> {};  // param: node-media-server instead of nginx

TEST_P(PusherPush, TenSecondPushIsReadBackWithPresetParameters) {
  std::string skip;
  auto server = startServerOrSkip(GetParam(), &skip);
  OPENLIVE_NEED(server, skip);
  OPENLIVE_NEED(haveFfmpegCli(&skip), skip);
  TempDir dir("ol-push10");
  LiveProbe probe(server->rtmpUrl("ten"), dir.path(), "ten");
  ASSERT_TRUE(probe.ready());

  PushConfig cfg;
  cfg.mode = PushMode::SD;  // 640x360 @ 15 fps, 300..800 kbps
  PushEventLog log;
  LivePusher pusher(cfg);
  log.attach(pusher);
  ASSERT_TRUE(pusher.start(server->rtmpUrl("ten")));
  ASSERT_TRUE(log.waitFor(EventCode::PUSH_EVT_PUSH_BEGIN, 10s)) << log.describe();
  const auto begin = Clock::now();
  std::this_thread::sleep_until(begin + 10s);  // the push itself must last 10 s
  const auto stopStart = Clock::now();
  pusher.stop();
  EXPECT_LT(Clock::now() - stopStart, scaled(200ms));
  nlohmann::json r = probe.finish();
  ASSERT_TRUE(r.is_object() && r.contains("streams") && r.contains("packets")) << r.dump().substr(0, 500);

  // Events in order 1001 -> 1002, no warnings or errors.
  int i1001 = log.indexOf(EventCode::PUSH_EVT_CONNECT_SUCC), i1002 = log.indexOf(EventCode::PUSH_EVT_PUSH_BEGIN);
  ASSERT_GE(i1001, 0);
  EXPECT_LT(i1001, i1002);
  for (int c : log.codes()) EXPECT_LT(c, 1100) << log.describe();
  // Net status every second.
  auto times = log.statusTimes();
  ASSERT_GE(times.size(), 9u);
  for (size_t i = 1; i < times.size(); ++i) {
    auto gap = std::chrono::duration_cast<std::chrono::milliseconds>(times[i] - times[i - 1]).count();
    EXPECT_NEAR(gap, 1000, 250) << i;
  }
  auto last = log.statuses().back();
  EXPECT_EQ(last.get(net::kVideoWidth), "640");
  EXPECT_TRUE(last.number(net::kCacheSize).has_value());
  EXPECT_EQ(last.get(net::kServerIp).rfind("127.0.0.1:", 0), 0u);

  int vIndex = -1;
  for (const auto& st : r["streams"]) {
    if (st.value("codec_type", "") == "video") {
      vIndex = st.value("index", -1);
      EXPECT_EQ(st.value("codec_name", ""), "h264");
      EXPECT_EQ(st.value("width", 0), 640);
      EXPECT_EQ(st.value("height", 0), 360);
      EXPECT_EQ(st.value("avg_frame_rate", ""), "15/1");
    } else if (st.value("codec_type", "") == "audio") {
      EXPECT_EQ(st.value("codec_name", ""), "aac");
      EXPECT_EQ(st.value("sample_rate", ""), "48000");
    }
  }
  ASSERT_GE(vIndex, 0);
  // Duration from the packets' timestamps, and the video bitrate from their sizes.
  double first = 1e9, lastPts = -1e9;
  int64_t videoBytes = 0, videoPackets = 0;
  for (const auto& p : r["packets"]) {
    if (p.value("stream_index", -1) != vIndex || !p.contains("pts_time")) continue;
    const double pts = std::stod(p["pts_time"].get<std::string>());
    first = std::min(first, pts);
    lastPts = std::max(lastPts, pts);
    videoBytes += std::stoll(p["size"].get<std::string>());
    ++videoPackets;
  }
  const double duration = lastPts - first + 1.0 / 15;
  EXPECT_NEAR(duration, 10.0, 0.5) << "first " << first << " last " << lastPts;
  EXPECT_NEAR(videoPackets, 150, 8);
  const double kbps = videoBytes * 8 / duration / 1000;
  EXPECT_GE(kbps, 300);
  EXPECT_LE(kbps, 800);
  RecordProperty("video_kbps", std::to_string(kbps));
  RecordProperty("duration_s", std::to_string(duration));
  std::printf("[ info ] %s: %.2f s, %lld video frames, %.0f kbps video\n", server->name().c_str(), duration,
              static_cast<long long>(videoPackets), kbps);
}

INSTANTIATE_TEST_SUITE_P(Servers, PusherPush, ::testing::Values(false, true),
                         [](const auto& info) { return info.param ? "nms" : "nginx"; });

// Counts decoded video frames in a recording.
int64_t decodedFrames(const std::string& path) {
  ProbeOptions po;
  po.countFrames = true;
  ProbeResult r = probeMedia(path, 30s, {}, po);
  if (!r.ok || !r.video()) return -1;
  return r.video()->frames;
}

// What the CLI tests with a Y4M pipe need: nginx-rtmp, the ffmpeg CLI and openlive-push (its path in *push).
std::unique_ptr<MediaServer> cliPushSetup(std::string* push, std::string* skip) {
  auto server = startServerOrSkip(false, skip);
  if (!server) return nullptr;
  if (!haveFfmpegCli(skip)) return nullptr;
  *push = samplePath("openlive-push");
  if (push->empty()) *skip = "openlive-push not built";
  return push->empty() ? nullptr : std::move(server);
}

TEST(PusherSources, Y4mFromStdinKeepsEveryFrame) {
  std::string skip, push;
  auto server = cliPushSetup(&push, &skip);
  OPENLIVE_NEED(server, skip);
  TempDir dir("ol-y4m");
  PushRecorder rec(server->rtmpUrl("y4m"), dir.path(), "y4m");
  ASSERT_TRUE(rec.ready()) << rec.logTail();
  const int frames = 45;  // 3 s at 15 fps
  const std::string cmd = "'" + findTool("ffmpeg") +
                          "' -nostdin -loglevel error -f lavfi -i testsrc=size=320x180:rate=15 -pix_fmt yuv420p -frames:v " +
                          std::to_string(frames) + " -f yuv4mpegpipe - | '" + push + "' '" +
                          server->rtmpUrl("y4m") +
                          "' --source y4m:- --source-pacing realtime --audio none --width 320 --height 180 --json";
  CommandResult res = runCommand({"/bin/sh", "-c", cmd}, 30s);
  ASSERT_FALSE(res.timedOut);
  EXPECT_EQ(res.exitCode, 0) << res.out << res.err;
  EXPECT_NE(res.out.find("\"code\":1002"), std::string::npos) << res.out;
  rec.finish();
  EXPECT_NEAR(decodedFrames(rec.path()), frames, 2) << rec.logTail();
}

// A pipe is a live source (--source-pacing auto): each frame is stamped when it arrives, not on the pusher's
// frame clock. The feed sends 10 frames, goes quiet for 1.5 s, then sends 10 more: the stream shows the pause
// as a gap in the video timestamps (paced at the file's rate there would be none), keeps all 20 frames, and
// the net status carries the capture-to-wire time.
TEST(PusherSources, Y4mFromAPipeIsStampedWhenFramesArrive) {
  std::string skip, push;
  auto server = cliPushSetup(&push, &skip);
  OPENLIVE_NEED(server, skip);
  TempDir dir("ol-y4m-live");
  const std::string y4m = (dir.path() / "in.y4m").string();
  CommandResult gen = runCommand({findTool("ffmpeg"), "-nostdin", "-loglevel", "error", "-f", "lavfi", "-i",
                                  "testsrc=size=320x180:rate=15", "-pix_fmt", "yuv420p", "-frames:v", "20", "-f",
                                  "yuv4mpegpipe", y4m},
                                 30s);
  ASSERT_EQ(gen.exitCode, 0) << gen.err;
  std::ifstream in(y4m, std::ios::binary);
  std::string header;
  std::getline(in, header);
  const size_t firstHalf = header.size() + 1 + 10 * (6 + 320 * 180 * 3 / 2);
  PushRecorder rec(server->rtmpUrl("live"), dir.path(), "live");
  ASSERT_TRUE(rec.ready()) << rec.logTail();
  const std::string cmd = "( head -c " + std::to_string(firstHalf) + " '" + y4m + "'; sleep 1.5; tail -c +" +
                          std::to_string(firstHalf + 1) + " '" + y4m + "'; sleep 1.5 ) | '" + push + "' '" +
                          server->rtmpUrl("live") + "' --source y4m:- --audio none --width 320 --height 180 --json";
  CommandResult res = runCommand({"/bin/sh", "-c", cmd}, 30s);
  ASSERT_FALSE(res.timedOut);
  EXPECT_EQ(res.exitCode, 0) << res.out << res.err;
  EXPECT_NE(res.out.find("CAPTURE_TO_WIRE_MS"), std::string::npos) << res.out;
  rec.finish();
  ProbeOptions po;
  po.packets = true;
  ProbeResult r = probeMedia(rec.path(), 30s, {}, po);
  ASSERT_TRUE(r.ok && r.video()) << r.error;
  const std::vector<double>& pts = r.video()->pts;
  EXPECT_EQ(pts.size(), 20u);
  double gap = 0;
  for (size_t i = 1; i < pts.size(); ++i) gap = std::max(gap, pts[i] - pts[i - 1]);
  EXPECT_GT(gap, 1.0) << "the 1.5 s pause in the feed is not in the timestamps";
}

TEST(PusherSources, CustomFramesKeepEveryFrame) {
  std::string skip;
  auto server = startServerOrSkip(false, &skip);
  OPENLIVE_NEED(server, skip);
  OPENLIVE_NEED(haveFfmpegCli(&skip), skip);
  TempDir dir("ol-custom");
  PushRecorder rec(server->rtmpUrl("custom"), dir.path(), "custom");
  ASSERT_TRUE(rec.ready()) << rec.logTail();
  PushConfig cfg;
  cfg.video.type = VideoSourceType::Custom;
  cfg.audio.type = AudioSourceType::Custom;
  cfg.width = 320;
  cfg.height = 180;
  PushEventLog log;
  LivePusher pusher(cfg);
  log.attach(pusher);
  ASSERT_TRUE(pusher.start(server->rtmpUrl("custom")));
  ASSERT_TRUE(log.waitFor(EventCode::PUSH_EVT_PUSH_BEGIN, 10s)) << log.describe();
  const int frames = 45;
  std::vector<uint8_t> y(320 * 180), u(160 * 90, 128), v(160 * 90, 128);
  std::vector<int16_t> pcm(480 * 2);  // 10 ms stereo at 48 kHz
  auto start = Clock::now();
  int sent = 0;
  for (int i = 0; i < frames; ++i) {
    std::fill(y.begin(), y.end(), static_cast<uint8_t>(16 + i * 4));
    VideoFrame f;
    f.width = 320;
    f.height = 180;
    f.planes[0] = y.data();
    f.planes[1] = u.data();
    f.planes[2] = v.data();
    f.strides[0] = 320;
    f.strides[1] = f.strides[2] = 160;
    f.ptsMs = 1000 + i * 1000 / 15;
    sent += pusher.sendCustomVideoFrame(f).ok() ? 1 : 0;
    for (int k = 0; k < 7; ++k) {  // ~66 ms of audio per frame
      AudioFrame a{pcm.data(), 480, 2, 48000, 0};
      (void)pusher.sendCustomPCM(a);  // before 1002 some are NotReady
    }
    std::this_thread::sleep_until(start + std::chrono::milliseconds((i + 1) * 1000 / 15));  // scenario: 15 fps
  }
  EXPECT_EQ(sent, frames);
  VideoFrame odd;
  odd.width = 321;
  odd.height = 180;
  odd.planes[0] = y.data();
  odd.planes[1] = u.data();
  odd.planes[2] = v.data();
  EXPECT_FALSE(pusher.sendCustomVideoFrame(odd));
  AudioFrame badRate{pcm.data(), 480, 2, 12345, 0};
  EXPECT_FALSE(pusher.sendCustomPCM(badRate));
  EXPECT_TRUE(log.waitFor(EventCode::PUSH_ERR_UNSUPPORTED_RESOLUTION, 2s)) << log.describe();
  EXPECT_TRUE(log.waitFor(EventCode::PUSH_ERR_UNSUPPORTED_SAMPLERATE, 2s)) << log.describe();
  pusher.stop();
  rec.finish();
  EXPECT_NEAR(decodedFrames(rec.path()), frames, 2) << rec.logTail();
}

// Scans an Annex B H.264 elementary stream for SEI user_data_unregistered messages with `uuid`.
std::vector<std::string> findSeiMessages(const std::vector<uint8_t>& es, const std::array<uint8_t, 16>& uuid) {
  std::vector<std::string> out;
  for (size_t i = 0; i + 4 < es.size(); ++i) {
    if (!(es[i] == 0 && es[i + 1] == 0 && es[i + 2] == 1)) continue;
    size_t s = i + 3;
    if ((es[s] & 0x1f) != 6) continue;
    size_t e = s + 1;
    while (e + 2 < es.size() && !(es[e] == 0 && es[e + 1] == 0 && (es[e + 2] == 1 || es[e + 2] == 0))) ++e;
    std::vector<uint8_t> rbsp;
    int zeros = 0;
    for (size_t k = s + 1; k < e; ++k) {
      if (zeros >= 2 && es[k] == 3) {
        zeros = 0;
        continue;
      }
      rbsp.push_back(es[k]);
      zeros = es[k] == 0 ? zeros + 1 : 0;
    }
    size_t k = 0;
    while (k + 2 < rbsp.size()) {
      int type = 0, size = 0;
      while (k < rbsp.size() && rbsp[k] == 0xFF) type += rbsp[k++];
      type += rbsp[k++];
      while (k < rbsp.size() && rbsp[k] == 0xFF) size += rbsp[k++];
      size += rbsp[k++];
      if (k + size > rbsp.size()) break;
      if (type == 5 && size >= 16 && std::equal(uuid.begin(), uuid.end(), rbsp.begin() + k))
        out.emplace_back(rbsp.begin() + k + 16, rbsp.begin() + k + size);
      k += size;
      if (k < rbsp.size() && rbsp[k] == 0x80) break;
    }
  }
  return out;
}

TEST(PusherSei, MessageIsFoundByAnIndependentParser) {
  std::string skip;
  auto server = startServerOrSkip(false, &skip);
  OPENLIVE_NEED(server, skip);
  OPENLIVE_NEED(haveFfmpegCli(&skip), skip);
  TempDir dir("ol-sei");
  PushRecorder rec(server->rtmpUrl("sei"), dir.path(), "sei");
  ASSERT_TRUE(rec.ready()) << rec.logTail();
  PushConfig cfg;
  cfg.width = 320;
  cfg.height = 180;
  PushEventLog log;
  LivePusher pusher(cfg);
  log.attach(pusher);
  ASSERT_TRUE(pusher.start(server->rtmpUrl("sei")));
  ASSERT_TRUE(log.waitFor(EventCode::PUSH_EVT_PUSH_BEGIN, 10s)) << log.describe();
  const std::string text = "hello from openlive \x01\x00\x00\x03 sei";
  ASSERT_TRUE(log.waitForStatus(1, 3s));
  ASSERT_TRUE(pusher.sendMessage(std::vector<uint8_t>(text.begin(), text.end())));
  ASSERT_TRUE(log.waitForStatus(3, 5s));
  pusher.stop();
  rec.finish();
  const std::string es = (dir.path() / "sei.h264").string();
  CommandResult r = runCommand({"ffmpeg", "-nostdin", "-loglevel", "error", "-i", rec.path(), "-map", "0:v", "-c", "copy",
                                "-bsf:v", "h264_mp4toannexb", "-f", "h264", "-y", es},
                               30s);
  ASSERT_EQ(r.exitCode, 0) << r.err;
  std::ifstream f(es, std::ios::binary);
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  auto msgs = findSeiMessages(bytes, {0x6f, 0x70, 0x65, 0x6e, 0x6c, 0x69, 0x76, 0x65, 0x2d, 0x6d, 0x73, 0x67, 0, 0, 0, 1});
  ASSERT_EQ(msgs.size(), 1u);
  EXPECT_EQ(msgs[0], text);
  // The capture clock rides along at every IDR and at least once a second.
  auto clocks = findSeiMessages(bytes, {0x6f, 0x70, 0x65, 0x6e, 0x6c, 0x69, 0x76, 0x65, 0x2d, 0x63, 0x6c, 0x6b, 0, 0, 0, 1});
  EXPECT_GE(clocks.size(), 3u);
  for (auto& c : clocks) EXPECT_EQ(c.size(), 8u);
}

}  // namespace
}  // namespace openlive::test

namespace openlive::test {
namespace {

// Timestamps crossing 0xFFFFFF ms (the 24-bit RTMP field; extended timestamps from there on): the stream
// stays up and an independent reader sees continuous, monotonic timestamps across the boundary.
TEST(PusherTimestamps, CrossingTheExtendedTimestampBoundary) {
  std::string skip;
  auto server = startServerOrSkip(false, &skip);
  OPENLIVE_NEED(server, skip);
  OPENLIVE_NEED(haveFfmpegCli(&skip), skip);
  TempDir dir("ol-extts");
  LiveProbe probe(server->rtmpUrl("extts"), dir.path(), "extts");
  ASSERT_TRUE(probe.ready());
  PushConfig cfg;
  cfg.width = 320;
  cfg.height = 180;
  cfg.timestampOffset = std::chrono::milliseconds(0xFFFFFF - 1500);
  PushEventLog log;
  LivePusher pusher(cfg);
  log.attach(pusher);
  ASSERT_TRUE(pusher.start(server->rtmpUrl("extts")));
  ASSERT_TRUE(log.waitFor(EventCode::PUSH_EVT_PUSH_BEGIN, 10s)) << log.describe();
  ASSERT_TRUE(log.waitForStatus(4, 8s));
  pusher.stop();
  nlohmann::json r = probe.finish();
  ASSERT_TRUE(r.is_object() && r.contains("packets"));
  EXPECT_EQ(log.count(EventCode::PUSH_WARNING_RECONNECT), 0) << log.describe();
  std::map<int, std::vector<double>> dts;
  for (const auto& p : r["packets"])
    if (p.contains("dts_time")) dts[p.value("stream_index", -1)].push_back(std::stod(p["dts_time"].get<std::string>()));
  ASSERT_EQ(dts.size(), 2u);
  const double boundary = 0xFFFFFF / 1000.0;
  for (auto& [index, v] : dts) {
    ASSERT_GE(v.size(), 20u);
    EXPECT_LT(v.front(), boundary) << index;
    EXPECT_GT(v.back(), boundary + 1.0) << index;
    for (size_t i = 1; i < v.size(); ++i) {
      EXPECT_GE(v[i], v[i - 1]) << index << " at " << i;
      EXPECT_LT(v[i] - v[i - 1], 0.5) << index << " at " << i;  // no jump
    }
  }
}

}  // namespace
}  // namespace openlive::test
