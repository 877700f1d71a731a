// RtmpUrl::parse: what the connection layer accepts and rejects.
#include "transport/rtmp_connection.h"

#include <gtest/gtest.h>

using openlive::transport::RtmpUrl;

TEST(RtmpUrl, ParsesHostPortAppAndKeepsQueryOnStream) {
  auto u = RtmpUrl::parse("rtmp://push.example.com:1936/live/stream1?txSecret=abc&txTime=5C2ACACC");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->host, "push.example.com");
  EXPECT_EQ(u->port, 1936);
  EXPECT_EQ(u->app, "live");
  EXPECT_EQ(u->playpath, "stream1?txSecret=abc&txTime=5C2ACACC");
  EXPECT_EQ(u->tcUrl, "rtmp://push.example.com:1936/live");
  EXPECT_FALSE(u->tls);
}

TEST(RtmpUrl, DefaultsPortAndAcceptsIpv6AndAppInstance) {
  auto a = RtmpUrl::parse("RTMP://127.0.0.1/live/s");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->port, 1935);
  auto b = RtmpUrl::parse("rtmp://[::1]:19350/app/inst/key");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->host, "::1");
  EXPECT_EQ(b->port, 19350);
  EXPECT_EQ(b->app, "app/inst");
  EXPECT_EQ(b->playpath, "key");
  EXPECT_EQ(b->tcUrl, "rtmp://[::1]:19350/app/inst");
  auto c = RtmpUrl::parse("rtmps://h/live/s");
  ASSERT_TRUE(c);
  EXPECT_TRUE(c->tls);
  EXPECT_EQ(c->port, 443);
}

TEST(RtmpUrl, RejectsGarbage) {
  for (const char* bad : {"", "rtmp://", "rtmp:///live/s", "http://h/live/s.flv", "rtmp://h", "rtmp://h/live",
                          "rtmp://h/live/", "rtmp://h:0/live/s", "rtmp://h:70000/live/s", "rtmp://h:x/live/s",
                          "rtmp://::1/live/s", "rtmp://[::1/live/s", "rtmp://user:pw@h/live/s", "rtmp://h//s",
                          "rtmp://h/a/b/c/s", "rtmp://h o/live/s", "live/s"}) {
    EXPECT_FALSE(RtmpUrl::parse(bad)) << bad;
  }
}
