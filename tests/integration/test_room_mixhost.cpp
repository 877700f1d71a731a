// Room mixes on a mixer host (issue 14: "mixers can run on other machines"): openlive-mixhost listens on
// 127.0.0.2 (another address than roomd and nginx-rtmp on 127.0.0.1), openlive-roomd runs with --mixer-host. The
// audience of a live room sees its anchor through the mix the host runs; a host killed and started again on its
// address gets the mix back from roomd within a lease renewal; the host's API refuses a request without the token
// and a malformed job; a roomd killed with SIGKILL leaves its mix to end with its lease. And a host on another
// network stack: openlive-mixhost in a network namespace of the test's own, reached over a veth link, its mixers
// playing and publishing through that link (nginx-rtmp and roomd on the test's side of it).
#include <httplib.h>
#include <signal.h>

#include <regex>

#include "faults/shaped_link.h"
#include "fixtures/media_probe.h"
#include "fixtures/process.h"
#include "fixtures/require.h"
#include "fixtures/room_stack.h"
#include "fixtures/temp_dir.h"
#include "fixtures/wait.h"
#include "integration/mixer_cli_helpers.h"
#include "live_room_probe.h"
#include "room_mix_probe.h"

namespace openlive::test::mixhost {
namespace {

using namespace std::chrono_literals;
using mixer_cli::readFile;
constexpr const char* kToken = "mixhost-test-token";

// openlive-mixhost on `address`:`port` (0: an ephemeral one; in `ns` when given), its output in DIR/mixhost-N.log.
struct MixHostProc {
  Process proc;
  std::filesystem::path log;
  std::string address = "127.0.0.2";
  int port = 0;
  std::string url() const { return "http://" + address + ":" + std::to_string(port); }
  bool start(const TempDir& dir, int wantedPort, int n, const ShapedLink* ns = nullptr) {
    log = dir / ("mixhost-" + std::to_string(n) + ".log");
    ProcessOptions po;
    po.out = po.err = Redirect::file(log.string());
    std::vector<std::string> argv{samplePath("openlive-mixhost"), "--listen", address + ":" + std::to_string(wantedPort),
                                  "--mixer", samplePath("openlive-mixer"), "--token", kToken, "--sweep-ms", "200"};
    if (ns) {
      auto prefix = ns->nsExecPrefix();
      argv.insert(argv.begin(), prefix.begin(), prefix.end());
    }
    proc = Process(argv, po);
    const std::regex ready("listening on http://" + std::regex_replace(address, std::regex("\\."), "\\.") +
                           ":([0-9]+)");
    std::smatch m;
    std::string text;
    if (!waitUntil([&] { return std::regex_search(text = readFile(log), m, ready) || !proc.running(); }, 10s, 20ms))
      return false;
    if (!std::regex_search(text, m, ready)) return false;
    port = std::stoi(m[1]);
    return true;
  }
};

// A live room whose anchor publishes a flat grey picture, and an audience member watching the room's mix.
struct WatchedRoom {
  explicit WatchedRoom(const TempDir& dir)
      : fifo(makeFifo(dir, "anchor.y4m")), source(flatY4m(fifo, "0xC0C0C0", "320x240")), anchor("anchor", config()) {}
  LiveRoomConfig config() const {
    LiveRoomConfig c = testRoomConfig();
    c.anchorPush.video = {VideoSourceType::Y4m, fifo.string()};
    c.linkedAnchorPush.reset();
    return c;
  }
  // Logs both in, creates the room and enters it as the audience: "" or what failed.
  std::string open(const RoomStack& stack) {
    if (!anchor.login(stack.url())) return "anchor login failed";
    auto [created, id] = anchor.create("");
    if (!created) return "create_room: " + created.message;
    if (!audience.login(stack.url())) return "audience login failed";
    if (!audience.enter(id, watch.view())) return "the audience did not enter";
    return {};
  }
  std::filesystem::path fifo;
  Process source;
  RoomProbe anchor;
  PictureWatch watch;  // before the audience: its callbacks use it until the audience is gone
  RoomProbe audience{"viewer"};
};

httplib::Client client(const MixHostProc& host, bool withToken) {
  httplib::Client c(host.url());
  c.set_connection_timeout(2s);
  c.set_read_timeout(5s);
  if (withToken) c.set_bearer_token_auth(kToken);
  return c;
}

size_t mixesOn(const MixHostProc& host) {
  auto r = client(host, true).Get("/v1/mixes");
  if (!r || r->status != 200) return size_t(-1);
  return nlohmann::json::parse(r->body)["mixes"].size();
}

}  // namespace

TEST(RoomMixHost, TheRoomsMixRunsOnTheHostComesBackWithItAndEndsWithRoomdsLease) {
  ASSERT_FALSE(samplePath("openlive-mixhost").empty()) << "openlive-mixhost is not built";
  std::string why;
  OPENLIVE_NEED(haveFfmpegCli(&why), why);
  TempDir dir("room-mixhost");
  MixHostProc host;
  ASSERT_TRUE(host.start(dir, 0, 1)) << readFile(host.log);
  RoomStack stack;
  OPENLIVE_NEED(stack.start({"--mixer-host", host.url(), "--mixer-host-token", kToken, "--mixer-lease-ms", "3000"}),
                stack.why);

  WatchedRoom room(dir);
  const std::string opened = room.open(stack);
  ASSERT_TRUE(opened.empty()) << opened << "\n" << stack.logs();
  const MixRegion anchorAlone{40, 40, 240, 160, kAnchorLuma};
  std::string last;
  EXPECT_TRUE(room.watch.waitFor(320, 240, {anchorAlone}, 30s, &last)) << last << "\n" << stack.logs() << readFile(host.log);
  EXPECT_NE(readFile(host.log).find(": started for roomd"), std::string::npos) << readFile(host.log);
  EXPECT_EQ(stack.logs().find(": started (pid"), std::string::npos) << "no mixer runs beside roomd";
  EXPECT_EQ(mixesOn(host), 1u);

  // The host's API: no token, a malformed job.
  auto noToken = client(host, false).Get("/v1/mixes");
  ASSERT_TRUE(noToken);
  EXPECT_EQ(noToken->status, 401);
  auto bad = client(host, true).Put("/v1/mixes/live_room/x", "{\"output\":", "application/json");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  EXPECT_NE(bad->body.find("error"), std::string::npos);

  // The host dies (its mixer with it) and comes back on its address: roomd's next renewal restarts the mix.
  const int port = host.port;
  host.proc.signal(SIGKILL);
  ASSERT_TRUE(host.proc.wait(5s));
  MixHostProc again;
  ASSERT_TRUE(again.start(dir, port, 2)) << readFile(again.log);
  const int64_t before = room.watch.frames();
  EXPECT_TRUE(waitUntil([&] { return mixesOn(again) == 1u; }, 10s, 50ms)) << stack.logs();
  EXPECT_TRUE(room.watch.waitFor(320, 240, {anchorAlone}, 30s, &last, before + 1))
      << "after the host came back: " << last << "\n" << stack.logs() << readFile(again.log);

  // roomd dies without a word: the host ends the mix when its lease (3 s) runs out.
  ASSERT_EQ(::kill(stack.roomd->pid(), SIGKILL), 0);
  EXPECT_TRUE(waitUntil([&] { return mixesOn(again) == 0u; }, 10s, 100ms)) << readFile(again.log);
  EXPECT_NE(readFile(again.log).find("lease ran out"), std::string::npos) << readFile(again.log);
  again.proc.signal(SIGTERM);
  auto rc = again.proc.wait(10s);
  ASSERT_TRUE(rc);
  EXPECT_EQ(*rc, 0) << readFile(again.log);
}

TEST(RoomMixHost, AHostInItsOwnNetworkNamespaceRunsTheMixOverALink) {
  ASSERT_FALSE(samplePath("openlive-mixhost").empty()) << "openlive-mixhost is not built";
  std::string why;
  OPENLIVE_NEED(haveFfmpegCli(&why), why);
  auto ns = ShapedLink::create(&why);
  OPENLIVE_NEED(ns, why);
  TempDir dir("room-mixhost-ns");
  MixHostProc host;
  host.address = ns->nsAddress();
  ASSERT_TRUE(host.start(dir, 0, 1, ns.get())) << readFile(host.log);
  RoomStack stack;
  OPENLIVE_NEED(stack.start({"--mixer-host", host.url(), "--mixer-host-token", kToken}, false, ns->hostAddress()),
                stack.why);

  WatchedRoom room(dir);
  const std::string opened = room.open(stack);
  ASSERT_TRUE(opened.empty()) << opened << "\n" << stack.logs();
  std::string last;
  EXPECT_TRUE(room.watch.waitFor(320, 240, {{40, 40, 240, 160, kAnchorLuma}}, 30s, &last))
      << last << "\n" << stack.logs() << readFile(host.log);
  EXPECT_EQ(mixesOn(host), 1u) << "roomd reached the host over the link";
  // The mixer played and published through the link: nginx-rtmp saw its connections from the namespace's address.
  EXPECT_TRUE(waitUntil([&] { return stack.nginx->logTail(1 << 20).find(ns->nsAddress()) != std::string::npos; }, 5s, 50ms))
      << stack.nginx->logTail(4000);
  host.proc.signal(SIGTERM);
  auto rc = host.proc.wait(10s);
  ASSERT_TRUE(rc);
  EXPECT_EQ(*rc, 0) << readFile(host.log);
}

}  // namespace openlive::test::mixhost
