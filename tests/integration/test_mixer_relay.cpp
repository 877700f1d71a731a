// openlive-mixer forwarding the anchor alone without re-encoding (issue 14, item 3), checked from outside. The
// anchor is the ffmpeg CLI with x264's usual settings (B-frames, a 2 s GOP, no zerolatency), the mix is read by
// the ffmpeg CLI:
// - alone, the mix's H.264 access units and AAC frames are the anchor's own, byte for byte: the MD5 of each
//   packet of the mix (ffmpeg -c copy -f framemd5) is found among the anchor's packets (the anchor's AAC is
//   48 kHz mono, the mixer's output configuration);
// - a co-anchor joins: the mix is composed (no packet is the anchor's, the canvas of the new layout) under the
//   same reader connection; it leaves: forwarded again;
// - `--no-relay` composes the anchor alone.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <set>

#include "fixtures/media_probe.h"
#include "fixtures/process.h"
#include "fixtures/require.h"
#include "fixtures/servers.h"
#include "fixtures/temp_dir.h"
#include "fixtures/wait.h"
#include "integration/mixer_cli_helpers.h"

namespace openlive::test::mixer_relay {
namespace {

using namespace std::chrono_literals;
using namespace mixer_cli;
constexpr int kW = 320, kH = 480;

// The anchor as most publishers send: x264 veryfast defaults (3 B-frames), GOP 30 at 15 fps; its AAC at the
// mixer's output configuration (48 kHz mono), so its sound is forwarded too.
Process bFramePublisher(const std::string& url) {
  return Process({"ffmpeg", "-nostdin", "-loglevel", "error", "-re", "-f", "lavfi", "-i",
                  "testsrc2=s=" + std::to_string(kW) + "x" + std::to_string(kH) + ":r=15", "-f", "lavfi", "-i",
                  "sine=frequency=440:sample_rate=48000", "-c:v", "libx264", "-preset", "veryfast", "-g", "30",
                  "-pix_fmt", "yuv420p", "-c:a", "aac", "-f", "flv", url},
                 {Redirect::null(), Redirect::null()});
}

// The MD5 of each video (OUT.v) and audio (OUT.a) packet the ffmpeg CLI reads from `url` in `seconds` of media
// (no decoding).
Process packetHashes(const std::string& url, const std::filesystem::path& out, int seconds) {
  const std::string t = std::to_string(seconds);
  return Process({"ffmpeg", "-nostdin", "-y", "-v", "error", "-i", url, "-map", "0:v", "-c", "copy", "-t", t, "-f",
                  "framemd5", out.string() + ".v", "-map", "0:a", "-c", "copy", "-t", t, "-f", "framemd5",
                  out.string() + ".a"},
                 {Redirect::null(), Redirect::null()});
}

std::vector<std::string> hashesIn(const std::filesystem::path& file) {
  std::vector<std::string> out;
  std::istringstream in(readFile(file));
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    out.push_back(line.substr(line.rfind(',') + 1));
  }
  return out;
}

// Packets of the mix that are the anchor's own, of all the mix's, read at the same time from both.
struct Shared {
  int video = 0, videoAll = 0, audio = 0, audioAll = 0;
};
Shared sharedPackets(const MediaServer& server, const std::string& mix, const std::filesystem::path& dir) {
  Process a = packetHashes(server.rtmpUrl("a"), dir / (mix + "-a.md5"), 5);
  Process m = packetHashes(server.rtmpUrl(mix), dir / (mix + ".md5"), 4);
  (void)m.wait(30s), (void)a.wait(30s);
  auto count = [&](const char* track, int& shared, int& all) {
    const auto anchor = hashesIn(dir / (mix + "-a.md5" + track));
    const std::set<std::string> own(anchor.begin(), anchor.end());
    for (const auto& h : hashesIn(dir / (mix + ".md5" + track))) ++all, shared += int(own.count(h));
  };
  Shared s;
  count(".v", s.video, s.videoAll);
  count(".a", s.audio, s.audioAll);
  return s;
}

std::pair<int, int> videoSize(const std::string& url) {
  ProbeOptions po;
  po.countPackets = false;
  po.readSeconds = 1;
  const ProbeResult r = probeMedia(url, 20s, {}, po);
  return r.ok && r.video() ? std::make_pair(r.video()->width, r.video()->height) : std::make_pair(0, 0);
}

bool logHas(const std::filesystem::path& log, const std::string& text, std::chrono::milliseconds within) {
  return waitUntil([&] { return readFile(log).find(text) != std::string::npos; }, within, 50ms);
}

}  // namespace

TEST(MixerRelay, TheAnchorAloneIsForwardedByteForByteAndComposedWhileACoAnchorIsIn) {
  std::string why;
  auto server = startNginxRtmp(&why);
  OPENLIVE_NEED(server, why);
  OPENLIVE_NEED(haveFfmpegCli(&why), why);
  TempDir dir("ol-mixer-relay");
  Process a = bFramePublisher(server->rtmpUrl("a"));
  Process c1 = publisher(server->rtmpUrl("c1"), "0x202020", "160x240", 660);
  for (const char* s : {"a", "c1"}) ASSERT_TRUE(server->waitForPublish(s, 15s)) << s;
  const auto fifo = dir / "layouts";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  const std::string alone = mergeParams({input("a", 1, 0, 0, kW, kH)});
  Mixer mixer = startMixer(*server, {"a"}, alone, dir.path(), {"--layout-updates", fifo.string()});
  ASSERT_TRUE(mixer.waitReady()) << readFile(mixer.log);
  std::filesystem::create_directories(dir / "plain");
  Mixer composing = startMixer(*server, {"a"}, alone, dir / "plain", {"--no-relay"}, "mix2");
  ASSERT_TRUE(composing.waitReady()) << readFile(composing.log);

  ASSERT_TRUE(logHas(mixer.log, R"({"forwarding":true,"type":"relay"})", 15s)) << readFile(mixer.log);
  // A reader connected through every switch below.
  Process reader({"ffmpeg", "-nostdin", "-v", "error", "-i", server->rtmpUrl("mix"), "-an", "-f", "null", "-"},
                 {Redirect::null(), Redirect::null()});
  const Shared forwarded = sharedPackets(*server, "mix", dir.path());
  EXPECT_GE(forwarded.videoAll, 25) << readFile(mixer.log);
  EXPECT_EQ(forwarded.video, forwarded.videoAll) << "alone, every picture of the mix is one of the anchor's";
  EXPECT_GE(forwarded.audioAll, 150) << readFile(mixer.log);
  // (the sound switches a frame or two after the pictures: a reader may see the mix's last frames)
  EXPECT_GE(forwarded.audio, forwarded.audioAll - 3) << "alone, the sound of the mix is the anchor's";
  const Shared composed = sharedPackets(*server, "mix2", dir.path());
  EXPECT_GE(composed.videoAll, 25);
  EXPECT_EQ(composed.video, 0) << "--no-relay encodes its own";
  EXPECT_GE(composed.audioAll, 150);
  EXPECT_EQ(composed.audio, 0) << "--no-relay mixes its own sound";

  // A co-anchor joins (a taller canvas: the anchor on top, the co-anchor below): composed.
  const int writer = open(fifo.c_str(), O_WRONLY | O_CLOEXEC);
  ASSERT_GE(writer, 0);
  auto send = [&](const std::string& line) {
    const std::string l = line + "\n";
    return write(writer, l.data(), l.size()) == ssize_t(l.size());
  };
  nlohmann::json mixed = nlohmann::json::parse(mergeParams({input("a", 1, 0, 0, kW, kH)}));
  auto& list = mixed["interface"]["para"]["input_stream_list"];
  list = nlohmann::json::array({{{"input_stream_id", "canvas"},
                                 {"layout_params",
                                  {{"image_layer", 1}, {"image_width", kW}, {"image_height", kH + 240}, {"input_type", 3}}}},
                                input("a", 2, 0, 0, kW, kH), input("c1", 3, 0, kH, 160, 240)});
  ASSERT_TRUE(send(nlohmann::json{{"inputs", {{"c1", server->rtmpUrl("c1")}}}, {"mergeParams", mixed}}.dump()));
  ASSERT_TRUE(logHas(mixer.log, R"({"forwarding":false,"type":"relay"})", 10s)) << readFile(mixer.log);
  EXPECT_EQ(videoSize(server->rtmpUrl("mix")), std::make_pair(kW, kH + 240)) << "the composed canvas";
  const Shared mixedIn = sharedPackets(*server, "mix", dir.path());
  EXPECT_GE(mixedIn.videoAll, 25);
  EXPECT_EQ(mixedIn.video, 0) << "with a co-anchor the mix is encoded";
  EXPECT_GE(mixedIn.audioAll, 150);
  EXPECT_EQ(mixedIn.audio, 0) << "with a co-anchor the sound is the mix";

  // It leaves: forwarded again, the reader still on its first connection.
  ASSERT_TRUE(send(alone));
  ASSERT_TRUE(waitUntil([&] {
    const std::string log = readFile(mixer.log);
    return log.rfind(R"({"forwarding":true,"type":"relay"})") > log.find(R"({"forwarding":false,"type":"relay"})");
  }, 15s, 50ms)) << readFile(mixer.log);
  EXPECT_EQ(videoSize(server->rtmpUrl("mix")), std::make_pair(kW, kH));
  EXPECT_TRUE(reader.running()) << "the reader of the mix was never disconnected";
  close(writer);
  for (Mixer* m : {&mixer, &composing}) {
    m->proc.signal(SIGTERM);
    auto rc = m->proc.wait(10s);
    ASSERT_TRUE(rc);
    EXPECT_EQ(*rc, 0) << readFile(m->log);
  }
  EXPECT_NE(readFile(mixer.log).find("\"relay_starts\":2"), std::string::npos) << readFile(mixer.log);
  EXPECT_NE(readFile(composing.log).find("\"audio_relayed\":0,"), std::string::npos) << "--no-relay forwards no sound";
  const std::string log = readFile(mixer.log);
  EXPECT_TRUE(log.find("\"audio_relayed\":") != std::string::npos && log.find("\"audio_relayed\":0,") == std::string::npos)
      << log;
  EXPECT_NE(readFile(composing.log).find("\"relay_starts\":0"), std::string::npos) << readFile(composing.log);
}

}  // namespace openlive::test::mixer_relay
