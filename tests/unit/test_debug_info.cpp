// DebugInfo: the debug overlay's text, from the very NET_STATUS values and events the app gets.
#include "common/debug_info.h"

#include <gtest/gtest.h>

using openlive::ParamMap;
using openlive::detail::DebugInfo;
namespace net = openlive::net;

namespace {
std::string joined(const std::vector<std::string>& lines) {
  std::string all;
  for (const auto& l : lines) all += l + "\n";
  return all;
}
ParamMap playStatus() {
  return {{std::string(net::kVideoWidth), "1280"},     {std::string(net::kVideoHeight), "720"},
          {std::string(net::kVideoFps), "29.9"},       {std::string(net::kVideoBitrate), "2410"},
          {std::string(net::kAudioBitrate), "64"},     {std::string(net::kNetSpeed), "2474"},
          {std::string(net::kVideoCache), "980"},      {std::string(net::kAudioCache), "1010"},
          {std::string(net::kAudioCacheThreshold), "1.00"}, {std::string(net::kAudioPlaySpeed), "1.04"},
          {std::string(net::kNetJitter), "12"},        {std::string(net::kAvPlayInterval), "-8"},
          {std::string(net::kVideoDrop), "3"},         {std::string(net::kStallCount), "1"},
          {std::string(net::kStallMs), "420"},         {std::string(net::kCpuUsage), "11.5"},
          {std::string(net::kServerIp), "127.0.0.1:1935"}, {std::string(net::kPlayState), "Playing"}};
}
}  // namespace

TEST(DebugInfo, PlayLinesCarryTheNetStatusValues) {
  const std::string t = joined(DebugInfo::format(DebugInfo::Side::Play, playStatus(), {}));
  for (const char* want : {"1280x720", "29.9 fps", "Playing", "video 2410 kbps", "audio 64 kbps", "net 2474 kbps",
                           "cache video 980 / audio 1010 ms", "target 1.00 s", "speed 1.04", "jitter 12 ms",
                           "a/v -8 ms", "drops 3", "stalls 1 (420 ms)", "cpu 11.5 %", "server 127.0.0.1:1935"})
    EXPECT_NE(t.find(want), std::string::npos) << want << " not in:\n" << t;
  EXPECT_EQ(t.find("e2e"), std::string::npos) << "no E2E_LATENCY reported, none shown";
  ParamMap withLatency = playStatus();
  withLatency[std::string(net::kLatency)] = "640";
  EXPECT_NE(joined(DebugInfo::format(DebugInfo::Side::Play, withLatency, {})).find("e2e 640 ms"), std::string::npos);
}

TEST(DebugInfo, PushLinesAndMissingValues) {
  ParamMap s{{std::string(net::kVideoWidth), "640"}, {std::string(net::kVideoHeight), "360"},
             {std::string(net::kSetVideoBitrate), "900"}, {std::string(net::kCacheSize), "40"}};
  const std::string t = joined(DebugInfo::format(DebugInfo::Side::Push, s, {}));
  EXPECT_NE(t.find("PUSH  640x360  - fps"), std::string::npos) << t;  // absent values show as "-"
  EXPECT_NE(t.find("target 900 kbps"), std::string::npos) << t;
  EXPECT_NE(t.find("queue 40 ms"), std::string::npos) << t;
  EXPECT_NE(t.find("server -"), std::string::npos) << t;
}

TEST(DebugInfo, NothingReportedYet) {
  EXPECT_EQ(DebugInfo::format(DebugInfo::Side::Play, {}, {}), std::vector<std::string>{"PLAY  no statistics yet"});
  EXPECT_EQ(DebugInfo::format(DebugInfo::Side::Push, {}, {}), std::vector<std::string>{"PUSH  not pushing"});
}

TEST(DebugInfo, KeepsTheNewestEventsNewestFirstAndCountsChanges) {
  DebugInfo d(DebugInfo::Side::Play);
  const uint64_t v0 = d.version();
  d.onEvent(openlive::EventCode::PLAY_EVT_CONNECT_SUCC, 0);
  d.onEvent(openlive::EventCode::PLAY_EVT_RTMP_STREAM_BEGIN, 0);
  d.onEvent(openlive::EventCode::PLAY_EVT_RCV_FIRST_I_FRAME, 0);
  d.onEvent(openlive::EventCode::PLAY_EVT_PLAY_BEGIN, 0);
  EXPECT_EQ(d.version(), v0 + 4);
  const std::vector<std::string> lines = d.lines();
  ASSERT_EQ(lines.size(), 1 + DebugInfo::kEventLines);
  EXPECT_NE(lines[1].find("2004 PLAY_EVT_PLAY_BEGIN"), std::string::npos) << lines[1];
  EXPECT_NE(lines[3].find("2002 PLAY_EVT_RTMP_STREAM_BEGIN"), std::string::npos) << lines[3];
  EXPECT_EQ(joined(lines).find("2001"), std::string::npos) << "the oldest event was dropped";

  EXPECT_FALSE(d.shown());
  d.setShown(true);
  EXPECT_TRUE(d.shown());
  const uint64_t v1 = d.version();
  d.setShown(true);  // no change, no redraw
  EXPECT_EQ(d.version(), v1);
  d.toggleShown();
  EXPECT_FALSE(d.shown());
  d.onNetStatus(playStatus());
  EXPECT_NE(joined(d.lines()).find("1280x720"), std::string::npos);
  d.clearReports();
  EXPECT_EQ(d.lines(), std::vector<std::string>{"PLAY  no statistics yet"});
}

TEST(DebugInfo, ADrawingThreadGetsOnlyWhatChanged) {
  DebugInfo d(DebugInfo::Side::Push);
  DebugInfo::Cursor c;
  EXPECT_FALSE(d.changes(c)) << "hidden from the start: nothing to draw";
  d.onEvent(openlive::EventCode::PUSH_EVT_CONNECT_SUCC, 0);
  EXPECT_FALSE(d.changes(c)) << "a change while hidden: nothing to redraw";
  d.setShown(true);
  auto shown = d.changes(c);
  ASSERT_TRUE(shown);
  EXPECT_EQ(shown->front(), "PUSH  not pushing");
  EXPECT_FALSE(d.changes(c)) << "no change since";
  d.setShown(false);
  auto hidden = d.changes(c);
  ASSERT_TRUE(hidden);
  EXPECT_TRUE(hidden->empty()) << "hide it";
  EXPECT_FALSE(d.changes(c));
}
