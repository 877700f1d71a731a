// Our stream as an independent reader sees it (ffprobe through nginx-rtmp, from the first packet): in every
// mode audio and video leave interleaved by timestamp whatever the encoder delay (B-frames, lookahead), the
// media starts at an IDR and decode timestamps never go back within a track (issue 10 item 6).
#include <algorithm>
#include <cmath>
#include <map>

#include "fixtures/require.h"
#include "pusher_test_util.h"

namespace openlive::test {
namespace {

struct Interleave {
  size_t packets = 0;
  double medianMs = 0, maxMs = 0;
  size_t maxAt = 0;  // index in the read order
};

std::string around(const std::vector<std::pair<bool, double>>& order, size_t at) {
  std::string s;
  for (size_t i = at > 8 ? at - 8 : 0; i < std::min(order.size(), at + 4); ++i)
    s += std::string(" ") + (order[i].first ? "V" : "A") + std::to_string(std::lround(order[i].second * 1000));
  return s;
}

// |dts - dts of the last packet of the other track| for every packet after both tracks started, in read
// (= send) order.
Interleave measure(const std::vector<std::pair<bool, double>>& order) {
  std::vector<double> d;
  double last[2] = {NAN, NAN};
  Interleave r;
  for (size_t i = 0; i < order.size(); ++i) {
    const auto& [video, dts] = order[i];
    const int t = video ? 1 : 0;
    if (!std::isnan(last[1 - t])) {
      d.push_back(std::abs(dts - last[1 - t]) * 1000);
      if (d.back() > r.maxMs) r.maxMs = d.back(), r.maxAt = i;
    }
    last[t] = dts;
  }
  r.packets = d.size();
  if (d.empty()) return r;
  std::sort(d.begin(), d.end());
  r.medianMs = d[d.size() / 2];
  return r;
}

// The modes' frame rates (include/openlive/live_pusher.h).
double modeFps(PushMode m) { return m == PushMode::HD ? 24 : m == PushMode::FHD ? 30 : 15; }

class PusherInterleave : public ::testing::TestWithParam<PushMode> {};

TEST_P(PusherInterleave, TracksLeaveWithinAFrameOfEachOther) {
  std::string skip;
  auto server = startServerOrSkip(false, &skip);
  OPENLIVE_NEED(server, skip);
  OPENLIVE_NEED(haveFfmpegCli(&skip), skip);
  const std::string name = "il" + std::string(toString(GetParam()));
  TempDir dir("ol-interleave");
  LiveProbe probe(server->rtmpUrl(name), dir.path(), name);
  ASSERT_TRUE(probe.ready());

  PushConfig cfg;
  cfg.mode = GetParam();
  cfg.autoAdjust = AutoAdjust::None;
  PushEventLog log;
  LivePusher pusher(cfg);
  log.attach(pusher);
  ASSERT_TRUE(pusher.start(server->rtmpUrl(name)));
  ASSERT_TRUE(log.waitFor(EventCode::PUSH_EVT_PUSH_BEGIN, 10s)) << log.describe();
  // 5 s of media: several times the largest encoder delay (SD: ~1.1 s).
  ASSERT_FALSE(log.waitFor(EventCode::PUSH_ERR_NET_DISCONNECT, 5s)) << log.describe();
  pusher.stop();
  nlohmann::json r = probe.finish();
  ASSERT_TRUE(r.is_object() && r.contains("streams") && r.contains("packets")) << r.dump().substr(0, 500);

  std::map<int, bool> isVideo;
  for (const auto& st : r["streams"]) isVideo[st.value("index", -1)] = st.value("codec_type", "") == "video";
  std::vector<std::pair<bool, double>> order;
  double lastDts[2] = {-1e9, -1e9};
  for (const auto& p : r["packets"]) {
    if (!p.contains("dts_time")) continue;
    const bool video = isVideo[p.value("stream_index", -1)];
    const double dts = std::stod(p["dts_time"].get<std::string>());
    if (order.empty()) {
      EXPECT_TRUE(video) << "the media starts with audio";
      EXPECT_NE(p.value("flags", "").find('K'), std::string::npos) << "the media does not start at an IDR";
    }
    EXPECT_GE(dts, lastDts[video ? 1 : 0]) << "dts went back on the " << (video ? "video" : "audio") << " track";
    lastDts[video ? 1 : 0] = dts;
    order.emplace_back(video, dts);
  }
  const Interleave il = measure(order);
  const double frameMs = 1000.0 / modeFps(cfg.mode);
  ASSERT_GT(il.packets, 100u);
  EXPECT_LE(il.medianMs, frameMs) << "median |audio - video| in send order";
  EXPECT_LE(il.maxMs, 250.0) << "largest |audio - video| in send order, at packet " << il.maxAt << ":"
                             << around(order, il.maxAt);
  std::printf("[ interleave ] %s: %zu packets, median %.0f ms, max %.0f ms (frame %.0f ms) at %s\n",
              std::string(toString(GetParam())).c_str(), il.packets, il.medianMs, il.maxMs, frameMs, around(order, il.maxAt).c_str());
}

INSTANTIATE_TEST_SUITE_P(AllModes, PusherInterleave,
                         ::testing::Values(PushMode::SD, PushMode::HD, PushMode::FHD, PushMode::RTC),
                         [](const auto& info) { return std::string(toString(info.param)); });

}  // namespace
}  // namespace openlive::test
