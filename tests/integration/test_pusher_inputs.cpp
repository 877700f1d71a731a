// Bad or unusual media handed to the pusher: each gets a clear result or event, never a crash or lost data.
#include "fixtures/require.h"
#include "fixtures/servers.h"
#include "fixtures/temp_dir.h"

#include <openlive/live_pusher.h>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <fstream>
#include <mutex>
#include <thread>
#include <vector>

using namespace openlive;
using namespace openlive::test;
using namespace std::chrono_literals;

namespace {

struct InputsEventLog {
  std::mutex mu;
  std::condition_variable cv;
  std::vector<EventCode> codes;
  void add(EventCode c) {
    std::lock_guard lk(mu);
    codes.push_back(c);
    cv.notify_all();
  }
  bool waitFor(EventCode c, std::chrono::milliseconds t) {
    std::unique_lock lk(mu);
    return cv.wait_for(lk, t, [&] {
      for (auto x : codes)
        if (x == c) return true;
      return false;
    });
  }
  bool has(EventCode c) {
    std::lock_guard lk(mu);
    for (auto x : codes)
      if (x == c) return true;
    return false;
  }
};

PushConfig customConfig() {
  PushConfig c;
  c.mode = PushMode::RTC;
  c.width = 320;
  c.height = 180;
  c.fps = 15;
  c.video.type = VideoSourceType::Custom;
  c.audio.type = AudioSourceType::Custom;
  return c;
}

}  // namespace

TEST(PusherInputs, UnsupportedConfigIsRefusedAtStart) {
  PushConfig c = customConfig();
  c.width = 321;  // odd
  LivePusher p(c);
  auto r = p.start("rtmp://127.0.0.1:1/live/x");
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.code, ResultCode::UnsupportedResolution);
  EXPECT_EQ(r.event, EventCode::PUSH_ERR_UNSUPPORTED_RESOLUTION) << r.message;
  c.width = 8192;
  p.setConfig(c);
  r = p.start("rtmp://127.0.0.1:1/live/x");
  EXPECT_EQ(r.code, ResultCode::UnsupportedResolution);
  EXPECT_EQ(r.event, EventCode::PUSH_ERR_UNSUPPORTED_RESOLUTION) << r.message;
  c = customConfig();
  c.audioChannels = 6;
  p.setConfig(c);
  r = p.start("rtmp://127.0.0.1:1/live/x");
  EXPECT_EQ(r.code, ResultCode::UnsupportedSampleRate);
  EXPECT_EQ(r.event, EventCode::PUSH_ERR_UNSUPPORTED_SAMPLERATE) << r.message;
}

TEST(PusherInputs, CustomFramesOfAnotherSizeAreScaledAndBadPcmRatesReported) {
  std::string why;
  auto server = startNginxRtmp(&why);
  OPENLIVE_NEED(server, why);
  // Declared before the pusher: its callbacks use it until the pusher is destroyed.
  InputsEventLog log;
  LivePusher p(customConfig());
  p.setEventCallback([&](const Event& e) { log.add(e.code); });
  ASSERT_TRUE(p.start(server->rtmpUrl("inputs")).ok());
  ASSERT_TRUE(log.waitFor(EventCode::PUSH_EVT_PUSH_BEGIN, 10s));

  // A valid frame of another size than configured: accepted (scaled to 320x180).
  std::vector<uint8_t> y(640 * 360, 80), u(320 * 180, 128), v(320 * 180, 128);
  VideoFrame f;
  f.width = 640;
  f.height = 360;
  f.planes[0] = y.data();
  f.planes[1] = u.data();
  f.planes[2] = v.data();
  f.strides[0] = 640;
  f.strides[1] = f.strides[2] = 320;
  bool accepted = false;
  for (int i = 0; i < 10 && !accepted; ++i) {
    f.ptsMs = i * 66;
    accepted = p.sendCustomVideoFrame(f).ok();
    std::this_thread::sleep_for(66ms);  // scenario: frames at the configured 15 fps
  }
  EXPECT_TRUE(accepted);
  EXPECT_FALSE(log.has(EventCode::PUSH_ERR_UNSUPPORTED_RESOLUTION));

  // An invalid frame: refused with -1305, and the pusher keeps going.
  f.width = 641;
  EXPECT_FALSE(p.sendCustomVideoFrame(f));
  EXPECT_TRUE(log.waitFor(EventCode::PUSH_ERR_UNSUPPORTED_RESOLUTION, 2s));

  // PCM at a rate the encoder cannot take: -1306.
  std::vector<int16_t> pcm(1234, 0);
  AudioFrame a;
  a.samples = pcm.data();
  a.frames = 1234;
  a.channels = 1;
  a.sampleRate = 12345;
  EXPECT_FALSE(p.sendCustomPCM(a));
  EXPECT_TRUE(log.waitFor(EventCode::PUSH_ERR_UNSUPPORTED_SAMPLERATE, 2s));
  // Null planes are refused without an event storm or a crash.
  VideoFrame empty;
  empty.width = 320;
  empty.height = 180;
  EXPECT_FALSE(p.sendCustomVideoFrame(empty));
  p.stop();
}

TEST(PusherInputs, TruncatedY4mEndsThePushCleanly) {
  std::string why;
  auto server = startNginxRtmp(&why);
  OPENLIVE_NEED(server, why);
  TempDir dir;
  std::string path = (dir / "cut.y4m").string();
  {
    std::ofstream out(path, std::ios::binary);
    out << "YUV4MPEG2 W160 H90 F15:1 Ip A1:1 C420jpeg\n";
    std::vector<char> frame(160 * 90 * 3 / 2, 100);
    for (int i = 0; i < 20; ++i) {
      out << "FRAME\n";
      out.write(frame.data(), static_cast<std::streamsize>(frame.size()));
    }
    out << "FRAME\n";
    out.write(frame.data(), 5000);  // the last frame is cut short
  }
  PushConfig c;
  c.mode = PushMode::RTC;
  c.width = 160;
  c.height = 90;
  c.fps = 15;
  c.video.type = VideoSourceType::Y4m;
  c.video.path = path;
  c.audio.type = AudioSourceType::None;
  // Declared before the pusher: its callbacks use these until the pusher is destroyed.
  InputsEventLog log;
  bool ended = false;  // under log.mu
  LivePusher p(c);
  p.setEventCallback([&](const Event& e) { log.add(e.code); });
  p.setSourceEndCallback([&] {
    std::lock_guard lk(log.mu);
    ended = true;
    log.cv.notify_all();
  });
  ASSERT_TRUE(p.start(server->rtmpUrl("cut")).ok());
  {
    std::unique_lock lk(log.mu);
    EXPECT_TRUE(log.cv.wait_for(lk, 10s, [&] { return ended; })) << "end of a truncated file must be reported";
  }
  p.stop();
  std::lock_guard lk(log.mu);
  for (auto code : log.codes) {
    const EventInfo* info = findEvent(code);
    ASSERT_NE(info, nullptr);
    EXPECT_NE(info->category, EventCategory::Error) << info->name;
  }
}
