// Snapshots and local recording through the public API, against a real nginx-rtmp: the pusher records what it
// encodes, the player what it receives; every file is checked by ffprobe (an independent reader).
#include <openlive/live_player.h>
#include <openlive/live_pusher.h>

#include "fixtures/require.h"
#include "pusher_test_util.h"
#include "test_player_util.h"

#include <optional>

namespace openlive::test {
namespace {

PushConfig smallPush() { return smallRtcPush(15, 300ms, 20); }

std::optional<Event> lastOf(const std::vector<Event>& evs, EventCode code) {
  std::optional<Event> e;
  for (const auto& x : evs)
    if (x.code == code) e = x;
  return e;
}

int64_t param(const std::optional<Event>& e, std::string_view key) { return e ? std::atoll(e->get(key).c_str()) : -1; }

// Waits until `pred` holds over the player's events.
template <class Pred>
bool waitPlayerEvents(EventLog& log, std::chrono::milliseconds timeout, Pred pred) {
  return log.waitUntil(pred, timeout);
}

int countCode(const std::vector<Event>& evs, EventCode code) {
  return static_cast<int>(std::count_if(evs.begin(), evs.end(), [&](const Event& e) { return e.code == code; }));
}

}  // namespace

TEST(PusherRecording, SnapshotAndLocalRecordOfWhatIsEncoded) {
  std::string skip, why;
  OPENLIVE_NEED(haveFfmpegCli(&why), why);
  auto server = startServerOrSkip(false, &skip);
  OPENLIVE_NEED(server, skip);
  TempDir dir("ol-push-rec");
  PushEventLog log;
  LivePusher pusher(smallPush());
  log.attach(pusher);
  EXPECT_EQ(pusher.captureVideoSnapshot((dir / "early.jpg").string()).code, ResultCode::NotStarted);
  EXPECT_EQ(pusher.startLocalRecord((dir / "early.mp4").string()).code, ResultCode::NotStarted);
  ASSERT_TRUE(pusher.start(server->rtmpUrl("rec")));
  ASSERT_TRUE(log.waitFor(EventCode::PUSH_EVT_PUSH_BEGIN, 15s)) << log.describe();

  // Snapshot: the picture being encoded, at the encode size.
  const std::string snap = (dir / "p.jpg").string();
  ASSERT_EQ(pusher.captureVideoSnapshot(snap).code, ResultCode::Ok);
  ASSERT_TRUE(log.waitFor(EventCode::EVT_SNAPSHOT_RESULT, 5s)) << log.describe();
  auto s = lastOf(log.events(), EventCode::EVT_SNAPSHOT_RESULT);
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->get(evt::kParam1), "0") << s->message();
  EXPECT_EQ(s->get(evt::kParam2), "320x240");
  EXPECT_EQ(s->get(evt::kDescription), snap);
  auto img = probeMedia(snap);
  ASSERT_TRUE(img.ok) << img.error;
  ASSERT_NE(img.video(), nullptr);
  EXPECT_EQ(img.video()->codecName, "mjpeg");
  EXPECT_EQ(img.video()->width, 320);
  EXPECT_EQ(pusher.captureVideoSnapshot(snap).code, ResultCode::FileExists);
  EXPECT_EQ(pusher.captureVideoSnapshot((dir / "p.gif").string()).code, ResultCode::BadPath);

  // Recording: from an IDR requested at once, progress every second, the result on stopLocalRecord().
  const std::string rec = (dir / "p.mp4").string();
  const auto recStart = Clock::now();
  ASSERT_EQ(pusher.startLocalRecord(rec).code, ResultCode::Ok);
  EXPECT_TRUE(pusher.isRecording());
  EXPECT_EQ(pusher.startLocalRecord((dir / "other.mp4").string()).code, ResultCode::Busy);
  EXPECT_EQ(pusher.startLocalRecord((dir / "x.avi").string()).code, ResultCode::BadPath);
  EXPECT_EQ(pusher.startLocalRecord(snap).code, ResultCode::BadPath);  // .jpg is no recording type
  std::this_thread::sleep_for(3500ms);  // scenario: record 3.5 s
  pusher.stopLocalRecord();
  const auto recordedMs = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - recStart).count();
  EXPECT_FALSE(pusher.isRecording());
  ASSERT_TRUE(log.waitFor(EventCode::PUSH_EVT_LOCAL_RECORD_RESULT, 5s)) << log.describe();
  auto evs = log.events();
  EXPECT_GE(countCode(evs, EventCode::PUSH_EVT_LOCAL_RECORD_PROGRESS), 2);
  auto r = lastOf(evs, EventCode::PUSH_EVT_LOCAL_RECORD_RESULT);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->get(evt::kParam1), "0") << r->message();
  EXPECT_EQ(r->get(evt::kDescription), rec);
  const int64_t ms = param(r, evt::kParam2);
  EXPECT_GE(ms, 3000) << "the recording should start at the IDR asked for, not a GOP later";
  EXPECT_LE(ms, recordedMs + 200) << "more media than the " << recordedMs << " ms the recording was on";
  ProbeOptions po;
  po.packets = true;
  auto file = probeMedia(rec, 20s, {}, po);
  ASSERT_TRUE(file.ok) << file.error;
  ASSERT_NE(file.video(), nullptr);
  ASSERT_NE(file.audio(), nullptr);
  EXPECT_EQ(file.video()->codecName, "h264");
  EXPECT_EQ(file.video()->width, 320);
  EXPECT_EQ(file.video()->height, 240);
  EXPECT_EQ(file.audio()->codecName, "aac");
  EXPECT_NEAR(file.duration * 1000, static_cast<double>(ms), 200);
  EXPECT_NEAR(static_cast<double>(file.video()->packets), ms * 15 / 1000.0, 4);
  for (const auto& p : file.packets)
    if (p.streamIndex == file.video()->index) {
      EXPECT_TRUE(p.keyframe) << "the file must start at an IDR";
      break;
    }

  // A recording still running at stopPush(): the file is finished (readable), no callback after stopPush.
  const std::string tail = (dir / "tail.flv").string();
  const int progressBefore = log.count(EventCode::PUSH_EVT_LOCAL_RECORD_PROGRESS);
  ASSERT_EQ(pusher.startLocalRecord(tail).code, ResultCode::Ok);
  // One progress report (a second of media) from the new recording.
  ASSERT_TRUE(log.waitFor(EventCode::PUSH_EVT_LOCAL_RECORD_PROGRESS, 5s, progressBefore + 1)) << log.describe();
  const size_t before = log.eventCount();
  pusher.stop();
  std::this_thread::sleep_for(200ms);  // scenario: a window in which a late callback would show
  EXPECT_EQ(log.eventCount(), before);
  auto t = probeMedia(tail);
  ASSERT_TRUE(t.ok) << t.error;
  ASSERT_NE(t.video(), nullptr);
  EXPECT_GT(t.duration, 0.8);
}

TEST(PlayerRecording, SnapshotsAndRecordsTheReceivedStreamAcrossAReconnect) {
  std::string skip, why;
  OPENLIVE_NEED(haveFfmpegCli(&why), why);
  auto server = startServerOrSkip(false, &skip);
  OPENLIVE_NEED(server, skip);
  TempDir dir("ol-play-rec");
  PushEventLog plog;
  LivePusher pusher(smallPush());
  plog.attach(pusher);
  ASSERT_TRUE(pusher.start(server->rtmpUrl("prec")));
  ASSERT_TRUE(plog.waitFor(EventCode::PUSH_EVT_PUSH_BEGIN, 15s)) << plog.describe();

  PlayConfig pc;
  pc.video = {VideoOutput::Kind::None, ""};
  pc.audio = {AudioOutput::Kind::None, ""};
  pc.setCacheMode(CacheMode::Fast);
  pc.connectRetryCount = 10;
  pc.connectRetryInterval = std::chrono::milliseconds(500);
  EventLog log;
  LivePlayer player(pc);
  log.attach(player);
  EXPECT_EQ(player.captureVideoSnapshot((dir / "early.png").string()).code, ResultCode::NotStarted);
  ASSERT_TRUE(player.start(server->rtmpUrl("prec")));
  ASSERT_TRUE(log.waitFor(2004, 15s)) << log.dump();

  // Snapshot of the picture shown.
  const std::string snap = (dir / "shown.png").string();
  ASSERT_EQ(player.captureVideoSnapshot(snap).code, ResultCode::Ok);
  ASSERT_TRUE(log.waitFor(toInt(EventCode::EVT_SNAPSHOT_RESULT), 5s)) << log.dump();
  auto s = lastOf(log.events(), EventCode::EVT_SNAPSHOT_RESULT);
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->get(evt::kParam1), "0") << s->message();
  EXPECT_EQ(s->get(evt::kParam2), "320x240");
  auto img = probeMedia(snap);
  ASSERT_TRUE(img.ok) << img.error;
  ASSERT_NE(img.video(), nullptr);
  EXPECT_EQ(img.video()->codecName, "png");

  // Record ~3 s, then the server dies and comes back: the pusher and the player reconnect, the recording goes
  // on in the same file (same stream configuration) with timestamps that keep going forward.
  const std::string rec = (dir / "recv.mp4").string();
  ASSERT_EQ(player.startLocalRecord(rec).code, ResultCode::Ok);
  EXPECT_EQ(player.startLocalRecord((dir / "again.mp4").string()).code, ResultCode::Busy);
  std::this_thread::sleep_for(3s);  // scenario: record 3 s, the server down for 0.5 s, 2 s more after the resume
  const auto codesBefore = log.codes();
  const size_t shownBefore = static_cast<size_t>(std::count(codesBefore.begin(), codesBefore.end(), 2004));
  server->kill();
  std::this_thread::sleep_for(500ms);
  server->restart();
  ASSERT_TRUE(log.waitFor(2004, 20s, shownBefore + 1)) << "playback did not resume: " << log.dump();
  std::this_thread::sleep_for(2s);
  player.stopLocalRecord();
  ASSERT_TRUE(waitPlayerEvents(log, 5s, [](const std::vector<Event>& e) {
    return lastOf(e, EventCode::PUSH_EVT_LOCAL_RECORD_RESULT).has_value();
  })) << log.dump();
  auto evs = log.events();
  ASSERT_EQ(countCode(evs, EventCode::PUSH_EVT_LOCAL_RECORD_RESULT), 1) << "one file across the reconnect";
  auto r = lastOf(evs, EventCode::PUSH_EVT_LOCAL_RECORD_RESULT);
  EXPECT_EQ(r->get(evt::kParam1), "0") << r->message();
  EXPECT_GE(param(r, evt::kParam2), 4000);
  EXPECT_GE(countCode(evs, EventCode::PUSH_EVT_LOCAL_RECORD_PROGRESS), 3);
  EXPECT_FALSE(std::filesystem::exists((dir / "recv_2.mp4")));
  ProbeOptions po;
  po.packets = true;
  auto file = probeMedia(rec, 20s, {}, po);
  ASSERT_TRUE(file.ok) << file.error;
  ASSERT_NE(file.video(), nullptr);
  ASSERT_NE(file.audio(), nullptr);
  EXPECT_EQ(file.video()->width, 320);
  EXPECT_EQ(file.audio()->codecName, "aac");
  double lastDts = -1;
  int backwards = 0;
  for (const auto& p : file.packets) {
    if (p.streamIndex != file.video()->index) continue;
    if (p.dts <= lastDts) ++backwards;
    lastDts = p.dts;
  }
  EXPECT_EQ(backwards, 0);
  EXPECT_NEAR(file.duration * 1000, static_cast<double>(param(r, evt::kParam2)), 300);

  // Paused: the snapshot is the picture kept on screen.
  player.pause();
  std::this_thread::sleep_for(300ms);  // scenario: paused for a while
  const std::string paused = (dir / "paused.jpg").string();
  ASSERT_EQ(player.captureVideoSnapshot(paused).code, ResultCode::Ok);
  ASSERT_TRUE(waitPlayerEvents(log, 5s, [](const std::vector<Event>& e) {
    return countCode(e, EventCode::EVT_SNAPSHOT_RESULT) >= 2;
  })) << log.dump();
  EXPECT_EQ(lastOf(log.events(), EventCode::EVT_SNAPSHOT_RESULT)->get(evt::kParam1), "0")
      << lastOf(log.events(), EventCode::EVT_SNAPSHOT_RESULT)->message() << "\n" << log.dump();
  EXPECT_TRUE(std::filesystem::exists(paused));
  player.stop();
  pusher.stop();
}

}  // namespace openlive::test

namespace openlive::test {

// The CLIs: openlive-push and openlive-play with --record / --snapshot; a refused path exits 2.
TEST(RecordingCli, PushAndPlayWriteTheirFilesAndRefuseBadPaths) {
  const std::string push = samplePath("openlive-push"), play = samplePath("openlive-play");
  OPENLIVE_NEED(!push.empty() && !play.empty(), "the CLIs are not built");
  std::string skip, why;
  OPENLIVE_NEED(haveFfmpegCli(&why), why);
  auto server = startServerOrSkip(false, &skip);
  OPENLIVE_NEED(server, skip);
  TempDir dir("ol-rec-cli");
  const std::string url = server->rtmpUrl("cli");
  ProcessOptions po;
  po.out = Redirect::file((dir / "push.jsonl").string());
  po.err = Redirect::null();
  // GOP 1 s so each 3 s slice ends within a second of its boundary; 8.5 s leaves the third slice 2.5 s of media
  // even when a loaded machine starts the push late (with --duration 7 it sometimes never began).
  Process pusher({push, url, "--width", "320", "--height", "180", "--gop", "1", "--duration", "8.5", "--json",
                  "--record",
                  (dir / "push.mp4").string(), "--record-slice", "3", "--snapshot", (dir / "push.jpg").string()},
                 po);
  ASSERT_TRUE(server->waitForPublish("cli", 10s)) << server->logTail();
  CommandResult r = runCommand({play, url, "--video", "null", "--audio", "null", "--duration", "3.5", "--json",
                                "--record", (dir / "play.flv").string(), "--snapshot", (dir / "play.png").string(),
                                "--snapshot-after", "0.5"},
                               20s);
  EXPECT_EQ(r.exitCode, 0) << r.err;
  EXPECT_NE(r.out.find("\"code\":1029"), std::string::npos) << r.out;
  auto pushExit = pusher.wait(20s);
  ASSERT_TRUE(pushExit.has_value());
  EXPECT_EQ(*pushExit, 0);
  for (const char* f : {"push.mp4", "push_2.mp4", "push_3.mp4", "push.jpg", "play.flv", "play.png"}) {
    auto p = probeMedia((dir / f).string());
    ASSERT_TRUE(p.ok) << f << ": " << p.error;
    ASSERT_NE(p.video(), nullptr) << f;
    EXPECT_EQ(p.video()->width, 320) << f;
  }
  std::ifstream in((dir / "push.jsonl").string());
  int results = 0;
  for (std::string line; std::getline(in, line);) {
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (!j.is_discarded() && j.value("code", 0) == 1029) {
      ++results;
      EXPECT_EQ(j["params"].value("EVT_PARAM1", ""), "0") << line;
    }
  }
  EXPECT_EQ(results, 3) << "one 1029 per slice: 0-3 s, 3-6 s, 6-8.5 s";
  // Refused requests: the file exists (never overwritten), an unsupported type.
  CommandResult exists = runCommand({push, url, "--width", "320", "--height", "180", "--duration", "3",
                                     "--record", (dir / "push.mp4").string()},
                                    20s);
  EXPECT_EQ(exists.exitCode, 2) << exists.err;
  EXPECT_NE(exists.err.find("file exists"), std::string::npos) << exists.err;
  CommandResult badType = runCommand({push, url, "--width", "320", "--height", "180", "--duration", "3",
                                      "--snapshot", (dir / "x.bmp").string()},
                                     20s);
  EXPECT_EQ(badType.exitCode, 2) << badType.err;
}

}  // namespace openlive::test
