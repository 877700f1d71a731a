// openlive-mixer from outside: three streams published by the ffmpeg CLI (flat grey levels, a tone each) to
// nginx-rtmp are composed with the reference mobile co-anchor layout (rooms.md section 5: canvas 540x960, co-anchors
// 160x240 at x = 380, y = 630 / 390); the ffmpeg CLI reads the mix back. Each window shows its input's level, the
// canvas is 540x960, the mix has sound; a stalled input's window turns to the placeholder while the others
// go on; bad mergeParams are refused with their code.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

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

namespace openlive::test {
namespace {

using namespace std::chrono_literals;
constexpr int kW = 540, kH = 960;

std::string readFile(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

nlohmann::json input(const std::string& id, int layer, int x, int y, int w, int h) {
  return {{"input_stream_id", id},
          {"layout_params",
           {{"image_layer", layer}, {"image_width", w}, {"image_height", h}, {"location_x", x}, {"location_y", y}}}};
}

std::string mergeParams(const nlohmann::json& list) {
  return nlohmann::json{{"timestamp", 1},
                        {"eventId", 1},
                        {"interface",
                         {{"interfaceName", "Mix_StreamV2"},
                          {"para", {{"output_stream_id", "mix"}, {"input_stream_list", list}}}}}}
      .dump();
}

// An outside publisher: a flat picture of grey level `rgb` ("0xC0C0C0") with a tone, x264 + AAC 44.1 kHz.
Process publisher(const std::string& url, const std::string& rgb, const std::string& size, int toneHz) {
  return Process({"ffmpeg", "-nostdin", "-loglevel", "error", "-re", "-f", "lavfi", "-i",
                  "color=c=" + rgb + ":s=" + size + ":r=15", "-f", "lavfi", "-i",
                  "sine=frequency=" + std::to_string(toneHz) + ":sample_rate=44100", "-c:v", "libx264", "-preset",
                  "veryfast", "-tune", "zerolatency", "-g", "15", "-pix_fmt", "yuv420p", "-c:a", "aac", "-f", "flv",
                  url},
                 {Redirect::null(), Redirect::null()});
}

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

struct Mixer {
  Process proc;
  std::filesystem::path log;
  bool waitReady() {
    return waitUntil([&] { return readFile(log).find("{\"type\":\"ready\"}") != std::string::npos || !proc.running(); },
                     20s, 50ms) &&
           proc.running();
  }
};

Mixer startMixer(const MediaServer& server, const std::string& layout, const std::filesystem::path& dir) {
  const std::string bin = samplePath("openlive-mixer");
  if (bin.empty()) throw std::runtime_error("openlive-mixer is not built");
  Mixer m;
  m.log = dir / "mixer.log";
  ProcessOptions po;
  po.out = Redirect::file(m.log.string());
  po.err = Redirect::file(m.log.string());
  m.proc = Process({bin, "--output", server.rtmpUrl("mix"), "--input", "a=" + server.rtmpUrl("a"), "--input",
                    "c1=" + server.rtmpUrl("c1"), "--input", "c2=" + server.rtmpUrl("c2"), "--merge-params", layout,
                    "--placeholder-after", "1", "--json"},
                   po);
  return m;
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
  Mixer mixer = startMixer(*server, layout, dir.path());
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
  auto vol = runCommand({"ffmpeg", "-nostdin", "-i", server->rtmpUrl("mix"), "-vn", "-t", "2", "-af", "volumedetect",
                         "-f", "null", "-"},
                        30s);
  std::smatch m;
  ASSERT_TRUE(std::regex_search(vol.err, m, std::regex(R"(mean_volume: (-?[0-9.]+) dB)"))) << vol.err;
  std::printf("[mixer] mean volume of the mix %s dB\n", m[1].str().c_str());
  EXPECT_GT(std::stod(m[1].str()), -30.0) << "the mix is (nearly) silent";
  EXPECT_NE(vol.err.find("48000 Hz, stereo"), std::string::npos) << vol.err;

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

  mixer.proc.signal(SIGTERM);
  auto rc = mixer.proc.wait(10s);
  ASSERT_TRUE(rc);
  EXPECT_EQ(*rc, 0) << readFile(mixer.log);
  const std::string out = readFile(mixer.log);
  EXPECT_NE(out.find("\"type\":\"stats\""), std::string::npos) << out;
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

}  // namespace openlive::test
