// Test UserSig (TLS signature v2): generation, decoding, verification, malformed tokens.
//
// Pinned through a second route, checked by hand with the openssl CLI when this test was written:
//   printf 'TLS.identifier:xiaojun\nTLS.sdkappid:1400000000\nTLS.time:1700000000\nTLS.expire:86400\n' |
//     openssl dgst -sha256 -hmac 5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e -binary | base64
//   -> SNF4FmVCPucoXsBOpbVF3fFCf57JPm0ezZ1jeVILlVc=
// kPythonUserSig was produced independently with Python's hmac/json/zlib/base64 modules following the public
// description (json.dumps key order and spacing differ from ours, so it also checks we do not depend on them).
// tests/shell/openlive_url.cmake recomputes the HMAC with `openssl dgst` at test time as well.
#include <openlive/usersig.h>

#include "epoch_seconds.h"
#include "signing/crypto.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

using namespace openlive;
using std::chrono::seconds;
using std::chrono::sys_seconds;

namespace {
using openlive::test::at;
constexpr const char* kKey = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e";
constexpr const char* kSig = "SNF4FmVCPucoXsBOpbVF3fFCf57JPm0ezZ1jeVILlVc=";
constexpr const char* kPythonUserSig =
    "eJyrVgrxCdYrSy1SslJQMtIzUNJRAItkpqTmlWSmZUIkKjIT87NK82CSxSnZiQUFmSlAKUMTAyiAyqVWFGQWpQJlLMxM4IIlmbkgIUNzNMXFmekg"
    "44P93EzccsOcA0qT8yOKnfwLksLcjNPcnNNMzb0Ccg1Sq6IMs1LDPH1ywpJtlWoBk68y0A__";

UserSigRequest request() { return UserSigRequest{1400000000, "xiaojun", seconds(86400), at(1700000000)}; }

// Re-encodes arbitrary JSON text the way a UserSig is packed.
std::string pack(const std::string& json) {
  return signing::toTlsUrlBase64(signing::base64Encode(*signing::zlibCompress(json)));
}
}  // namespace

TEST(UserSig, GeneratedTokenCarriesTheHandCheckedHmac) {
  auto sig = generateTestUserSig(request(), kKey);
  ASSERT_TRUE(sig) << toString(sig.error);
  EXPECT_EQ(sig.value.find_first_of("+/="), std::string::npos) << sig.value;
  // Unpack by hand through the crypto helpers, not through decodeUserSig.
  auto packed = signing::base64Decode(signing::fromTlsUrlBase64(sig.value));
  ASSERT_TRUE(packed);
  auto text = signing::zlibDecompress(*packed, 1 << 16);
  ASSERT_TRUE(text);
  auto j = nlohmann::json::parse(*text);
  EXPECT_EQ(j.at("TLS.ver"), "2.0");
  EXPECT_EQ(j.at("TLS.identifier"), "xiaojun");
  EXPECT_EQ(j.at("TLS.sdkappid"), 1400000000);
  EXPECT_EQ(j.at("TLS.time"), 1700000000);
  EXPECT_EQ(j.at("TLS.expire"), 86400);
  EXPECT_EQ(j.at("TLS.sig"), kSig);
  EXPECT_EQ(j.size(), 6u);
}

TEST(UserSig, RoundTripsAndVerifies) {
  auto sig = generateTestUserSig(request(), kKey);
  ASSERT_TRUE(sig);
  auto v = verifyUserSig(sig.value, kKey, at(1700000000 + 100), 1400000000ull, std::string_view("xiaojun"));
  EXPECT_EQ(v.error, UserSigError::Ok) << toString(v.error);
  EXPECT_EQ(v.value.identifier, "xiaojun");
  EXPECT_EQ(v.value.sdkAppId, 1400000000u);
  EXPECT_EQ(v.value.time, 1700000000);
  EXPECT_EQ(v.value.expire, 86400);
  EXPECT_FALSE(v.value.userbuf);
}

TEST(UserSig, VerifiesATokenFromAnIndependentImplementation) {
  auto v = verifyUserSig(kPythonUserSig, kKey, at(1700000000));
  EXPECT_EQ(v.error, UserSigError::Ok) << toString(v.error);
  EXPECT_EQ(v.value.sig, kSig);
  EXPECT_EQ(decodeUserSig(kPythonUserSig).value.identifier, "xiaojun");
}

TEST(UserSig, ExpiryAndExpectations) {
  auto sig = generateTestUserSig(request(), kKey).value;
  EXPECT_EQ(verifyUserSig(sig, kKey, at(1700000000 + 86400)).error, UserSigError::Ok);
  EXPECT_EQ(verifyUserSig(sig, kKey, at(1700000000 + 86401)).error, UserSigError::Expired);
  EXPECT_EQ(verifyUserSig(sig, "wrong-key", at(1700000000)).error, UserSigError::BadSignature);
  EXPECT_EQ(verifyUserSig(sig, "", at(1700000000)).error, UserSigError::EmptyKey);
  EXPECT_EQ(verifyUserSig(sig, kKey, at(1700000000), 1400000001ull).error, UserSigError::SdkAppIdMismatch);
  EXPECT_EQ(verifyUserSig(sig, kKey, at(1700000000), std::nullopt, std::string_view("bob")).error,
            UserSigError::IdentifierMismatch);
}

TEST(UserSig, TamperedFieldsFailTheHmac) {
  auto good = decodeUserSig(generateTestUserSig(request(), kKey).value).value;
  nlohmann::json j = {{"TLS.ver", "2.0"},        {"TLS.identifier", "xiaojun"}, {"TLS.sdkappid", 1400000000},
                      {"TLS.time", 1700000000},  {"TLS.expire", 86400 * 365}, {"TLS.sig", good.sig}};
  EXPECT_EQ(verifyUserSig(pack(j.dump()), kKey, at(1700000000)).error, UserSigError::BadSignature);
  j["TLS.expire"] = 86400;
  j["TLS.identifier"] = "admin";
  EXPECT_EQ(verifyUserSig(pack(j.dump()), kKey, at(1700000000)).error, UserSigError::BadSignature);
  j["TLS.identifier"] = "xiaojun";
  EXPECT_EQ(verifyUserSig(pack(j.dump()), kKey, at(1700000000)).error, UserSigError::Ok);
  // A userbuf that is not part of the signed content breaks it too.
  j["TLS.userbuf"] = "AAAA";
  EXPECT_EQ(verifyUserSig(pack(j.dump()), kKey, at(1700000000)).error, UserSigError::BadSignature);
}

TEST(UserSig, AcceptsNumbersWrittenAsStrings) {
  auto good = decodeUserSig(generateTestUserSig(request(), kKey).value).value;
  nlohmann::json j = {{"TLS.ver", "2.0"},         {"TLS.identifier", "xiaojun"}, {"TLS.sdkappid", "1400000000"},
                      {"TLS.time", "1700000000"}, {"TLS.expire", "86400"},       {"TLS.sig", good.sig}};
  EXPECT_EQ(verifyUserSig(pack(j.dump()), kKey, at(1700000000)).error, UserSigError::Ok);
}

TEST(UserSig, RejectsBadRequests) {
  auto r = request();
  EXPECT_EQ(generateTestUserSig(r, "").error, UserSigError::EmptyKey);
  r.identifier = "";
  EXPECT_EQ(generateTestUserSig(r, kKey).error, UserSigError::InvalidIdentifier);
  r.identifier = std::string(33, 'a');
  EXPECT_EQ(generateTestUserSig(r, kKey).error, UserSigError::InvalidIdentifier);
  r.identifier = "a\nTLS.expire:99999999";
  EXPECT_EQ(generateTestUserSig(r, kKey).error, UserSigError::InvalidIdentifier);
  r = request();
  r.sdkAppId = 0;
  EXPECT_EQ(generateTestUserSig(r, kKey).error, UserSigError::InvalidSdkAppId);
  r = request();
  r.expire = seconds(0);
  EXPECT_EQ(generateTestUserSig(r, kKey).error, UserSigError::InvalidExpire);
}

TEST(UserSig, MalformedTokensGetDistinctErrors) {
  const std::string sig = generateTestUserSig(request(), kKey).value;
  auto err = [](std::string_view s) { return decodeUserSig(s).error; };
  EXPECT_EQ(err(""), UserSigError::MalformedEncoding);
  EXPECT_EQ(err("abc"), UserSigError::MalformedEncoding);                    // length not a multiple of 4
  EXPECT_EQ(err("ab!d"), UserSigError::MalformedEncoding);                   // outside the alphabet
  EXPECT_EQ(err("ab+d"), UserSigError::MalformedEncoding);                   // standard, not URL-safe, alphabet
  EXPECT_EQ(err("a_bc"), UserSigError::MalformedEncoding);                   // padding in the middle
  EXPECT_EQ(err(std::string(20000, 'A')), UserSigError::MalformedEncoding);  // too long
  EXPECT_EQ(err("AAAA"), UserSigError::MalformedCompression);                // decodes, but not zlib
  // Truncated: cut at every quad boundary, so that the base64 still decodes and zlib sees the cut.
  for (size_t n = 4; n + 4 < sig.size(); n += 4) {
    EXPECT_NE(err(sig.substr(0, n)), UserSigError::Ok) << n;
  }
  EXPECT_EQ(err(sig.substr(0, sig.size() / 2 / 4 * 4)), UserSigError::MalformedCompression);
  // Garbled: flip one character in the middle.
  std::string garbled = sig;
  garbled[garbled.size() / 2] = garbled[garbled.size() / 2] == 'A' ? 'B' : 'A';
  EXPECT_NE(err(garbled), UserSigError::Ok);
  EXPECT_NE(verifyUserSig(garbled, kKey, at(1700000000)).error, UserSigError::Ok);
  // Junk after a complete stream.
  EXPECT_EQ(err(signing::toTlsUrlBase64(signing::base64Encode(*signing::zlibCompress("{}") + "xyz"))),
            UserSigError::MalformedCompression);
  EXPECT_EQ(err(pack("not json")), UserSigError::MalformedJson);
  EXPECT_EQ(err(pack("[1,2]")), UserSigError::MalformedJson);
  EXPECT_EQ(err(pack(R"({"TLS.ver":"2.0"})")), UserSigError::MissingField);
  EXPECT_EQ(err(pack(R"({"TLS.ver":"1.0"})")), UserSigError::UnsupportedVersion);
  EXPECT_EQ(err(pack(R"({"TLS.identifier":"x","TLS.sdkappid":1,"TLS.time":1,"TLS.expire":1,"TLS.sig":"s"})")),
            UserSigError::MissingField);
  EXPECT_EQ(err(pack(R"({"TLS.ver":"2.0","TLS.identifier":"x","TLS.sdkappid":-1,"TLS.time":1,"TLS.expire":1,)"
                     R"("TLS.sig":"s"})")),
            UserSigError::MissingField);
  EXPECT_EQ(err(pack(R"({"TLS.ver":"2.0","TLS.identifier":"x","TLS.sdkappid":1,"TLS.time":"1x","TLS.expire":1,)"
                     R"("TLS.sig":"s"})")),
            UserSigError::MissingField);
  // A zlib bomb is cut off rather than inflated.
  EXPECT_EQ(err(pack(std::string(200000, ' '))), UserSigError::MalformedCompression);
}

TEST(UserSigCodec, Base64MatchesRfc4648) {
  EXPECT_EQ(signing::base64Encode(""), "");
  EXPECT_EQ(signing::base64Encode("f"), "Zg==");
  EXPECT_EQ(signing::base64Encode("fo"), "Zm8=");
  EXPECT_EQ(signing::base64Encode("foo"), "Zm9v");
  EXPECT_EQ(signing::base64Encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(signing::base64Decode("Zm9vYg=="), "foob");
  EXPECT_EQ(signing::base64Decode("Zm9vYmE="), "fooba");
  EXPECT_FALSE(signing::base64Decode("Zm9=Yg=="));
  EXPECT_FALSE(signing::base64Decode("Z==="));
}

TEST(UserSig, ErrorNames) {
  EXPECT_EQ(toString(UserSigError::Expired), "expired");
  EXPECT_EQ(toString(UserSigError::BadSignature), "bad signature");
}
