// The mixer host's side of room mixes on another machine (roomd/mix_host.*): the job's wire form both ways, the
// keys it takes, and its leases: a PUT starts or updates a mix, the same job again only renews it, a lease that
// runs out stops the mix; DELETE stops it; a request without the token is refused. The mixes are recorded by a
// Mixers that keeps the calls (no process is started here; the integration test runs real mixers on a host).
#include <gtest/gtest.h>
#include <httplib.h>

#include <mutex>

#include "roomd/mix_host.h"

namespace openlive::roomd {
namespace {

using namespace std::chrono_literals;
using json = nlohmann::json;

// Written on the HTTP server's thread, read on the test's: under a lock (a socket's ordering is invisible to TSan).
struct Calls {
  std::mutex mu;
  std::vector<std::string> applied, stopped;
  size_t appliedCount() {
    std::lock_guard lk(mu);
    return applied.size();
  }
  std::vector<std::string> stoppedKeys() {
    std::lock_guard lk(mu);
    return stopped;
  }
};

class RecordingMixers final : public Mixers {
 public:
  explicit RecordingMixers(Calls& c) : c_(c) {}
  void apply(const std::string& key, MixJob) override {
    std::lock_guard lk(c_.mu);
    c_.applied.push_back(key);
  }
  void stop(const std::string& key, const std::string&) override {
    std::lock_guard lk(c_.mu);
    c_.stopped.push_back(key);
  }
  void stopAll() override {}
  std::vector<std::string> keys() const override { return {}; }
  Counts counts() const override { return {}; }

 private:
  Calls& c_;
};

MixJob job(const std::string& layoutTag) {
  MixJob j;
  j.outputUrl = "rtmp://127.0.0.1/live/a_mix?txSecret=x";
  j.inputs = {{"a", "rtmp://127.0.0.1/live/a"}};
  j.mergeParams = {{"tag", layoutTag}};
  return j;
}

TEST(MixHostWire, AJobGoesBothWaysAndAnythingElseIsRefusedWithAReason) {
  std::chrono::milliseconds lease{0};
  std::string why;
  auto back = mixJobFromJson(mixJobToJson(job("x"), 5s), &lease, &why);
  ASSERT_TRUE(back) << why;
  EXPECT_EQ(back->outputUrl, job("x").outputUrl);
  EXPECT_EQ(back->inputs, job("x").inputs);
  EXPECT_EQ(back->mergeParams, job("x").mergeParams);
  EXPECT_EQ(lease, 5s);
  for (const json& bad : {json::array(), json{{"output", 1}}, json{{"output", "u"}, {"inputs", {{"a", 1}}}},
                          json{{"output", "u"}, {"inputs", json::object()}, {"mergeParams", json::object()}},
                          json{{"output", "u"}, {"inputs", json::object()}, {"mergeParams", json::object()}, {"lease_ms", 10}}}) {
    why.clear();
    EXPECT_FALSE(mixJobFromJson(bad, &lease, &why)) << bad.dump();
    EXPECT_FALSE(why.empty()) << bad.dump();
  }
  EXPECT_TRUE(validMixKey("live_room/room_1a2b"));
  EXPECT_FALSE(validMixKey(""));
  EXPECT_FALSE(validMixKey("live_room/../etc"));
  EXPECT_FALSE(validMixKey("a b"));
}

class MixHostApi : public ::testing::Test {
 protected:
  void SetUp() override {
    host = std::make_unique<MixHost>(std::make_unique<RecordingMixers>(calls), "tok");
    host->routes(http);
    port = http.bind_to_any_port("127.0.0.1");
    ASSERT_GT(port, 0);
    thread = std::thread([this] { http.listen_after_bind(); });
  }
  void TearDown() override {
    http.stop();
    thread.join();
  }
  httplib::Result put(const std::string& key, const MixJob& j, std::chrono::milliseconds lease, bool token = true) {
    httplib::Client c("127.0.0.1", port);
    if (token) c.set_bearer_token_auth("tok");
    return c.Put("/v1/mixes/" + key, mixJobToJson(j, lease).dump(), "application/json");
  }
  Calls calls;
  std::unique_ptr<MixHost> host;
  httplib::Server http;
  int port = 0;
  std::thread thread;
};

TEST_F(MixHostApi, PutStartsUpdatesAndRenewsALeaseThatEndsTheMixWhenItRunsOut) {
  auto r = put("live_room/r1", job("one"), 2s);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(json::parse(r->body)["state"], "started");
  EXPECT_EQ(json::parse(put("live_room/r1", job("one"), 2s)->body)["state"], "renewed");
  EXPECT_EQ(json::parse(put("live_room/r1", job("two"), 2s)->body)["state"], "updated");
  EXPECT_EQ(calls.appliedCount(), 2u) << "a renewal changes nothing";
  EXPECT_EQ(put("live_room/r1", job("one"), 2s, false)->status, 401);

  EXPECT_EQ(host->sweep(MixHost::Clock::now() + 1s), 0);
  EXPECT_EQ(host->sweep(MixHost::Clock::now() + 3s), 1);
  EXPECT_EQ(calls.stoppedKeys(), std::vector<std::string>{"live_room/r1"});
  EXPECT_EQ(host->size(), 0u);

  ASSERT_EQ(put("live_room/r2", job("one"), 2s)->status, 200);
  httplib::Client c("127.0.0.1", port);
  c.set_bearer_token_auth("tok");
  EXPECT_EQ(c.Delete("/v1/mixes/live_room/r2")->status, 200);
  EXPECT_EQ(c.Delete("/v1/mixes/live_room/r2")->status, 404);
  EXPECT_EQ(c.Put("/v1/mixes/live_room/r3", "not json", "application/json")->status, 400);
  EXPECT_EQ(json::parse(c.Get("/v1/mixes")->body)["mixes"].size(), 0u);
}

}  // namespace
}  // namespace openlive::roomd
