// openlive-mixer from outside: three streams published by the ffmpeg CLI (flat grey levels, a tone each) to
// nginx-rtmp are composed with the reference mobile co-anchor layout (rooms.md section 5: canvas 540x960, co-anchors
// 160x240 at x = 380, y = 630 / 390); the ffmpeg CLI reads the mix back. Each window shows its input's level, the
// canvas is 540x960, the mix has sound; a stalled input's window turns to the placeholder while the others
// go on; bad mergeParams are refused with their code. Picture inputs show the image their picture_id names
// (--picture ID=PATH), the placeholder for an id no --picture names; an image that cannot be loaded is refused.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <regex>
#include <sstream>

#include "fixtures/media_probe.h"
#include "fixtures/process.h"
#include "fixtures/require.h"
#include "fixtures/servers.h"
#include "fixtures/temp_dir.h"
#include "fixtures/wait.h"
#include "integration/mixer_cli_helpers.h"

namespace openlive::test {
namespace {

using namespace std::chrono_literals;
using namespace mixer_cli;
constexpr int kW = 540, kH = 960;

// One picture of the mix as the ffmpeg CLI decodes it, `skip` pictures after it joined: its luma plane as coded
// (yuv420p, no range conversion).
std::string grabLuma(const std::string& url, int skip, std::string* err) {
  auto r = runCommand({"ffmpeg", "-nostdin", "-v", "error", "-i", url, "-an", "-vf",
                       "select=gte(n\\," + std::to_string(skip) + ")", "-frames:v", "1", "-f", "rawvideo", "-pix_fmt",
                       "yuv420p", "pipe:1"},
                      30s);
  *err = r.err;
  if (r.exitCode != 0 || r.out.size() != size_t(kW * kH * 3 / 2)) return {};
  return r.out.substr(0, size_t(kW * kH));
}

// Mean luma of a 20x20 square centred at (x, y).
int lumaAround(const std::string& gray, int x, int y) {
  long sum = 0;
  for (int r = y - 10; r < y + 10; ++r)
    for (int c = x - 10; c < x + 10; ++c) sum += uint8_t(gray[size_t(r) * kW + size_t(c)]);
  return int(sum / 400);
}

}  // namespace

TEST(MixerCli, ComposesOutsidePublishersIntoTheMobileLayoutAndShowsThePlaceholderForAStalledInput) {
  std::string why;
  auto server = startNginxRtmp(&why);
  OPENLIVE_NEED(server, why);
  OPENLIVE_NEED(haveFfmpegCli(&why), why);
  TempDir dir("ol-mixer");
  // Levels far apart and from the placeholder (Y 96) and the canvas (Y 16): anchor ~181, c1 ~43, c2 235.
  Process a = publisher(server->rtmpUrl("a"), "0xC0C0C0", "320x480", 440);
  Process c1 = publisher(server->rtmpUrl("c1"), "0x202020", "320x480", 660);
  Process c2 = publisher(server->rtmpUrl("c2"), "0xFFFFFF", "320x480", 880);
  for (const char* s : {"a", "c1", "c2"}) ASSERT_TRUE(server->waitForPublish(s, 15s)) << s;
  const std::string layout = mergeParams(
      {input("a", 1, 0, 0, kW, kH), input("c1", 2, 380, 630, 160, 240), input("c2", 3, 380, 390, 160, 240)});
  Mixer mixer = startMixer(*server, {"a", "c1", "c2"}, layout, dir.path(),
                           {"--placeholder-after", "1", "--audio-channels", "2"});
  ASSERT_TRUE(mixer.waitReady()) << readFile(mixer.log);

  // 2 s into the mix as ffmpeg reads it (15 fps): every input has had its first picture.
  std::string err;
  std::string gray = grabLuma(server->rtmpUrl("mix"), 30, &err);
  ASSERT_EQ(gray.size(), size_t(kW * kH)) << "not one 540x960 picture: " << err << "\n" << readFile(mixer.log);
  std::printf("[mixer] luma: anchor %d, co-anchor 1 %d, co-anchor 2 %d, empty slot %d\n", lumaAround(gray, 100, 100),
              lumaAround(gray, 460, 750), lumaAround(gray, 460, 510), lumaAround(gray, 460, 270));
  EXPECT_NEAR(lumaAround(gray, 100, 100), 181, 12) << "anchor (background)";
  EXPECT_NEAR(lumaAround(gray, 200, 800), 181, 12) << "anchor beside the co-anchors";
  EXPECT_NEAR(lumaAround(gray, 460, 750), 43, 12) << "co-anchor 1 at (380, 630)";
  EXPECT_NEAR(lumaAround(gray, 460, 510), 235, 12) << "co-anchor 2 at (380, 390)";
  EXPECT_NEAR(lumaAround(gray, 460, 270), 181, 12) << "no third co-anchor: the anchor";

  // The mix has sound: the three tones (ffmpeg's volumedetect over 2 s).
  const double withThree = meanVolume(server->rtmpUrl("mix"), &err);
  std::printf("[mixer] mean volume of the mix %.1f dB\n", withThree);
  EXPECT_GT(withThree, -30.0) << "the mix is (nearly) silent: " << err;
  EXPECT_NE(err.find("48000 Hz, stereo"), std::string::npos) << "--audio-channels 2: " << err;

  // Co-anchor 2 stops publishing: 1 s later its window shows the placeholder; the others go on.
  c2.kill();
  gray = grabLuma(server->rtmpUrl("mix"), 45, &err);  // 3 s after the reader joined
  ASSERT_EQ(gray.size(), size_t(kW * kH)) << err;
  std::printf("[mixer] after co-anchor 2 left: its window %d, co-anchor 1 %d, anchor %d\n", lumaAround(gray, 460, 510),
              lumaAround(gray, 460, 750), lumaAround(gray, 100, 100));
  EXPECT_NEAR(lumaAround(gray, 460, 510), 96, 12) << "a stalled input's window shows the placeholder";
  EXPECT_NEAR(lumaAround(gray, 460, 750), 43, 12);
  EXPECT_NEAR(lumaAround(gray, 100, 100), 181, 12);
  EXPECT_TRUE(mixer.proc.running()) << "an input that left must not end the mix";
  // The anchor's and co-anchor 1's tones go on: two of the three tones, about 1.8 dB less, not silence.
  const double withTwo = meanVolume(server->rtmpUrl("mix"), &err);
  std::printf("[mixer] mean volume after co-anchor 2 left %.1f dB\n", withTwo);
  EXPECT_GT(withTwo, withThree - 6) << err;

  mixer.proc.signal(SIGTERM);
  auto rc = mixer.proc.wait(10s);
  ASSERT_TRUE(rc);
  EXPECT_EQ(*rc, 0) << readFile(mixer.log);
  const std::string out = readFile(mixer.log);
  EXPECT_NE(out.find("\"type\":\"stats\""), std::string::npos) << out;
}

// A reader that stays connected to the mix the whole time (the ffmpeg CLI, pictures scaled down 5x to 108x192
// raw yuv420p in a file): layouts change under it, it never reconnects.
struct MixWatcher {
  static constexpr int kSw = kW / 5, kSh = kH / 5, kFrameBytes = kSw * kSh * 3 / 2;
  std::filesystem::path file;
  Process proc;
  MixWatcher(const std::string& url, std::filesystem::path f) : file(std::move(f)) {
    proc = Process({"ffmpeg", "-nostdin", "-v", "error", "-i", url, "-an", "-vf",
                    "scale=" + std::to_string(kSw) + ":" + std::to_string(kSh), "-f", "rawvideo", "-pix_fmt",
                    "yuv420p", file.string()},
                   {Redirect::null(), Redirect::null()});
  }
  int frames() const {
    std::error_code ec;
    auto n = std::filesystem::file_size(file, ec);
    return ec ? 0 : int(n / kFrameBytes);
  }
  // Waits for `more` pictures after the current one; then the luma around canvas point (x, y) in the newest.
  std::optional<int> lumaAfter(int more, int x, int y) {
    const int target = frames() + more;
    if (!waitUntil([&] { return frames() >= target; }, 20s, 50ms)) return std::nullopt;
    std::ifstream in(file, std::ios::binary);
    std::string frame(size_t(kSw * kSh), '\0');
    in.seekg(std::streamoff(frames() - 1) * kFrameBytes);
    in.read(frame.data(), std::streamsize(frame.size()));
    long sum = 0;
    for (int r = y / 5 - 2; r < y / 5 + 2; ++r)
      for (int c = x / 5 - 2; c < x / 5 + 2; ++c) sum += uint8_t(frame[size_t(r) * kSw + size_t(c)]);
    return int(sum / 16);
  }
};

TEST(MixerCli, LayoutUpdatesAddAndRemoveACoAnchorUnderAConnectedReader) {
  std::string why;
  auto server = startNginxRtmp(&why);
  OPENLIVE_NEED(server, why);
  OPENLIVE_NEED(haveFfmpegCli(&why), why);
  TempDir dir("ol-mixer-upd");
  Process a = publisher(server->rtmpUrl("a"), "0xC0C0C0", "320x480", 440);
  Process c1 = publisher(server->rtmpUrl("c1"), "0x202020", "320x480", 660);
  for (const char* s : {"a", "c1"}) ASSERT_TRUE(server->waitForPublish(s, 15s)) << s;
  const auto fifo = dir / "layouts";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  const std::string alone = mergeParams({input("a", 1, 0, 0, kW, kH)});
  Mixer mixer = startMixer(*server, {"a"}, alone, dir.path(), {"--layout-updates", fifo.string()});
  const auto& log = mixer.log;
  ASSERT_TRUE(mixer.waitReady()) << readFile(log);
  const int writer = open(fifo.c_str(), O_WRONLY | O_CLOEXEC);  // the mixer holds it open: does not block
  ASSERT_GE(writer, 0);
  auto send = [&](const std::string& line) {
    const std::string l = line + "\n";
    return write(writer, l.data(), l.size()) == ssize_t(l.size());
  };
  MixWatcher watcher(server->rtmpUrl("mix"), dir / "mix.yuv");
  EXPECT_NEAR(watcher.lumaAfter(15, 460, 750).value_or(-1), 181, 12) << "the anchor alone" << readFile(log);

  // A co-anchor joins: its URL comes with the layout.
  nlohmann::json join = {{"inputs", {{"c1", server->rtmpUrl("c1")}}},
                         {"mergeParams", nlohmann::json::parse(mergeParams(
                                             {input("a", 1, 0, 0, kW, kH), input("c1", 2, 380, 630, 160, 240)}))}};
  ASSERT_TRUE(send(join.dump()));
  ASSERT_TRUE(waitUntil([&] { return readFile(log).find("\"type\":\"layout\"}") != std::string::npos; }, 10s, 50ms))
      << readFile(log);
  EXPECT_TRUE(waitUntil([&] { return watcher.lumaAfter(1, 460, 750).value_or(-1) < 60; }, 15s, 10ms))
      << "co-anchor 1 never showed in its window\n" << readFile(log);
  EXPECT_NEAR(watcher.lumaAfter(1, 100, 100).value_or(-1), 181, 12);

  // A bad layout is refused; the mix goes on with the one before.
  ASSERT_TRUE(send(mergeParams({input("a", 1, 0, 0, kW, kH), input("c1", 2, 500, 630, 160, 240)})));
  ASSERT_TRUE(waitUntil([&] { return readFile(log).find("layout_refused") != std::string::npos; }, 10s, 50ms));
  EXPECT_NE(readFile(log).find("code 8"), std::string::npos) << readFile(log);
  EXPECT_NEAR(watcher.lumaAfter(15, 460, 750).value_or(-1), 43, 12) << "the running layout stays";

  // The co-anchor leaves: the anchor fills the canvas again.
  ASSERT_TRUE(send(alone));
  EXPECT_TRUE(waitUntil([&] { return watcher.lumaAfter(1, 460, 750).value_or(-1) > 160; }, 10s, 10ms))
      << readFile(log);
  EXPECT_TRUE(watcher.proc.running()) << "the reader of the mix was never disconnected";
  close(writer);
  mixer.proc.signal(SIGTERM);
  auto rc = mixer.proc.wait(10s);
  ASSERT_TRUE(rc);
  EXPECT_EQ(*rc, 0) << readFile(log);
  EXPECT_NE(readFile(log).find("\"layouts\":3"), std::string::npos) << readFile(log);
}

TEST(MixerCli, BadMergeParamsAreRefusedWithTheirCode) {
  const std::string bin = samplePath("openlive-mixer");
  ASSERT_FALSE(bin.empty()) << "openlive-mixer is not built";
  auto run = [&](const std::string& layout) {
    return runCommand({bin, "--output", "rtmp://127.0.0.1:1/live/mix", "--input", "a=rtmp://127.0.0.1:1/live/a",
                       "--merge-params", layout},
                      20s);
  };
  auto outside = run(mergeParams({input("a", 1, 0, 0, kW, kH), input("a", 2, 400, 0, 160, 240)}));
  EXPECT_EQ(outside.exitCode, 2);
  EXPECT_NE(outside.err.find("code 8"), std::string::npos) << outside.err;
  auto unknown = run(mergeParams({input("a", 1, 0, 0, kW, kH), input("zz", 2, 0, 0, 160, 240)}));
  EXPECT_EQ(unknown.exitCode, 2);
  EXPECT_NE(unknown.err.find("code 10"), std::string::npos) << unknown.err;
  auto notJson = run("{\"interface\":");
  EXPECT_EQ(notJson.exitCode, 2);
  EXPECT_NE(notJson.err.find("not valid JSON"), std::string::npos) << notJson.err;
  auto tooMany = run(mergeParams({input("a", 1, 0, 0, kW, kH), input("a", 2, 0, 0, 8, 8), input("a", 3, 0, 0, 8, 8),
                                  input("a", 4, 0, 0, 8, 8), input("a", 4, 0, 0, 8, 8)}));
  EXPECT_EQ(tooMany.exitCode, 2);
  EXPECT_NE(tooMany.err.find("code 3"), std::string::npos) << tooMany.err;
}

// Picture inputs (input_type 2): picture_id 7 is a PNG of grey 0x404040 (Y ~71) given with --picture, "99" is
// not given (the placeholder, Y 96); the anchor's stream is the background (Y ~181).
TEST(MixerCli, PictureInputsShowThePictureTheirPictureIdNames) {
  std::string why;
  auto server = startNginxRtmp(&why);
  OPENLIVE_NEED(server, why);
  OPENLIVE_NEED(haveFfmpegCli(&why), why);
  TempDir dir("ol-mixer-pic");
  const std::string png = (dir.path() / "seven.png").string();
  auto made = runCommand({"ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", "color=c=0x404040:s=200x300",
                          "-frames:v", "1", png},
                         30s);
  ASSERT_EQ(made.exitCode, 0) << made.err;
  Process a = publisher(server->rtmpUrl("a"), "0xC0C0C0", "320x480", 440);
  ASSERT_TRUE(server->waitForPublish("a", 15s));
  auto picture = [](int layer, int y, const nlohmann::json& id) {
    nlohmann::json in = input("picture" + std::to_string(layer), layer, 380, y, 160, 240);
    in["layout_params"]["input_type"] = 2;
    in["layout_params"]["picture_id"] = id;
    return in;
  };
  const std::string layout = mergeParams({input("a", 1, 0, 0, kW, kH), picture(2, 630, 7), picture(3, 390, "99")});
  Mixer mixer = startMixer(*server, {"a"}, layout, dir.path(), {"--picture", "7=" + png});
  ASSERT_TRUE(mixer.waitReady()) << readFile(mixer.log);
  std::string err;
  const std::string gray = grabLuma(server->rtmpUrl("mix"), 15, &err);
  ASSERT_EQ(gray.size(), size_t(kW * kH)) << err << "\n" << readFile(mixer.log);
  std::printf("[mixer] luma: anchor %d, picture 7 %d, picture 99 %d\n", lumaAround(gray, 100, 100),
              lumaAround(gray, 460, 750), lumaAround(gray, 460, 510));
  EXPECT_NEAR(lumaAround(gray, 100, 100), 181, 12) << "anchor (background)";
  EXPECT_NEAR(lumaAround(gray, 460, 750), 71, 12) << "picture_id 7 at (380, 630)";
  EXPECT_NEAR(lumaAround(gray, 460, 510), 96, 12) << "picture_id 99 (not given): the placeholder";
  EXPECT_NE(readFile(mixer.log).find("no --picture for picture_id 99"), std::string::npos) << readFile(mixer.log);
  // The main stream stops: the output goes on at its own rate (pictures are composed on the main stream's
  // arrival while it runs, on the tick without it), the background turning to the placeholder after 2 s.
  a.kill();
  const auto stalled = std::chrono::steady_clock::now();
  std::string afterMain;
  EXPECT_TRUE(waitUntil(
      [&] {
        afterMain = grabLuma(server->rtmpUrl("mix"), 15, &err);
        return afterMain.size() == size_t(kW * kH) && std::abs(lumaAround(afterMain, 100, 100) - 96) <= 12;
      },
      20s, 100ms))
      << "the mix did not go on without its main stream: " << err << "\n" << readFile(mixer.log);
  EXPECT_GT(std::chrono::steady_clock::now() - stalled, 2s) << "the last main picture is kept for 2 s";
  EXPECT_NEAR(lumaAround(afterMain, 460, 750), 71, 12) << "the picture input stays";
  mixer.proc.signal(SIGTERM);
  EXPECT_EQ(mixer.proc.wait(10s).value_or(-1), 0) << readFile(mixer.log);

  // An image that is not there, or not an image: refused at the start, with the file and why.
  const std::string bin = samplePath("openlive-mixer");
  for (const std::string& bad : {(dir.path() / "missing.png").string(), (dir.path() / "mixer.log").string()}) {
    auto r = runCommand({bin, "--output", server->rtmpUrl("mix2"), "--input", "a=" + server->rtmpUrl("a"),
                         "--merge-params", layout, "--picture", "7=" + bad},
                        20s);
    EXPECT_EQ(r.exitCode, 2) << bad;
    EXPECT_NE(r.err.find("--picture 7"), std::string::npos) << r.err;
  }
}

}  // namespace openlive::test
