// Issue 10 item 6: what our pusher sends plays everywhere. openlive-push (test pattern + tone) in every mode into
// nginx-rtmp, read by ffprobe, GStreamer, mpv, VLC and rtmpdump; the A/V interleave of what we send, measured in
// send order by rtmpdump started before the pusher.
#include <gtest/gtest.h>

#include <filesystem>
#include <iostream>

#include "fixtures/media_probe.h"
#include "fixtures/servers.h"
#include "fixtures/temp_dir.h"
#include "interop/peer_readers.h"
#include "interop/scenario.h"

using namespace openlive::test;
using namespace std::chrono_literals;

namespace {

constexpr double kPushSeconds = 13;
constexpr double kMaxMedianSkewMs = 100;  // |median(audio ts - video ts)| in send order
constexpr double kMaxSkewMs = 250;        // max |audio ts - video ts| in send order

void checkRecording(const std::string& mode, const std::string& path) {
  ProbeOptions po;
  po.packets = true;
  ProbeResult r = probeMedia(path, 20s, {}, po);
  ASSERT_TRUE(r.ok) << mode << ": ffprobe of rtmpdump's FLV: " << r.error;
  ASSERT_NE(r.video(), nullptr) << mode;
  ASSERT_NE(r.audio(), nullptr) << mode;
  EXPECT_GT(r.video()->packets, 30) << mode;
  EXPECT_GT(r.audio()->packets, 30) << mode;
  std::cout << "[interop] our pusher " << mode << " | rtmpdump: recorded FLV read by ffprobe: "
            << r.video()->codecName << " " << r.video()->width << "x" << r.video()->height << " "
            << r.video()->packets << " packets, " << r.audio()->codecName << " " << r.audio()->sampleRate << " Hz "
            << r.audio()->packets << " packets" << std::endl;
}

}  // namespace

class ReadBy : public ::testing::TestWithParam<std::string> {};

TEST_P(ReadBy, AllPlayers) {
  const std::string mode = GetParam();
  std::string why;
  const std::string push = samplePath("openlive-push");
  OPENLIVE_NEED(!push.empty() && std::filesystem::exists(push), "openlive-push not built");
  const std::string missing = missingPeerTools();
  OPENLIVE_NEED(missing.empty(), "not installed: " + missing + " (scripts/setup)");
  auto nginx = startNginxRtmp(&why);
  OPENLIVE_NEED(nginx, "nginx-rtmp: " + why);
  TempDir dir("ol-interop-push");
  const std::string url = nginx->rtmpUrl("ours" + mode);

  // rtmpdump from before the first byte: the FLV it writes is our send order.
  const std::string recording = (dir / "rtmpdump.flv").string();
  auto tap = FlvTap::rtmp(url, recording);
  ASSERT_TRUE(tap->waitUntilPlaying(10s)) << tap->log().text();

  ProcessOptions po;
  po.out = Redirect::pipe();
  po.err = Redirect::file((dir / "push.log").string());
  Process pusher({push, url, "--mode", mode, "--duration", std::to_string(int(kPushSeconds)), "--json"}, po);
  LineReader pushOut;
  pushOut.start(pusher.stdoutFd());
  ASSERT_TRUE(pushOut.waitForLine("\"code\":1002,", 15s)) << pushOut.text();

  // Everyone joins the running stream, as a viewer would.
  std::vector<std::unique_ptr<PeerReader>> readers;
  readers.push_back(startFfprobe(url, 6));
  readers.push_back(startGstreamer(url, 10));
  readers.push_back(startMpv(url, 90, 15));
  readers.push_back(startVlc(url, 7));
  for (auto& r : readers) {
    ReaderVerdict v = r->finish();
    std::cout << "[interop] our pusher " << mode << " | " << (v.ok ? "PASS " : "FAIL ") << v.name << ": " << v.detail
              << std::endl;
    EXPECT_TRUE(v.ok) << mode << " read by " << v.name << ": " << v.detail;
  }
  auto rc = pusher.wait(std::chrono::milliseconds(int64_t(kPushSeconds * 1000) + 20000));
  EXPECT_EQ(rc.value_or(-1), 0) << pushOut.text();
  tap->stop();

  const Interleave il = measureInterleave(tap->flv().tags());
  std::cout << "[interop] our pusher " << mode << " | send order (rtmpdump): " << il.describe() << "; "
            << tap->describe() << std::endl;
  EXPECT_GT(il.samples, 100u) << mode;
  EXPECT_LE(std::abs(il.medianMs), kMaxMedianSkewMs) << mode << ": " << il.describe();
  EXPECT_LE(il.maxAbsMs, kMaxSkewMs) << mode << ": " << il.describe();
  checkRecording(mode, recording);
}

INSTANTIATE_TEST_SUITE_P(OurPusherReadByOthers, ReadBy, ::testing::Values("SD", "HD", "FHD", "RTC"),
                         [](const auto& info) { return info.param; });
