// Hotlink signing, signed URLs, URL parsing/verification and GME stream addresses.
// Vectors: reference.md section 6 (exact), plus GME StreamID digests checked with `openssl dgst -md5` by hand:
//   printf '%s' 1400000000_user1_room9_main | openssl dgst -md5  -> 7fd25df7555934f353e64a741636a85c
//   printf '%s' mixer_1400000000_room9      | openssl dgst -md5  -> beaab697cb2f2ccade499b4df35efb16
#include <openlive/url_signing.h>

#include "epoch_seconds.h"
#include "signing/crypto.h"

#include <gtest/gtest.h>

#include <string>

using namespace openlive;
using std::chrono::seconds;
using std::chrono::sys_seconds;

namespace {
using openlive::test::at;
constexpr long long kT5c2acacc = 0x5c2acacc;
constexpr const char* kGmeKey = "4531cddc5bd6dc28a812bb87121a5853";
}  // namespace

TEST(Signing, Md5MatchesReferenceVectors) {
  EXPECT_EQ(signing::md5Hex("somestring" "test" "5c2acacc"), "b77e812107e1d8b8f247885a46e1bd34");
  EXPECT_EQ(signing::md5Hex(""), "d41d8cd98f00b204e9800998ecf8427e");
}

TEST(Signing, SignStreamGivesLowerHexTimeAndReferenceSecret) {
  auto a = signStream("somestring", "test", at(kT5c2acacc));
  ASSERT_TRUE(a) << toString(a.error);
  EXPECT_EQ(a.value.txTime, "5c2acacc");
  EXPECT_EQ(a.value.txSecret, "b77e812107e1d8b8f247885a46e1bd34");
  auto b = signStream("somestring", "test_900", at(kT5c2acacc));
  ASSERT_TRUE(b);
  EXPECT_EQ(b.value.txSecret, "4beae959b16c77da6a65c7edda1dfefe");
}

TEST(Signing, TxTimeHex) {
  EXPECT_EQ(txTimeHex(at(1551438840)).value, "5c7913f8");
  EXPECT_EQ(txTimeHex(at(0)).value, "0");
  EXPECT_EQ(txTimeHex(at(-1)).error, SignError::InvalidTime);
}

TEST(Signing, TxSecretForSignsTheTxTimeTextExactly) {
  // Same instant, different case: a different string to sign, so a different secret.
  auto lower = txSecretFor("somestring", "test", "5c2acacc");
  auto upper = txSecretFor("somestring", "test", "5C2ACACC");
  ASSERT_TRUE(lower);
  ASSERT_TRUE(upper);
  EXPECT_EQ(lower.value, "b77e812107e1d8b8f247885a46e1bd34");
  EXPECT_EQ(upper.value, signing::md5Hex("somestringtest5C2ACACC"));
  EXPECT_NE(lower.value, upper.value);
}

TEST(Signing, RejectsBadSigningInput) {
  EXPECT_EQ(signStream("", "test", at(kT5c2acacc)).error, SignError::EmptyKey);
  EXPECT_EQ(signStream("k", "", at(kT5c2acacc)).error, SignError::InvalidStreamName);
  EXPECT_EQ(signStream("k", "a/b", at(kT5c2acacc)).error, SignError::InvalidStreamName);
  EXPECT_EQ(signStream("k", "a b", at(kT5c2acacc)).error, SignError::InvalidStreamName);
  EXPECT_EQ(signStream("k", "a?x=1", at(kT5c2acacc)).error, SignError::InvalidStreamName);
  for (const char* t : {"", "xyz", "12 34", "-1", "0x10", "11112222333344445"}) {
    EXPECT_EQ(txSecretFor("k", "s", t).error, SignError::InvalidTime) << t;
  }
}

TEST(SignedUrls, PushUrlHasReferenceForm) {
  LiveUrlSpec spec{"push.example.com", "live", "test", UrlSigning{"somestring", at(kT5c2acacc)}};
  auto u = buildPushUrl(spec);
  ASSERT_TRUE(u) << toString(u.error);
  EXPECT_EQ(u.value, "rtmp://push.example.com/live/test?txSecret=b77e812107e1d8b8f247885a46e1bd34&txTime=5c2acacc");
  spec.signing.reset();
  EXPECT_EQ(buildPushUrl(spec).value, "rtmp://push.example.com/live/test");
}

TEST(SignedUrls, PlayUrlsPerProtocol) {
  LiveUrlSpec spec{"play.example.com:8080", "live", "test_900", UrlSigning{"somestring", at(kT5c2acacc)}};
  const std::string q = "?txSecret=4beae959b16c77da6a65c7edda1dfefe&txTime=5c2acacc";
  EXPECT_EQ(buildPlayUrl(spec, PlayProtocol::Rtmp).value, "rtmp://play.example.com:8080/live/test_900" + q);
  EXPECT_EQ(buildPlayUrl(spec, PlayProtocol::HttpFlv).value, "http://play.example.com:8080/live/test_900.flv" + q);
  EXPECT_EQ(buildPlayUrl(spec, PlayProtocol::HttpsFlv).value,
            "https://play.example.com:8080/live/test_900.flv" + q);
  spec.signing.reset();
  EXPECT_EQ(buildPlayUrl(spec, PlayProtocol::HttpFlv).value, "http://play.example.com:8080/live/test_900.flv");
}

TEST(SignedUrls, LowLatencyPlayUrl) {
  LiveUrlSpec spec{"d.example.com", "live", "test", UrlSigning{"somestring", at(kT5c2acacc)}};
  auto u = buildLowLatencyPlayUrl(spec, "8888");
  ASSERT_TRUE(u);
  EXPECT_EQ(u.value, "rtmp://d.example.com/live/test?bizid=8888&txTime=5c2acacc&txSecret=b77e812107e1d8b8f247885a46e1bd34");
  EXPECT_EQ(buildLowLatencyPlayUrl(spec, "").error, SignError::InvalidBizId);
  EXPECT_EQ(buildLowLatencyPlayUrl(spec, "88a").error, SignError::InvalidBizId);
  spec.signing.reset();
  EXPECT_EQ(buildLowLatencyPlayUrl(spec, "8888").error, SignError::EmptyKey);
}

TEST(SignedUrls, RejectsBadSpecs) {
  auto make = [](std::string domain, std::string app, std::string stream, std::string key) {
    return LiveUrlSpec{std::move(domain), std::move(app), std::move(stream), UrlSigning{std::move(key), at(1)}};
  };
  EXPECT_EQ(buildPushUrl(make("", "live", "s", "k")).error, SignError::InvalidDomain);
  EXPECT_EQ(buildPushUrl(make("rtmp://h", "live", "s", "k")).error, SignError::InvalidDomain);
  EXPECT_EQ(buildPushUrl(make("h/x", "live", "s", "k")).error, SignError::InvalidDomain);
  EXPECT_EQ(buildPushUrl(make("h:0", "live", "s", "k")).error, SignError::InvalidDomain);
  EXPECT_EQ(buildPushUrl(make("h:65536", "live", "s", "k")).error, SignError::InvalidDomain);
  EXPECT_EQ(buildPushUrl(make("u@h", "live", "s", "k")).error, SignError::InvalidDomain);
  EXPECT_EQ(buildPushUrl(make("h", "", "s", "k")).error, SignError::InvalidApp);
  EXPECT_EQ(buildPushUrl(make("h", "live/", "s", "k")).error, SignError::InvalidApp);
  EXPECT_EQ(buildPushUrl(make("h", "live", "s?x", "k")).error, SignError::InvalidStreamName);
  EXPECT_EQ(buildPushUrl(make("h", "live", "s", "")).error, SignError::EmptyKey);
  EXPECT_TRUE(buildPushUrl(make("[::1]:1935", "app/inst", "s", "k")));
  auto neg = make("h", "live", "s", "k");
  neg.signing->expiry = at(-5);
  EXPECT_EQ(buildPushUrl(neg).error, SignError::InvalidTime);
}

TEST(UrlParse, TakesApartRtmpAndFlvUrls) {
  auto a = parseSignedUrl("RTMP://push.example.com:1936/live/test?txSecret=abc&txTime=5C2ACACC&other=1");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->scheme, "rtmp");
  EXPECT_EQ(a->host, "push.example.com");
  EXPECT_EQ(a->port, 1936);
  EXPECT_EQ(a->app, "live");
  EXPECT_EQ(a->streamName, "test");
  EXPECT_EQ(a->extension, "");
  EXPECT_EQ(a->txSecret, "abc");
  EXPECT_EQ(a->txTime, "5C2ACACC");
  EXPECT_FALSE(a->bizid);
  ASSERT_EQ(a->query.size(), 3u);
  EXPECT_EQ(a->query[2].first, "other");

  auto b = parseSignedUrl("https://[::1]:8443/app/inst/test_900.flv");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->host, "::1");
  EXPECT_EQ(b->port, 8443);
  EXPECT_EQ(b->app, "app/inst");
  EXPECT_EQ(b->streamName, "test_900");
  EXPECT_EQ(b->extension, "flv");
  EXPECT_FALSE(b->txTime);

  auto c = parseSignedUrl("http://h/live/s.m3u8?bizid=8888&txTime=1&txSecret=2");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->extension, "m3u8");
  EXPECT_EQ(c->bizid, "8888");
  EXPECT_EQ(c->port, 0);
}

TEST(UrlParse, RejectsGarbageWithoutCrashing) {
  for (const char* bad :
       {"", "rtmp", "rtmp://", "rtmp:///live/s", "rtmp://h", "rtmp://h/", "rtmp://h/live", "rtmp://h/live/",
        "rtmp://h//s", "rtmp://h/live//s", "ftp://h/live/s", "://h/live/s", "http://h/live/s",
        "http://h/live/.flv", "rtmp://h:0/live/s", "rtmp://h:99999/live/s", "rtmp://h:x/live/s",
        "rtmp://h:/live/s", "rtmp://u:p@h/live/s", "rtmp://[::1/live/s", "rtmp://[]/live/s",
        "rtmp://h o/live/s", "rtmp://h/live/s#frag", "rtmp://h/live/s?txTime=1&txTime=2",
        "rtmp://h/live/s?txSecret=a&txSecret=b", "rtmp://h/live/s?=x", "rtmp://h/live/s?a=1?b=2",
        "rtmp://h/live/s\n", "rtmp://h?/live/s", "\xff\xfe", "live/s"}) {
    EXPECT_FALSE(parseSignedUrl(bad)) << bad;
  }
  // Random bytes: never a crash, never an exception.
  std::string junk;
  for (int i = 0; i < 2000; ++i) {
    junk.push_back(static_cast<char>((i * 7919) & 0xFF));
    (void)parseSignedUrl(junk);
    (void)verifySignedUrl(junk, "k", at(0));
  }
}

TEST(UrlVerify, AcceptsGenuineUrlsInBothTxTimeCases) {
  const std::string key = "somestring";
  auto ok = verifySignedUrl(
      "rtmp://d/live/test?txSecret=b77e812107e1d8b8f247885a46e1bd34&txTime=5c2acacc", key, at(kT5c2acacc - 10));
  EXPECT_EQ(ok.error, VerifyError::Ok) << toString(ok.error);
  EXPECT_EQ(ok.value.expiry, at(kT5c2acacc));
  // Upper-case txTime as in the reference's examples: signed as written, verified as written.
  std::string upperSecret = signing::md5Hex("somestringtest5C2ACACC");
  auto up = verifySignedUrl("http://d/live/test.flv?txTime=5C2ACACC&txSecret=" + upperSecret, key, at(kT5c2acacc));
  EXPECT_EQ(up.error, VerifyError::Ok) << toString(up.error);
  // Low-latency form and URLs we build ourselves round-trip.
  LiveUrlSpec spec{"d.example.com:1935", "live", "test_900", UrlSigning{key, at(kT5c2acacc)}};
  for (auto u : {buildPushUrl(spec).value, buildPlayUrl(spec, PlayProtocol::HttpsFlv).value,
                 buildLowLatencyPlayUrl(spec, "8888").value}) {
    EXPECT_EQ(verifySignedUrl(u, key, at(kT5c2acacc)).error, VerifyError::Ok) << u;
  }
}

TEST(UrlVerify, DistinctErrors) {
  const std::string key = "somestring";
  const std::string base = "rtmp://d/live/test";
  const std::string secret = "b77e812107e1d8b8f247885a46e1bd34";
  auto verify = [&](const std::string& url, sys_seconds now = at(kT5c2acacc), const std::string& k = "somestring") {
    return verifySignedUrl(url, k, now).error;
  };
  EXPECT_EQ(verify("rtmp://d/live"), VerifyError::MalformedUrl);
  EXPECT_EQ(verify(base + "?txSecret=" + secret, at(0), ""), VerifyError::EmptyKey);
  EXPECT_EQ(verify(base + "?txSecret=" + secret), VerifyError::MissingTxTime);
  EXPECT_EQ(verify(base + "?txTime=5c2acacc"), VerifyError::MissingTxSecret);
  EXPECT_EQ(verify(base + "?txSecret=" + secret + "&txTime=zz"), VerifyError::MalformedTxTime);
  EXPECT_EQ(verify(base + "?txSecret=" + secret + "&txTime="), VerifyError::MalformedTxTime);
  EXPECT_EQ(verify(base + "?txSecret=" + secret + "&txTime=11112222333344445"), VerifyError::MalformedTxTime);
  EXPECT_EQ(verify(base + "?txSecret=" + secret + "&txTime=ffffffffffffffff"), VerifyError::MalformedTxTime);
  EXPECT_EQ(verify(base + "?txSecret=" + secret + "&txTime=5c2acacd"), VerifyError::BadSecret);
  EXPECT_EQ(verify(base + "?txSecret=" + secret + "&txTime=5C2ACACC"), VerifyError::BadSecret);  // case is signed
  EXPECT_EQ(verify(base + "?txSecret=&txTime=5c2acacc"), VerifyError::BadSecret);
  EXPECT_EQ(verify(base + "?txSecret=" + secret + "&txTime=5c2acacc", at(kT5c2acacc), "other"),
            VerifyError::BadSecret);
  EXPECT_EQ(verify("rtmp://d/live/test_900?txSecret=" + secret + "&txTime=5c2acacc"), VerifyError::BadSecret);
  // Valid through the expiry second itself, expired one second later; a forged URL stays BadSecret.
  EXPECT_EQ(verify(base + "?txSecret=" + secret + "&txTime=5c2acacc", at(kT5c2acacc)), VerifyError::Ok);
  EXPECT_EQ(verify(base + "?txSecret=" + secret + "&txTime=5c2acacc", at(kT5c2acacc + 1)), VerifyError::Expired);
  EXPECT_EQ(verify(base + "?txSecret=0000&txTime=5c2acacc", at(kT5c2acacc + 1)), VerifyError::BadSecret);
  // An upper-case secret is the same digest.
  EXPECT_EQ(verify(base + "?txSecret=B77E812107E1D8B8F247885A46E1BD34&txTime=5c2acacc"), VerifyError::Ok);
}

TEST(Gme, ReferenceVectorSignsTheStreamName) {
  auto s = txSecretFor(kGmeKey, "38251_5a1d7c2f7e8fcb56942691035b49d960", "5c7913f8");
  ASSERT_TRUE(s);
  EXPECT_EQ(s.value, "09fcc68fc320336c2b85071b11056bd6");
  auto sig = signStream(kGmeKey, "38251_5a1d7c2f7e8fcb56942691035b49d960", at(1551438840));
  EXPECT_EQ(sig.value.txTime, "5c7913f8");
  EXPECT_EQ(sig.value.txSecret, "09fcc68fc320336c2b85071b11056bd6");
}

TEST(Gme, Mode1MemberStream) {
  GmeStreamSpec spec{GmeMode::Member, "1400000000", "user1", "room9", "38251", kGmeKey, at(1551438840)};
  auto g = buildGmeStream(spec);
  ASSERT_TRUE(g) << toString(g.error);
  EXPECT_EQ(g.value.streamId, "1400000000_user1_room9_main");
  EXPECT_EQ(g.value.streamName, "38251_7fd25df7555934f353e64a741636a85c");
  EXPECT_EQ(g.value.signature.txTime, "5c7913f8");
  EXPECT_EQ(g.value.signature.txSecret, signing::md5Hex(std::string(kGmeKey) + g.value.streamName + "5c7913f8"));
  EXPECT_EQ(g.value.url, "rtmp://38251.liveplay.myqcloud.com/live/38251_7fd25df7555934f353e64a741636a85c?txSecret=" +
                             g.value.signature.txSecret + "&txTime=5c7913f8");
  EXPECT_EQ(verifySignedUrl(g.value.url, kGmeKey, at(1551438840)).error, VerifyError::Ok);
}

TEST(Gme, Mode2RoomMixIgnoresUser) {
  GmeStreamSpec spec{GmeMode::RoomMix, "1400000000", "", "room9", "38251", kGmeKey, at(1551438840)};
  auto g = buildGmeStream(spec);
  ASSERT_TRUE(g) << toString(g.error);
  EXPECT_EQ(g.value.streamId, "mixer_1400000000_room9");
  EXPECT_EQ(g.value.streamName, "38251_beaab697cb2f2ccade499b4df35efb16");
}

TEST(Gme, RejectsBadFields) {
  GmeStreamSpec good{GmeMode::Member, "1400000000", "user1", "room9", "38251", kGmeKey, at(1551438840)};
  auto with = [&](auto mutate) {
    GmeStreamSpec s = good;
    mutate(s);
    return buildGmeStream(s).error;
  };
  EXPECT_EQ(with([](GmeStreamSpec& s) { s.mode = static_cast<GmeMode>(3); }), SignError::InvalidGmeMode);
  EXPECT_EQ(with([](GmeStreamSpec& s) { s.appId = "14x"; }), SignError::InvalidGmeField);
  EXPECT_EQ(with([](GmeStreamSpec& s) { s.userId = ""; }), SignError::InvalidGmeField);
  EXPECT_EQ(with([](GmeStreamSpec& s) { s.roomId = "r/1"; }), SignError::InvalidGmeField);
  EXPECT_EQ(with([](GmeStreamSpec& s) { s.bizId = ""; }), SignError::InvalidBizId);
  EXPECT_EQ(with([](GmeStreamSpec& s) { s.streamKey = ""; }), SignError::EmptyKey);
  EXPECT_EQ(with([](GmeStreamSpec& s) { s.expiry = at(-1); }), SignError::InvalidTime);
}

TEST(Signing, ErrorNamesAreDistinct) {
  EXPECT_EQ(toString(VerifyError::Expired), "expired");
  EXPECT_NE(toString(VerifyError::BadSecret), toString(VerifyError::MalformedTxTime));
  EXPECT_EQ(toString(SignError::EmptyKey), "empty key");
  EXPECT_EQ(toString(PlayProtocol::HttpsFlv), "https-flv");
}
