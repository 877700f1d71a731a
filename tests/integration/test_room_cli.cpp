// The openlive-room program against nginx-rtmp + openlive-roomd: a co-anchor process asks to join, is accepted by
// an in-process LiveRoom anchor and links; killed with SIGKILL (no goodbye), it is removed by the service's
// liveness sweep (20 s silence, 5 s sweep: within 25 s) and the anchor gets onAnchorExit. Then an audience
// process prints status lines with the room's stream decoding, and leaves cleanly on SIGTERM. An anchor process
// in a PK with an in-process anchor of another room, killed with SIGKILL, ends the PK on the other side
// (onQuitRoomPK) once the service no longer lists it.
#include <csignal>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "fixtures/process.h"
#include "fixtures/require.h"
#include "fixtures/room_stack.h"
#include "fixtures/temp_dir.h"
#include "live_room_probe.h"

namespace openlive::test {
namespace {

std::string readFile(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// `openlive-room ARGS... --server --sdkappid --key --json --status-interval 1`, stdout and stderr into `log`.
Process roomCli(std::vector<std::string> args, const RoomStack& s, const std::filesystem::path& log) {
  const std::string bin = samplePath("openlive-room");
  if (bin.empty()) throw std::runtime_error("openlive-room is not built");
  ProcessOptions po;
  po.out = Redirect::file(log.string());
  po.err = Redirect::file(log.string());
  args.insert(args.begin(), bin);
  args.insert(args.end(), {"--server", s.url(), "--sdkappid", std::to_string(kRoomAppId), "--key", kRoomKey, "--json",
                           "--status-interval", "1"});
  return Process(args, po);
}

Process roomCli(const std::string& role, const std::string& user, const RoomStack& s, const std::string& roomID,
                const std::filesystem::path& log) {
  return roomCli({role, "--user", user, "--room", roomID}, s, log);
}

Process rtcCli(const std::string& user, const RoomStack& s, const std::string& roomID, bool create,
               const std::filesystem::path& log) {
  std::vector<std::string> args{"rtc", "--size", "1v1", "--user", user, "--room", roomID};
  if (create) args.push_back("--create");
  return roomCli(args, s, log);
}

TEST(RoomCli, AKilledCoAnchorIsRemovedWithin25sAndTheAnchorIsTold) {
  RoomStack s;
  OPENLIVE_NEED(s.start(), s.why);
  RoomProbe anchor("anchor");
  anchor.autoAnswer(+1);
  ASSERT_TRUE(anchor.login(s.url()));
  auto [r, id] = anchor.create("");
  ASSERT_TRUE(r) << r.message;
  TempDir dir("openlive-room-cli");
  Process co = roomCli("co-anchor", "bob", s, id, dir / "co.log");
  ASSERT_TRUE(waitUntil([&] { return readFile(dir / "co.log").find("\"event\":\"linked\"") != std::string::npos; }, 30s,
                        100ms))
      << readFile(dir / "co.log");
  ASSERT_TRUE(anchor.waitLine("anchorEnter bob")) << anchor.describe();
  ASSERT_TRUE(anchor.view("bob"));
  EXPECT_TRUE(anchor.waitFrames("bob", 10)) << "the co-anchor process's picture was not decoded";
  // The co-anchor sees the anchor and decodes it (its status lines count the anchor's pictures).
  EXPECT_TRUE(waitUntil([&] { return readFile(dir / "co.log").find("\"anchor\":{\"fps\"") != std::string::npos; }, 20s,
                        100ms))
      << readFile(dir / "co.log");
  const auto killed = std::chrono::steady_clock::now();
  co.kill();
  ASSERT_TRUE(anchor.waitLine("anchorExit bob", 35s)) << anchor.describe() << "\n" << s.logs();
  const auto took = std::chrono::steady_clock::now() - killed;
  std::printf("co-anchor removed %.1f s after SIGKILL\n", std::chrono::duration<double>(took).count());
  EXPECT_LE(took, 26s) << "removed after " << std::chrono::duration<double>(took).count() << " s";
  EXPECT_TRUE(anchor.room().anchors().empty());

  // An audience process: status lines show the room's stream decoding; SIGTERM = leave the room, exit 0.
  Process viewer = roomCli("audience", "carol", s, id, dir / "viewer.log");
  ASSERT_TRUE(anchor.waitLine("audienceEnter carol carol", 20s)) << readFile(dir / "viewer.log");
  EXPECT_TRUE(waitUntil(
      [&] { return readFile(dir / "viewer.log").find("\"room\":{\"fps\"") != std::string::npos; },  // a frame counted
      20s, 100ms))
      << readFile(dir / "viewer.log");
  viewer.signal(SIGTERM);
  EXPECT_EQ(viewer.wait(10s), 0) << readFile(dir / "viewer.log");
  EXPECT_TRUE(anchor.waitLine("audienceExit carol")) << anchor.describe();
}

// Two `openlive-room rtc` processes in a 1v1 room: each one's status lines count the other's decoded pictures.
TEST(RoomCli, TwoRtcMembersDecodeEachOther) {
  RoomStack s;
  OPENLIVE_NEED(s.start(), s.why);
  TempDir dir("openlive-room-rtc");
  Process a = rtcCli("ann", s, "pair", true, dir / "ann.log");
  ASSERT_TRUE(waitUntil([&] { return readFile(dir / "ann.log").find("roomCreated") != std::string::npos; }, 20s, 100ms))
      << readFile(dir / "ann.log");
  Process b = rtcCli("ben", s, "pair", false, dir / "ben.log");
  auto decodes = [&](const char* file, const char* other) {
    return waitUntil([&] { return readFile(dir / file).find(std::string("\"") + other + "\":{\"fps\"") != std::string::npos; },
                     20s, 100ms);
  };
  EXPECT_TRUE(decodes("ann.log", "ben")) << readFile(dir / "ann.log");
  EXPECT_TRUE(decodes("ben.log", "ann")) << readFile(dir / "ben.log");
  b.signal(SIGTERM);
  EXPECT_EQ(b.wait(10s), 0) << readFile(dir / "ben.log");
  EXPECT_TRUE(waitUntil([&] { return readFile(dir / "ann.log").find("\"event\":\"memberExit\"") != std::string::npos; },
                        15s, 100ms))
      << readFile(dir / "ann.log");
}

// The PK peer's app dies (SIGKILL: no "stop" message, no exit): its room's liveness removes it (short limits
// here: 3 s of heartbeat silence, a sweep every 0.5 s), and the surviving anchor's next heartbeat sees it gone:
// onQuitRoomPK, the PK is over (quitRoomPK has nothing to end) and a new PK can be asked for.
TEST(RoomCli, APkPeerWhoseAppDiesEndsThePkOnTheOtherSide) {
  RoomStack s;
  OPENLIVE_NEED(s.start({"--silence-timeout-ms", "3000", "--sweep-interval-ms", "500"}), s.why);
  TempDir dir("room-cli-pk");
  Process b = roomCli({"anchor", "--user", "anchorB", "--accept-pk", "all"}, s, dir.path() / "b.log");
  ASSERT_TRUE(waitUntil([&] { return readFile(dir.path() / "b.log").find("roomCreated") != std::string::npos; }, 20s,
                        100ms))
      << readFile(dir.path() / "b.log");
  RoomProbe a("anchorA");
  ASSERT_TRUE(a.login(s.url()));
  auto [created, roomA] = a.create("");
  ASSERT_TRUE(created) << created.message;
  auto reply = a.requestPK("anchorB");
  ASSERT_EQ(reply.outcome, RoomPKOutcome::Accepted) << reply.reason << "\n" << readFile(dir.path() / "b.log");
  EXPECT_NE(readFile(dir.path() / "b.log").find("\"event\":\"requestRoomPK\""), std::string::npos);

  b.kill();
  EXPECT_TRUE(a.waitLine("quitPK anchorB", 30s)) << a.describe() << "\n" << s.logs();
  const Result again = a.quitPK();
  EXPECT_FALSE(again) << "the PK should be over";
  EXPECT_NE(a.requestPK("anchorB", 3s).outcome, RoomPKOutcome::Accepted) << "anchorB is gone: nobody answers";
}

}  // namespace
}  // namespace openlive::test
