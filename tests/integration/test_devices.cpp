// Devices (include/openlive/devices.h) against a real PulseAudio server the test starts (a null sink whose
// monitor is a microphone): the lists, choosing a microphone by id, and a real capture path: a tone the ffmpeg
// CLI plays into the sink arrives in the stream our pusher publishes to nginx-rtmp, read back by the ffmpeg CLI.
// Cameras: listed when a V4L2 device exists; their failure paths otherwise.
#include <openlive/devices.h>
#include <openlive/live_pusher.h>

#include <cstdlib>

#include "fixtures/media_probe.h"
#include "fixtures/pulse_server.h"
#include "fixtures/require.h"
#include "fixtures/servers.h"
#include "pusher_test_util.h"

namespace openlive::test {
namespace {

// The SDK's libpulse finds the server through PULSE_SERVER (set before any SDK thread starts; each ctest test
// is its own process).
class DevicesPulse : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string why;
    OPENLIVE_NEED(pulseServerAvailable(&why), why);
    pulse = startPulseServer(&why);
    ASSERT_TRUE(pulse) << why;
    setenv("PULSE_SERVER", pulse->server().c_str(), 1);
  }
  void TearDown() override { unsetenv("PULSE_SERVER"); }
  std::unique_ptr<PulseServer> pulse;
};

const DeviceInfo* findId(const std::vector<DeviceInfo>& list, const std::string& id) {
  for (const auto& d : list)
    if (d.id == id) return &d;
  return nullptr;
}

std::string ids(const std::vector<DeviceInfo>& list) {
  std::string s;
  for (const auto& d : list) s += " [" + d.id + " \"" + d.name + "\"" + (d.isDefault ? " default" : "") + "]";
  return s;
}

TEST_F(DevicesPulse, TheNullSinkIsASpeakerAndItsMonitorAMicrophoneEachWithAStableId) {
  std::vector<DeviceInfo> mics, speakers;
  ASSERT_TRUE(listDevices(DeviceKind::Microphone, &mics));
  ASSERT_TRUE(listDevices(DeviceKind::Speaker, &speakers));
  const DeviceInfo* mic = findId(mics, std::string("pulse:") + PulseServer::kMonitor);
  ASSERT_NE(mic, nullptr) << ids(mics);
  EXPECT_TRUE(mic->isDefault) << ids(mics);  // the server's default source
  EXPECT_EQ(mic->kind, DeviceKind::Microphone);
  EXPECT_FALSE(mic->name.empty());
  const DeviceInfo* speaker = findId(speakers, std::string("pulse:") + PulseServer::kSink);
  ASSERT_NE(speaker, nullptr) << ids(speakers);
  EXPECT_TRUE(speaker->isDefault);
  EXPECT_EQ(findId(speakers, std::string("pulse:") + PulseServer::kMonitor), nullptr);  // a source is no speaker
  std::vector<DeviceInfo> again;  // the same ids on every call
  ASSERT_TRUE(listDevices(DeviceKind::Microphone, &again));
  EXPECT_EQ(ids(again), ids(mics));
}

TEST_F(DevicesPulse, AToneIntoTheNullSinkArrivesInThePushedStreamThroughTheMicrophoneChosenById) {
  std::string why;
  OPENLIVE_NEED(haveFfmpegCli(&why), why);
  auto server = startNginxRtmp(&why);
  ASSERT_TRUE(server) << why;
  ProcessOptions po{Redirect::null(), Redirect::null()};
  po.env = pulse->env();
  Process tone({"ffmpeg", "-nostdin", "-loglevel", "error", "-re", "-f", "lavfi", "-i",
                "sine=frequency=1000:sample_rate=44100", "-f", "pulse", "-device", PulseServer::kSink, "tone"},
               po);
  PushConfig c = smallRtcPush(15, 300ms, 3);
  c.audio = {AudioSourceType::Microphone, std::string("pulse:") + PulseServer::kMonitor};
  LivePusher pusher(c);
  PushEventLog log;
  log.attach(pusher);
  const std::string url = server->rtmpUrl("mic");
  ASSERT_TRUE(pusher.start(url));
  ASSERT_TRUE(log.waitFor(EventCode::PUSH_EVT_PUSH_BEGIN, 15s)) << log.describe();
  std::string err;
  const double withTone = meanVolume(url, &err, 2);
  EXPECT_GT(withTone, -35.0) << "the tone did not arrive:\n" << err;
  tone.terminate();  // silence in the sink now: the monitor captures silence
  const double silent = meanVolume(url, &err, 2);
  EXPECT_LT(silent, withTone - 20) << err;
  std::printf("[devices] mean volume with the tone %.1f dB, after it stopped %.1f dB\n", withTone, silent);
  EXPECT_EQ(log.count(EventCode::PUSH_ERR_OPEN_MIC_FAIL), 0);
  pusher.stop();
}

TEST_F(DevicesPulse, AMicrophoneIdThatDoesNotExistIsMinus1302) {
  PushConfig c = smallRtcPush(15, 300ms, 0);
  c.audio = {AudioSourceType::Microphone, "pulse:no-such-source"};
  LivePusher pusher(c);
  PushEventLog log;
  log.attach(pusher);
  std::string why;
  auto server = startNginxRtmp(&why);
  ASSERT_TRUE(server) << why;
  (void)pusher.start(server->rtmpUrl("nomic"));
  EXPECT_TRUE(log.waitFor(EventCode::PUSH_ERR_OPEN_MIC_FAIL, 15s)) << log.describe();
  pusher.stop();
}

TEST(Devices, WithoutAPulseServerTheListsComeFromAlsaWithinTheTimeout) {
  setenv("PULSE_SERVER", "unix:/nonexistent/openlive-test/native", 1);
  std::vector<DeviceInfo> mics;
  const auto t0 = std::chrono::steady_clock::now();
  Result r = listDevices(DeviceKind::Microphone, &mics, 1000ms);
  const auto took = std::chrono::steady_clock::now() - t0;
  unsetenv("PULSE_SERVER");
  ASSERT_TRUE(r) << r.message;
  EXPECT_LT(took, 3s);
  for (const auto& d : mics) EXPECT_EQ(d.id.rfind("alsa:", 0), 0u) << d.id;
}

TEST(Devices, CamerasAreListedWithTheirModesOrAMissingOneIsMinus1301) {
  std::vector<DeviceInfo> cams;
  ASSERT_TRUE(listDevices(DeviceKind::Camera, &cams));
  for (const auto& d : cams) {
    EXPECT_EQ(d.id.rfind("v4l2:", 0), 0u) << d.id;
    EXPECT_EQ(d.kind, DeviceKind::Camera);
  }
  std::printf("[devices] %zu V4L2 camera(s)\n", cams.size());
  // No such camera: the documented open failure, with the id's device in the message.
  PushConfig c = smallRtcPush(15, 300ms, 0);
  c.video = {VideoSourceType::Camera, "v4l2:/dev/openlive-no-such-camera"};
  c.audio.type = AudioSourceType::None;
  LivePusher pusher(c);
  PushEventLog log;
  log.attach(pusher);
  std::string why;
  auto server = startNginxRtmp(&why);
  ASSERT_TRUE(server) << why;
  (void)pusher.start(server->rtmpUrl("nocam"));
  ASSERT_TRUE(log.waitFor(EventCode::PUSH_ERR_OPEN_CAMERA_FAIL, 15s)) << log.describe();
  std::string messages;
  for (const auto& e : log.events()) messages += e.message() + "\n";
  EXPECT_NE(messages.find("camera /dev/openlive-no-such-camera"), std::string::npos) << messages;
  pusher.stop();
}

}  // namespace
}  // namespace openlive::test
