// HttpFlvReader against real HTTP servers (nginx answering statuses and files, node-media-server streaming
// HTTP-FLV) and real network failures: every way an HTTP-FLV open can fail has its own typed result.
#include "faults/fault_proxy.h"
#include "faults/loopback.h"
#include "fixtures/nginx_http.h"
#include "fixtures/require.h"
#include "fixtures/servers.h"
#include "fixtures/temp_dir.h"
#include "transport/http_flv_reader.h"

#include <gtest/gtest.h>

#include <fstream>
#include <vector>

using namespace openlive::test;
using namespace openlive::transport;
using namespace std::chrono_literals;

namespace {

// An FLV file header (audio + video) and the first PreviousTagSize: a stream that ends before its first tag.
const std::vector<char> kFlvHeader = {'F', 'L', 'V', 1, 5, 0, 0, 0, 9, 0, 0, 0, 0};

class HttpFlvStatuses : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string why;
    OPENLIVE_NEED(nginxHttpAvailable(&why), why);
    std::ofstream(root_ / "header.flv", std::ios::binary).write(kFlvHeader.data(), std::streamsize(kFlvHeader.size()));
    web_ = startNginxHttp("    location = /gone.flv { return 404; }\n"
                          "    location = /login.flv { return 401; }\n"
                          "    location = /denied.flv { return 403; }\n"
                          "    location = /busy.flv { return 503; }\n"
                          "    location = /empty.flv { return 200 ''; }\n"
                          "    location = /text.flv { return 200 'hello, this is not a video'; }\n"
                          "    location = /moved.flv { return 302 /header.flv; }\n",
                          root_.path().string(), &why);
    ASSERT_TRUE(web_) << why;
  }
  HttpFlvOpenResult open(std::string_view path) {
    HttpFlvReader r(nginxHttpUrl(*web_, path));
    return r.openStream(3s);
  }
  TempDir root_{"openlive-http-root"};
  std::unique_ptr<MediaServer> web_;
};

}  // namespace

TEST_F(HttpFlvStatuses, EachStatusHasItsOwnFailure) {
  struct Case {
    const char* path;
    HttpFlvFailure failure;
    int status;
  } cases[] = {
      {"/gone.flv", HttpFlvFailure::NotFound, 404},   {"/login.flv", HttpFlvFailure::Refused, 401},
      {"/denied.flv", HttpFlvFailure::Refused, 403},  {"/busy.flv", HttpFlvFailure::HttpError, 503},
      {"/empty.flv", HttpFlvFailure::EmptyBody, 200}, {"/text.flv", HttpFlvFailure::EmptyBody, 200},
      {"/nothing-here.flv", HttpFlvFailure::NotFound, 404},
  };
  for (const Case& c : cases) {
    const HttpFlvOpenResult r = open(c.path);
    EXPECT_EQ(r.failure, c.failure) << c.path << ": " << toString(r.failure) << " " << r.message;
    EXPECT_EQ(r.httpStatus, c.status) << c.path;
    EXPECT_FALSE(r.message.empty()) << c.path;
  }
}

TEST_F(HttpFlvStatuses, AStreamThatEndsAfterItsHeaderIsAnEndNotAnEmptyBody) {
  for (const char* path : {"/header.flv", "/moved.flv"}) {  // the second through a redirect
    HttpFlvReader r(nginxHttpUrl(*web_, path));
    const HttpFlvOpenResult res = r.openStream(3s);
    ASSERT_TRUE(res.ok()) << path << ": " << toString(res.failure) << " " << res.message;
    EXPECT_EQ(res.httpStatus, 200);
    std::vector<uint8_t> buf(4096);
    size_t got = 0, total = 0;
    HttpFlvReader::Status st;
    while ((st = r.read(buf.data(), buf.size(), &got)) == HttpFlvReader::Status::Ok) total += got;
    EXPECT_EQ(st, HttpFlvReader::Status::Eof) << path;
    EXPECT_EQ(total, kFlvHeader.size()) << path;
    EXPECT_EQ(r.endFailure(), HttpFlvFailure::None) << path;
    EXPECT_EQ(r.bytesReceived(), kFlvHeader.size()) << path;
  }
}

TEST_F(HttpFlvStatuses, TheOldOpenKeepsItsCoarseClasses) {
  std::string why;
  HttpFlvReader notFound(nginxHttpUrl(*web_, "/gone.flv"));
  EXPECT_EQ(notFound.open(3s, &why), HttpFlvReader::OpenFailure::Http);
  EXPECT_NE(why.find("404"), std::string::npos) << why;
  // An empty body opens as before and then ends: the player's behaviour stays until it uses openStream().
  HttpFlvReader empty(nginxHttpUrl(*web_, "/empty.flv"));
  EXPECT_EQ(empty.open(3s, &why), HttpFlvReader::OpenFailure::None);
  uint8_t b[16];
  size_t got = 0;
  EXPECT_EQ(empty.read(b, sizeof b, &got), HttpFlvReader::Status::Eof);
  EXPECT_EQ(empty.endFailure(), HttpFlvFailure::EmptyBody);
}

TEST(HttpFlvFailures, NameLookupRefusedAndTimeoutsAreTold) {
  {
    HttpFlvReader r("http://no-such-host.invalid/live/s.flv");
    EXPECT_EQ(r.openStream(3s).failure, HttpFlvFailure::Dns);
  }
  {
    HttpFlvReader r("http://127.0.0.1:" + std::to_string(closedLoopbackPort()) + "/live/s.flv");
    EXPECT_EQ(r.openStream(3s).failure, HttpFlvFailure::Unreachable);
  }
  {
    FaultProxy hole("127.0.0.1", closedLoopbackPort());  // connects, never answers the request
    hole.setBlackHole(true);
    HttpFlvReader r("http://127.0.0.1:" + std::to_string(hole.port()) + "/live/s.flv");
    const HttpFlvOpenResult res = r.openStream(1s);
    EXPECT_EQ(res.failure, HttpFlvFailure::Timeout) << res.message;
    EXPECT_EQ(res.httpStatus, 0);
  }
  {
    HttpFlvReader r("rtmp://127.0.0.1/live/s");
    EXPECT_EQ(r.openStream(1s).failure, HttpFlvFailure::InvalidUrl);
  }
}

TEST(HttpFlvFailures, ReadsAStreamFromNodeMediaServer) {
  std::string why;
  auto nms = startNodeMediaServer(&why);
  OPENLIVE_NEED(nms, why);
  HttpFlvReader r(nms->httpFlvUrl("idle"));  // nobody publishes: the FLV header, then nothing
  const HttpFlvOpenResult res = r.openStream(3s);
  ASSERT_TRUE(res.ok()) << toString(res.failure) << " " << res.message;
  std::vector<uint8_t> buf(64);
  size_t got = 0;
  ASSERT_EQ(r.read(buf.data(), buf.size(), &got), HttpFlvReader::Status::Ok);
  EXPECT_GE(got, 3u);
  EXPECT_EQ(std::string(buf.begin(), buf.begin() + 3), "FLV");
  EXPECT_EQ(r.serverAddress().rfind("127.0.0.1:", 0), 0u) << r.serverAddress();
  r.close();
}
