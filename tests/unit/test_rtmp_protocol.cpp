// Unit tests for the RTMP vocabulary: the onStatus table, AMF0 command decoding, user-control stream events and
// aggregate unpacking (sdk/transport/rtmp_protocol.h, rtmp_invoke.h, rtmp_aggregate.h).
#include "transport/rtmp_aggregate.h"
#include "transport/rtmp_invoke.h"
#include "transport/rtmp_protocol.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

using namespace openlive::transport;

namespace {

using Bytes = std::vector<uint8_t>;

void putString16(Bytes& b, const std::string& s) {
  b.push_back(uint8_t(s.size() >> 8));
  b.push_back(uint8_t(s.size()));
  b.insert(b.end(), s.begin(), s.end());
}
void putString(Bytes& b, const std::string& s) {
  b.push_back(0x02);
  putString16(b, s);
}
void putNumber(Bytes& b, double d) {
  b.push_back(0x00);
  uint64_t bits;
  std::memcpy(&bits, &d, 8);
  for (int i = 7; i >= 0; --i) b.push_back(uint8_t(bits >> (8 * i)));
}
void putInfo(Bytes& b, const std::string& level, const std::string& code, const std::string& description) {
  b.push_back(0x03);
  putString16(b, "level");
  putString(b, level);
  putString16(b, "code");
  putString(b, code);
  putString16(b, "description");
  putString(b, description);
  b.insert(b.end(), {0, 0, 9});
}
// onStatus / _error as servers send it: name, txn, null command object, info object.
Bytes statusBody(const std::string& method, double txn, const std::string& level, const std::string& code) {
  Bytes b;
  putString(b, method);
  putNumber(b, txn);
  b.push_back(0x05);
  putInfo(b, level, code, "described");
  return b;
}
// One FLV tag as inside an aggregate message: header, body, back pointer.
void putTag(Bytes& b, uint8_t type, uint32_t ts, const Bytes& body) {
  b.push_back(type);
  b.push_back(uint8_t(body.size() >> 16));
  b.push_back(uint8_t(body.size() >> 8));
  b.push_back(uint8_t(body.size()));
  b.push_back(uint8_t(ts >> 16));
  b.push_back(uint8_t(ts >> 8));
  b.push_back(uint8_t(ts));
  b.push_back(uint8_t(ts >> 24));
  b.insert(b.end(), {0, 0, 0});
  b.insert(b.end(), body.begin(), body.end());
  const uint32_t back = uint32_t(11 + body.size());
  b.insert(b.end(), {uint8_t(back >> 24), uint8_t(back >> 16), uint8_t(back >> 8), uint8_t(back)});
}

}  // namespace

TEST(RtmpProtocol, EveryStatusRoundTripsThroughTheTable) {
  for (int i = static_cast<int>(StreamStatus::ConnectSuccess); i < static_cast<int>(StreamStatus::Unknown); ++i) {
    const auto s = static_cast<StreamStatus>(i);
    const StatusInfo& row = statusInfo(s);
    ASSERT_EQ(row.status, s);
    ASSERT_FALSE(row.code.empty()) << i;
    EXPECT_EQ(statusFromCode(row.code), s) << row.code;
    EXPECT_STREQ(toString(s), std::string(row.code).c_str());
  }
  EXPECT_EQ(statusFromCode("NetStream.Made.Up"), StreamStatus::Unknown);
  EXPECT_EQ(statusFromCode(""), StreamStatus::Unknown);
  EXPECT_STREQ(toString(StreamStatus::Unknown), "unknown");
}

TEST(RtmpProtocol, MeaningsOfWhatServersSend) {
  EXPECT_EQ(meaningOf(StreamStatus::PlayStart, "status"), StatusMeaning::Started);
  EXPECT_EQ(meaningOf(StreamStatus::PublishStart, "status"), StatusMeaning::Started);
  EXPECT_EQ(meaningOf(StreamStatus::PlayStreamNotFound, "error"), StatusMeaning::NotFound);
  EXPECT_EQ(meaningOf(StreamStatus::PlayFailed, "error"), StatusMeaning::Refused);
  // nginx-http-flv's notify module sends the Forbidden codes at level "status".
  EXPECT_EQ(meaningOf(StreamStatus::PlayForbidden, "status"), StatusMeaning::Refused);
  EXPECT_EQ(meaningOf(StreamStatus::PublishBadName, "error"), StatusMeaning::Refused);
  for (auto s : {StreamStatus::PlayUnpublishNotify, StreamStatus::PlayStop, StreamStatus::PlayComplete})
    EXPECT_EQ(meaningOf(s, "status"), StatusMeaning::Ended) << toString(s);
  EXPECT_EQ(meaningOf(StreamStatus::PlayReset, "status"), StatusMeaning::Info);
  EXPECT_EQ(meaningOf(StreamStatus::Unknown, "status"), StatusMeaning::Info);
  EXPECT_EQ(meaningOf(StreamStatus::Unknown, "error"), StatusMeaning::Refused) << "an unknown error is a refusal";
  // Permanent refusals: retrying does not help.
  EXPECT_TRUE(statusInfo(StreamStatus::ConnectRejected).permanent);
  EXPECT_TRUE(statusInfo(StreamStatus::ConnectInvalidApp).permanent);
  EXPECT_TRUE(statusInfo(StreamStatus::PublishUnauthorized).permanent);
  EXPECT_FALSE(statusInfo(StreamStatus::PublishBadName).permanent) << "a stale session of ours: retryable";
  EXPECT_FALSE(statusInfo(StreamStatus::PlayStreamNotFound).permanent);
}

TEST(RtmpInvoke, DecodesOnStatusAndError) {
  Bytes b = statusBody("onStatus", 0, "error", "NetStream.Play.StreamNotFound");
  auto inv = decodeInvoke(b.data(), b.size());
  ASSERT_TRUE(inv);
  EXPECT_TRUE(inv->isStatus());
  EXPECT_EQ(inv->code, "NetStream.Play.StreamNotFound");
  EXPECT_EQ(inv->level, "error");
  EXPECT_EQ(inv->description, "described");
  EXPECT_EQ(inv->status, StreamStatus::PlayStreamNotFound);
  EXPECT_EQ(inv->meaning(), StatusMeaning::NotFound);

  b = statusBody("_error", 4, "error", "NetConnection.Connect.Rejected");
  inv = decodeInvoke(b.data(), b.size());
  ASSERT_TRUE(inv);
  EXPECT_TRUE(inv->isError());
  EXPECT_EQ(inv->txn, 4);
  EXPECT_EQ(inv->status, StreamStatus::ConnectRejected);
}

TEST(RtmpInvoke, ResultKeepsMethodAndTransactionAndInfoMayStandFirst) {
  Bytes result;  // _result 2 null 1: createStream's answer
  putString(result, "_result");
  putNumber(result, 2);
  result.push_back(0x05);
  putNumber(result, 1);
  Bytes infoFirst;  // onStatus 0 {info}: no null command object
  putString(infoFirst, "onStatus");
  putNumber(infoFirst, 0);
  putInfo(infoFirst, "status", "NetStream.Play.Start", "");
  const auto r = decodeInvoke(result.data(), result.size());
  const auto s = decodeInvoke(infoFirst.data(), infoFirst.size());
  ASSERT_TRUE(r && s);
  EXPECT_TRUE(r->isResult());
  EXPECT_EQ(r->txn, 2);
  EXPECT_EQ(r->status, StreamStatus::None);
  EXPECT_EQ(s->status, StreamStatus::PlayStart);
}

TEST(RtmpInvoke, MalformedBodiesAreRefusedWithoutReadingPastTheEnd) {
  EXPECT_FALSE(decodeInvoke(nullptr, 0));
  const Bytes full = statusBody("onStatus", 0, "status", "NetStream.Play.Start");
  const size_t nameAndTxn = 3 + 8 + 9;  // string marker + length + "onStatus", number marker + double
  for (size_t n = 0; n < nameAndTxn; ++n) EXPECT_FALSE(decodeInvoke(full.data(), n)) << n;
  for (size_t n = nameAndTxn; n < full.size(); ++n) {  // info cut off: decoded, without a code
    auto inv = decodeInvoke(full.data(), n);
    ASSERT_TRUE(inv) << n;
    EXPECT_NE(inv->status, StreamStatus::PlayStart) << n;
  }
  const Bytes notAString = {0x00, 0, 0, 0, 0, 0, 0, 0, 0};
  EXPECT_FALSE(decodeInvoke(notAString.data(), notAString.size()));
}

TEST(RtmpProtocol, UserControlStreamEvents) {
  const uint8_t begin[] = {0, 0, 0, 0, 0, 1}, eof[] = {0, 1, 0, 0, 0, 1}, dry[] = {0, 2, 0, 0, 0, 1},
                ping[] = {0, 6, 0, 0, 0, 1};
  EXPECT_EQ(decodeStreamEvent(begin, sizeof begin), StreamEvent::Begin);
  EXPECT_EQ(decodeStreamEvent(eof, sizeof eof), StreamEvent::Eof);
  EXPECT_EQ(decodeStreamEvent(dry, sizeof dry), StreamEvent::Dry);
  EXPECT_FALSE(decodeStreamEvent(ping, sizeof ping));
  EXPECT_FALSE(decodeStreamEvent(eof, 1));
  EXPECT_STREQ(toString(StreamEvent::Eof), "StreamEOF");
}

TEST(RtmpAggregate, SplitsTagsAndRebasesTimestamps) {
  Bytes agg;
  putTag(agg, 9, 1000, {0x17, 1, 2});
  putTag(agg, 8, 1010, {0xAF, 1});
  putTag(agg, 18, 1020, {2, 0, 1, 'x'});
  putTag(agg, 4, 1030, {0, 0});  // not media: skipped
  std::vector<RtmpMessage> got;
  size_t n = unpackAggregate(agg.data(), agg.size(), 50000, 1, [&](RtmpMessage&& m) { got.push_back(std::move(m)); });
  ASSERT_EQ(n, 3u);
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].kind(), RtmpMessageType::Video);
  EXPECT_EQ(got[0].timestamp, 50000u);
  EXPECT_EQ(got[1].kind(), RtmpMessageType::Audio);
  EXPECT_EQ(got[1].timestamp, 50010u);
  EXPECT_EQ(got[2].kind(), RtmpMessageType::DataAmf0);
  EXPECT_EQ(got[2].timestamp, 50020u);
  EXPECT_EQ(got[0].body, (Bytes{0x17, 1, 2}));
  EXPECT_EQ(got[2].streamId, 1u);
  EXPECT_TRUE(got[1].isMedia());
}

TEST(RtmpAggregate, StopsAtATruncatedTag) {
  Bytes agg;
  putTag(agg, 9, 0, {1, 2, 3, 4});
  putTag(agg, 9, 40, {5, 6, 7, 8});
  for (size_t cut = 0; cut < agg.size(); ++cut) {
    size_t n = unpackAggregate(agg.data(), cut, 0, 0, [](RtmpMessage&&) {});
    const size_t expected = cut >= 19 + 15 ? 2 : cut >= 15 ? 1 : 0;  // 11-byte header + body (+ 4-byte back pointer)
    EXPECT_EQ(n, expected) << cut;
  }
  EXPECT_EQ(unpackAggregate(agg.data(), agg.size() - 4, 0, 0, [](RtmpMessage&&) {}), 2u)
      << "the last back pointer is not needed";
}
