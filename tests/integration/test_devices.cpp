// Devices (include/openlive/devices.h) against a real PulseAudio server the test starts (a null sink whose
// monitor is a microphone): the lists, choosing a microphone by id, and a real capture path: a tone the ffmpeg
// CLI plays into the sink arrives in the stream our pusher publishes to nginx-rtmp, read back by the ffmpeg CLI.
// Cameras: listed when a V4L2 device exists; their failure paths otherwise.
#include <openlive/devices.h>
#include <openlive/live_player.h>
#include <openlive/live_pusher.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <optional>

#include "fixtures/media_probe.h"
#include "fixtures/pulse_server.h"
#include "fixtures/require.h"
#include "fixtures/servers.h"
#include "fixtures/wait.h"
#include "pusher_test_util.h"
#include "test_player_util.h"

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
  // The ffmpeg CLI playing a 1 kHz tone into `sink` of the test's server, in real time.
  Process toneInto(const char* sink) {
    ProcessOptions po{Redirect::null(), Redirect::null()};
    po.env = pulse->env();
    return Process({"ffmpeg", "-nostdin", "-loglevel", "error", "-re", "-f", "lavfi", "-i",
                    "sine=frequency=1000:sample_rate=44100", "-f", "pulse", "-device", sink, "tone"},
                   po);
  }
  // A small RTC push whose sound is the PulseAudio source `source`, chosen by its id.
  static PushConfig micPush(const char* source) {
    PushConfig c = smallRtcPush(15, 300ms, 3);
    c.audio = {AudioSourceType::Microphone, std::string("pulse:") + source};
    return c;
  }
  // The push's sound is on the wire (its net status reports an audio bitrate).
  static bool soundOnTheWire(PushEventLog& log) {
    return log.waitForStatuses(
        [](const std::vector<NetStatus>& st, const std::vector<Clock::time_point>&) {
          return !st.empty() && st.back().number(net::kAudioBitrate).value_or(0) > 0;
        },
        15s);
  }
  // The ffmpeg CLI reading `seconds` of the stream's sound into `wav` (16 kHz mono) as it decodes; probing cut to
  // 1 s so that what it writes follows the stream as it comes, a second behind.
  static Process wavReader(const std::string& url, int seconds, const std::string& wav, Redirect err) {
    return Process({"ffmpeg", "-nostdin", "-loglevel", "error", "-analyzeduration", "1000000", "-i", url, "-vn", "-t",
                    std::to_string(seconds), "-ac", "1", "-ar", "16000", "-flush_packets", "1", "-f", "wav", wav},
                   ProcessOptions{Redirect::null(), err});
  }
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
  Process tone = toneInto(PulseServer::kSink);
  LivePusher pusher(micPush(PulseServer::kMonitor));
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

// RMS of each 250 ms window of the first channel, dBFS.
std::vector<double> windowLevels(const WavData& w) {
  std::vector<double> db;
  const size_t win = size_t(w.rate) / 4, frames = w.channels ? w.samples.size() / size_t(w.channels) : 0;
  for (size_t at = 0; win && at + win <= frames; at += win) {
    double sum = 0;
    for (size_t i = 0; i < win; ++i) {
      const double x = w.samples[(at + i) * size_t(w.channels)] / 32768.0;
      sum += x * x;
    }
    db.push_back(10 * std::log10(sum / double(win) + 1e-12));
  }
  return db;
}

// What a reader heard, per 250 ms window: the tone (above -40 dBFS), then a silence (below -60 dBFS), then the
// tone again.
struct ToneGap {
  bool loudFirst = false, loudAgain = false;
  size_t quietWindows = 0, windows = 0;
  std::string levels;  // every window's level, for the failure message and the log
};
ToneGap toneGap(const std::vector<double>& db) {
  ToneGap g;
  for (double d : db) g.levels += std::to_string(int(d)) + " ";
  g.windows = db.size();
  size_t i = 0;
  while (i < db.size() && db[i] < -40) ++i;
  g.loudFirst = i < db.size();
  while (i < db.size() && db[i] >= -40) ++i;
  const size_t quietFrom = i;
  while (i < db.size() && db[i] < -60) ++i;
  g.quietWindows = i - quietFrom;
  while (i < db.size() && db[i] < -40) ++i;
  g.loudAgain = i < db.size();
  return g;
}

TEST_F(DevicesPulse, SwitchingMicrophonesWhilePushingKeepsTheConnectionAndTheReaderDecoding) {
  std::string why;
  OPENLIVE_NEED(haveFfmpegCli(&why), why);
  auto server = startNginxRtmp(&why);
  ASSERT_TRUE(server) << why;
  Process tone = toneInto(PulseServer::kSink);  // the second sink stays silent
  LivePusher pusher(micPush(PulseServer::kMonitor));
  PushEventLog log;
  log.attach(pusher);
  const std::string url = server->rtmpUrl("switch");
  ASSERT_TRUE(pusher.start(url));
  ASSERT_TRUE(log.waitFor(EventCode::PUSH_EVT_PUSH_BEGIN, 15s)) << log.describe();
  ASSERT_TRUE(soundOnTheWire(log));  // a reader that probes for 1 s must see the audio track
  // One reader throughout: 10 s of the stream's sound, 16 kHz mono, into a WAV file as it decodes.
  TempDir dir("mic-switch");
  const std::string wav = (dir.path() / "heard.wav").string();
  Process reader = wavReader(url, 10, wav, Redirect::null());
  auto heardSeconds = [&] {
    std::error_code ec;
    const auto size = std::filesystem::file_size(wav, ec);
    return ec || size < 44 ? 0.0 : double(size - 44) / (16000 * 2);
  };
  // The scenario, once the reader writes sound: 2 s more of the tone, 3 s of the silent microphone, then the
  // tone again (the sleeps are the scenario's durations, not synchronisation).
  ASSERT_TRUE(waitUntil([&] { return heardSeconds() >= 0.5; }, 15s));
  std::this_thread::sleep_for(2s);
  Result toSilent = pusher.switchMicrophone(std::string("pulse:") + PulseServer::kMonitor2);
  ASSERT_TRUE(toSilent) << toSilent.message;
  Result bad = pusher.switchMicrophone("pulse:no-such-source");  // refused; the current microphone keeps going
  EXPECT_EQ(bad.code, ResultCode::Failed);
  EXPECT_EQ(bad.event, EventCode::PUSH_ERR_OPEN_MIC_FAIL);
  std::this_thread::sleep_for(3s);
  ASSERT_TRUE(pusher.switchMicrophone(std::string("pulse:") + PulseServer::kMonitor));
  ASSERT_TRUE(reader.wait(20s).has_value());
  // loud (the tone), then at least 2 s quiet, then loud again: the reader decoded through both switches.
  const ToneGap gap = toneGap(windowLevels(readWav(wav)));
  const std::string& levels = gap.levels;
  EXPECT_TRUE(gap.loudFirst) << levels;
  EXPECT_GE(gap.quietWindows, 8u) << levels;
  EXPECT_TRUE(gap.loudAgain) << "the tone did not come back: " << levels;
  EXPECT_GE(gap.windows, 36u) << "the reader stopped early: " << levels;
  EXPECT_EQ(log.count(EventCode::PUSH_WARNING_RECONNECT), 0) << log.describe();
  EXPECT_EQ(log.count(EventCode::PUSH_EVT_CONNECT_SUCC), 1) << log.describe();
  std::printf("[devices] levels per 250 ms (dBFS): %s\n", levels.c_str());
  pusher.stop();
}

// The microphone goes away while pushing (its PulseAudio source is removed, as when a USB microphone is
// unplugged) and comes back: 3401, the stream goes on with silence on the same connection, and once the source
// is there again the SDK captures from it (3402) without the app doing anything. The reader records 14 s: a
// null sink's monitor hands a new recording its first sound up to 2 s late (the sink's 2 s block is running).
TEST_F(DevicesPulse, AMicrophoneThatGoesAwayIsSilenceUntilItComesBackOnTheSameConnection) {
  std::string why;
  OPENLIVE_NEED(haveFfmpegCli(&why), why);
  auto server = startNginxRtmp(&why);
  ASSERT_TRUE(server) << why;
  std::optional<Process> tone(toneInto(PulseServer::kSink));
  LivePusher pusher(micPush(PulseServer::kMonitor));
  PushEventLog log;
  log.attach(pusher);
  const std::string url = server->rtmpUrl("unplug");
  ASSERT_TRUE(pusher.start(url));
  ASSERT_TRUE(log.waitFor(EventCode::PUSH_EVT_PUSH_BEGIN, 15s)) << log.describe();
  ASSERT_TRUE(soundOnTheWire(log));  // a reader that probes for 1 s must see the audio track
  TempDir dir("mic-unplug");
  const std::string wav = (dir.path() / "heard.wav").string();
  Process reader = wavReader(url, 14, wav, Redirect::file((dir.path() / "reader.log").string()));
  ASSERT_TRUE(waitUntil(
      [&] {
        std::error_code ec;
        const auto size = std::filesystem::file_size(wav, ec);
        return !ec && size > 44 + 16000;  // half a second written
      },
      15s));
  std::this_thread::sleep_for(2s);  // the scenario: 2 s of the tone, the microphone gone, then back
  ASSERT_TRUE(pulse->removeSink(PulseServer::kSink, &why)) << why;
  ASSERT_TRUE(log.waitFor(EventCode::PUSH_WARNING_MIC_LOST, 5s)) << log.describe();
  tone.reset();
  std::this_thread::sleep_for(2500ms);  // gone for a while: retries fail meanwhile
  ASSERT_TRUE(pulse->addSink(PulseServer::kSink, &why)) << why;
  tone.emplace(toneInto(PulseServer::kSink));
  ASSERT_TRUE(log.waitFor(EventCode::PUSH_EVT_MIC_AVAILABLE, 5s)) << log.describe();
  ASSERT_TRUE(reader.wait(20s).has_value());
  std::ifstream readerIn(dir.path() / "reader.log");
  const std::string readerLog((std::istreambuf_iterator<char>(readerIn)), std::istreambuf_iterator<char>());
  // loud (the tone), then at least 1.5 s of silence, then loud again: one reader decoded it all.
  const ToneGap gap = toneGap(windowLevels(readWav(wav)));
  const std::string& levels = gap.levels;
  EXPECT_TRUE(gap.loudFirst) << levels;
  EXPECT_GE(gap.quietWindows, 6u) << levels;
  EXPECT_TRUE(gap.loudAgain) << "the tone did not come back: " << levels;
  EXPECT_GE(gap.windows, 52u) << "the reader stopped early: " << levels << "\n" << readerLog;
  EXPECT_EQ(log.count(EventCode::PUSH_WARNING_RECONNECT), 0) << log.describe();
  EXPECT_EQ(log.count(EventCode::PUSH_EVT_CONNECT_SUCC), 1) << log.describe();
  EXPECT_EQ(log.count(EventCode::PUSH_ERR_OPEN_MIC_FAIL), 0) << log.describe();
  EXPECT_TRUE(pusher.isActive());
  std::printf("[devices] unplug levels per 250 ms (dBFS): %s\n", levels.c_str());
  pusher.stop();
}

TEST_F(DevicesPulse, ThePlayerPlaysOnTheSpeakerChosenByIdAtItsVolume) {
  std::string why;
  OPENLIVE_NEED(haveFfmpegCli(&why), why);
  setenv("SDL_AUDIODRIVER", "pulseaudio", 1);  // SDL's PulseAudio backend, on the test's server
  auto server = startNginxRtmp(&why);
  ASSERT_TRUE(server) << why;
  const std::string url = server->rtmpUrl("speaker");
  Process publisher({"ffmpeg", "-nostdin", "-loglevel", "error", "-re", "-f", "lavfi", "-i",
                     "sine=frequency=1000:sample_rate=48000", "-c:a", "aac", "-f", "flv", url},
                    ProcessOptions{Redirect::null(), Redirect::null()});
  std::vector<DeviceInfo> speakers;
  ASSERT_TRUE(listDevices(DeviceKind::Speaker, &speakers));
  const std::string chosen = std::string("pulse:") + PulseServer::kSink2;  // not the default sink
  ASSERT_NE(findId(speakers, chosen), nullptr) << ids(speakers);
  PlayConfig pc;
  pc.video.kind = VideoOutput::Kind::None;
  pc.audio = {AudioOutput::Kind::Device, chosen};
  LivePlayer player(pc);
  ASSERT_TRUE(player.start(url, PlayType::Rtc));
  ProcessOptions po;
  po.env = pulse->env();
  auto level = [&](const char* monitor) {
    std::string err;
    // 20 ms fragments: the server's default hands a monitor's sound over seconds late.
    const double db = meanVolumeOf({"-f", "pulse", "-fragment_size", "3840", "-i", monitor}, &err, 2, po);
    return db;
  };
  ASSERT_TRUE(waitUntil([&] { return level(PulseServer::kMonitor2) > -35; }, 20s)) << "no sound on the chosen speaker";
  const double chosenFull = level(PulseServer::kMonitor2), other = level(PulseServer::kMonitor);
  EXPECT_LT(other, -60) << "sound on the default speaker too";
  player.setVolume(10);  // -20 dB
  // The null sink and its monitor buffer up to ~2 s (measured: the first 2 s window after the change still
  // held the old level, the next one is 20 dB down): judge the second window.
  (void)level(PulseServer::kMonitor2);
  const double chosenTenth = level(PulseServer::kMonitor2);
  EXPECT_LT(chosenTenth, chosenFull - 14) << chosenFull << " -> " << chosenTenth;
  std::printf("[devices] speaker %s: %.1f dB at volume 100, %.1f dB at 10; default speaker %.1f dB\n",
              chosen.c_str(), chosenFull, chosenTenth, other);
  player.stop();
  unsetenv("SDL_AUDIODRIVER");
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

TEST(Devices, SwitchingTheCameraOfAStreamWithoutOneIsWrongSourceAndTheStreamGoesOn) {
  std::string why;
  auto server = startNginxRtmp(&why);
  ASSERT_TRUE(server) << why;
  PushConfig c = smallRtcPush(15, 300ms, 0);  // the test pattern and a tone
  LivePusher pusher(c);
  PushEventLog log;
  log.attach(pusher);
  ASSERT_TRUE(pusher.start(server->rtmpUrl("nocamswitch")));
  ASSERT_TRUE(log.waitFor(EventCode::PUSH_EVT_PUSH_BEGIN, 15s)) << log.describe();
  EXPECT_EQ(pusher.switchCamera("v4l2:/dev/video0").code, ResultCode::WrongSource);
  EXPECT_EQ(pusher.switchMicrophone("pulse:anything").code, ResultCode::WrongSource);
  EXPECT_TRUE(pusher.isPublished());
  pusher.stop();
  // Not pushing: a camera configuration takes the id for its next start().
  PushConfig cam = c;
  cam.video = {VideoSourceType::Camera, "/dev/video0"};
  LivePusher idle(cam);
  EXPECT_TRUE(idle.switchCamera("v4l2:/dev/video7"));
  EXPECT_EQ(idle.config().video.path, "v4l2:/dev/video7");
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
