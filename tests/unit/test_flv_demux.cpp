// Unit tests for the play-side demux stage: FLV byte-stream parser (garbage, truncation, chunking), the FLV
// tag demuxer (sequence headers, composition time, timestamp unwrap), SEI user data.
#include "common/sei_uuids.h"
#include "demux/flv_demuxer.h"
#include "demux/flv_parser.h"
#include "demux/sei.h"

#include <gtest/gtest.h>

#include <random>

using namespace openlive::demux;

namespace {

std::vector<uint8_t> flvHeader() { return {'F', 'L', 'V', 1, 5, 0, 0, 0, 9, 0, 0, 0, 0}; }

void appendTag(std::vector<uint8_t>& out, uint8_t type, uint32_t ts, const std::vector<uint8_t>& body) {
  size_t n = body.size();
  out.insert(out.end(), {type, uint8_t(n >> 16), uint8_t(n >> 8), uint8_t(n), uint8_t(ts >> 16), uint8_t(ts >> 8),
                         uint8_t(ts), uint8_t(ts >> 24), 0, 0, 0});
  out.insert(out.end(), body.begin(), body.end());
  uint32_t prev = uint32_t(11 + n);
  out.insert(out.end(), {uint8_t(prev >> 24), uint8_t(prev >> 16), uint8_t(prev >> 8), uint8_t(prev)});
}

// A minimal but well-formed AVCDecoderConfigurationRecord (SPS/PPS bytes are not decoded here).
std::vector<uint8_t> avcSeqHeader() {
  return {0x17, 0, 0, 0, 0, 1, 0x64, 0, 0x1f, 0xff, 0xe1, 0, 4, 0x67, 0x64, 0, 0x1f, 1, 0, 2, 0x68, 0xee};
}
std::vector<uint8_t> avcNalu(bool key, int32_t cts, std::vector<uint8_t> nal) {
  std::vector<uint8_t> b{uint8_t(key ? 0x17 : 0x27), 1, uint8_t(cts >> 16), uint8_t(cts >> 8), uint8_t(cts)};
  uint32_t n = uint32_t(nal.size());
  b.insert(b.end(), {uint8_t(n >> 24), uint8_t(n >> 16), uint8_t(n >> 8), uint8_t(n)});
  b.insert(b.end(), nal.begin(), nal.end());
  return b;
}
std::vector<uint8_t> aacSeqHeader() { return {0xaf, 0, 0x11, 0x90}; }  // LC, 48 kHz, stereo
std::vector<uint8_t> aacFrame() { return {0xaf, 1, 0x21, 0x10, 0x04}; }

struct Collected {
  std::vector<MediaPacket> packets;
  std::vector<std::vector<uint8_t>> messages;
  int warnings = 0;
  FlvDemuxer::Callbacks callbacks() {
    FlvDemuxer::Callbacks cb;
    cb.onPacket = [this](MediaPacket&& p) { packets.push_back(std::move(p)); };
    cb.onAppMessage = [this](std::vector<uint8_t> m, int64_t) { messages.push_back(std::move(m)); };
    cb.onWarning = [this](const std::string&) { ++warnings; };
    return cb;
  }
};

std::vector<uint8_t> sampleStream(int frames) {
  auto s = flvHeader();
  appendTag(s, 9, 0, avcSeqHeader());
  appendTag(s, 8, 0, aacSeqHeader());
  for (int i = 0; i < frames; ++i) {
    appendTag(s, 9, uint32_t(i * 33), avcNalu(i % 30 == 0, 66, {0x65, 0x88, uint8_t(i)}));
    appendTag(s, 8, uint32_t(i * 33), aacFrame());
  }
  return s;
}

}  // namespace

TEST(FlvParser, ParsesTagsFedByteByByte) {
  auto s = sampleStream(10);
  std::vector<std::pair<int, uint32_t>> tags;
  FlvStreamParser p([&](uint8_t t, uint32_t ts, const uint8_t*, size_t) { tags.emplace_back(t, ts); });
  for (uint8_t b : s) p.feed(&b, 1);
  ASSERT_EQ(tags.size(), 22u);
  EXPECT_EQ(tags[2], std::make_pair(9, 0u));
  EXPECT_EQ(tags[21], std::make_pair(8, 297u));
  EXPECT_TRUE(p.hasVideo());
  EXPECT_TRUE(p.hasAudio());
  EXPECT_EQ(p.garbageBytes(), 0u);
}

TEST(FlvParser, ExtendedTimestampByte) {
  std::vector<uint8_t> s = flvHeader();
  appendTag(s, 9, 0x01234567u, avcNalu(true, 0, {0x65}));
  uint32_t got = 0;
  FlvStreamParser p([&](uint8_t, uint32_t ts, const uint8_t*, size_t) { got = ts; });
  p.feed(s.data(), s.size());
  EXPECT_EQ(got, 0x01234567u);
}

TEST(FlvParser, ResynchronisesAfterGarbage) {
  auto good = sampleStream(5);
  auto s = flvHeader();
  // Header, then garbage, then the tags of a valid stream.
  std::mt19937 rng(7);
  for (int i = 0; i < 5000; ++i) s.push_back(uint8_t(rng()));
  s.insert(s.end(), good.begin() + 13, good.end());
  std::vector<int> types;
  std::vector<std::string> warnings;
  FlvStreamParser p([&](uint8_t t, uint32_t, const uint8_t*, size_t) { types.push_back(t); },
                    [&](const std::string& w) { warnings.push_back(w); });
  for (size_t off = 0; off < s.size(); off += 777) p.feed(s.data() + off, std::min<size_t>(777, s.size() - off));
  EXPECT_GE(types.size(), 10u);  // the valid tags after the garbage come through (the first may be lost)
  EXPECT_GT(p.garbageBytes(), 4000u);
  EXPECT_FALSE(warnings.empty());
}

TEST(FlvParser, PureGarbageAndTruncationNeverCrash) {
  std::mt19937 rng(11);
  for (int round = 0; round < 50; ++round) {
    auto s = sampleStream(20);
    s.resize(rng() % s.size());  // truncated
    for (int i = 0; i < 30; ++i) s[rng() % s.size()] = uint8_t(rng());  // and corrupted
    Collected c;
    FlvDemuxer d(c.callbacks());
    FlvStreamParser p([&](uint8_t t, uint32_t ts, const uint8_t* b, size_t n) { d.pushTag(t, ts, b, n); });
    p.feed(s.data(), s.size());
    EXPECT_LE(p.pendingBytes(), s.size());
  }
}

TEST(FlvParser, OversizedTagIsGarbage) {
  auto s = flvHeader();
  s.insert(s.end(), {9, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0});  // 16 MiB video tag: implausible
  auto good = sampleStream(2);
  s.insert(s.end(), good.begin() + 13, good.end());
  int n = 0;
  FlvStreamParser p([&](uint8_t, uint32_t, const uint8_t*, size_t) { ++n; });
  p.feed(s.data(), s.size());
  EXPECT_GE(n, 5);
}

TEST(FlvDemuxer, SequenceHeadersCompositionTimeAndKeyframes) {
  Collected c;
  FlvDemuxer d(c.callbacks());
  auto nal = avcNalu(true, 66, {0x65, 0x88});
  d.pushTag(9, 100, nal.data(), nal.size());  // before the sequence header: dropped
  EXPECT_EQ(d.droppedBeforeConfig(), 1u);
  auto sh = avcSeqHeader();
  d.pushTag(9, 0, sh.data(), sh.size());
  ASSERT_TRUE(d.videoConfig());
  EXPECT_EQ(d.videoConfig()->nalLengthSize, 4);
  d.pushTag(9, 100, nal.data(), nal.size());
  auto ash = aacSeqHeader();
  d.pushTag(8, 0, ash.data(), ash.size());
  ASSERT_TRUE(d.audioConfig());
  EXPECT_EQ(d.audioConfig()->sampleRate, 48000);
  EXPECT_EQ(d.audioConfig()->channels, 2);
  auto af = aacFrame();
  d.pushTag(8, 120, af.data(), af.size());
  ASSERT_EQ(c.packets.size(), 2u);
  EXPECT_TRUE(c.packets[0].isVideo());
  EXPECT_TRUE(c.packets[0].keyframe);
  EXPECT_EQ(c.packets[0].dtsMs, 100);
  EXPECT_EQ(c.packets[0].ptsMs, 166);
  EXPECT_EQ(c.packets[1].ptsMs, 120);
  EXPECT_EQ(c.packets[1].data.size(), 3u);
}

TEST(FlvDemuxer, NegativeCompositionTime) {
  Collected c;
  FlvDemuxer d(c.callbacks());
  auto sh = avcSeqHeader();
  d.pushTag(9, 0, sh.data(), sh.size());
  auto nal = avcNalu(false, -33, {0x41});
  d.pushTag(9, 1000, nal.data(), nal.size());
  ASSERT_EQ(c.packets.size(), 1u);
  EXPECT_EQ(c.packets[0].ptsMs, 967);
}

TEST(FlvDemuxer, MalformedSequenceHeadersWarn) {
  Collected c;
  FlvDemuxer d(c.callbacks());
  std::vector<uint8_t> bad{0x17, 0, 0, 0, 0, 1, 0x64};  // truncated record
  d.pushTag(9, 0, bad.data(), bad.size());
  std::vector<uint8_t> badAac{0xaf, 0, 0xff};
  d.pushTag(8, 0, badAac.data(), badAac.size());
  EXPECT_FALSE(d.videoConfig());
  EXPECT_GE(c.warnings, 1);
  EXPECT_GE(d.malformedTags(), 1u);
}

TEST(TimestampUnwrap, WrapsAt32Bits) {
  TimestampUnwrapper u;
  EXPECT_EQ(u.unwrap(0xFFFFFF00u), 0xFFFFFF00ll);
  EXPECT_EQ(u.unwrap(0xFFFFFFF0u), 0xFFFFFFF0ll);
  EXPECT_EQ(u.unwrap(0x10u), 0x100000010ll);
  EXPECT_EQ(u.unwrap(0xFFFFFFF8u), 0xFFFFFFF8ll);  // a late packet from before the wrap
  EXPECT_EQ(u.unwrap(0x20u), 0x100000020ll);
}

TEST(TimestampUnwrap, AcrossTheExtendedTimestampBoundary) {
  TimestampUnwrapper u;
  EXPECT_EQ(u.unwrap(0xFFFFF0u), 0xFFFFF0ll);
  EXPECT_EQ(u.unwrap(0x1000010u), 0x1000010ll);  // 24-bit boundary is not a wrap
}

TEST(Sei, AppMessageAndCaptureClock) {
  // SEI NAL: type 5, size 16 + payload, with an emulation-prevention byte inside the payload.
  auto sei = [](const std::array<uint8_t, 16>& uuid, std::vector<uint8_t> payload) {
    std::vector<uint8_t> rbsp{5, uint8_t(16 + payload.size())};
    rbsp.insert(rbsp.end(), uuid.begin(), uuid.end());
    rbsp.insert(rbsp.end(), payload.begin(), payload.end());
    rbsp.push_back(0x80);
    std::vector<uint8_t> nal{0x06};
    int zeros = 0;
    for (uint8_t b : rbsp) {
      if (zeros >= 2 && b <= 3) {
        nal.push_back(3);
        zeros = 0;
      }
      nal.push_back(b);
      zeros = b == 0 ? zeros + 1 : 0;
    }
    return nal;
  };
  Collected c;
  FlvDemuxer d(c.callbacks());
  auto sh = avcSeqHeader();
  d.pushTag(9, 0, sh.data(), sh.size());
  std::vector<uint8_t> payload{'h', 'i', 0, 0, 1, '!'};
  auto nal1 = sei(openlive::detail::kSeiUuidAppMessage, payload);
  auto nal2 = sei(openlive::detail::kSeiUuidCaptureTime, {0, 0, 1, 0x8b, 0xcf, 0xe5, 0x68, 0x00});
  std::vector<uint8_t> body{0x17, 1, 0, 0, 0};
  for (auto* n : {&nal1, &nal2}) {
    uint32_t len = uint32_t(n->size());
    body.insert(body.end(), {uint8_t(len >> 24), uint8_t(len >> 16), uint8_t(len >> 8), uint8_t(len)});
    body.insert(body.end(), n->begin(), n->end());
  }
  d.pushTag(9, 40, body.data(), body.size());
  ASSERT_EQ(c.messages.size(), 1u);
  EXPECT_EQ(c.messages[0], payload);
  ASSERT_EQ(c.packets.size(), 1u);
  ASSERT_TRUE(c.packets[0].captureTimeMs.has_value());
  EXPECT_EQ(*c.packets[0].captureTimeMs, 0x18bcfe56800ll);
}

TEST(Sei, TruncatedSeiIsIgnored) {
  std::vector<uint8_t> nal{0x06, 5, 40, 1, 2, 3};  // claims 40 bytes, has 3
  EXPECT_TRUE(parseSeiNal(nal.data(), nal.size()).empty());
}

TEST(AudioSpecificConfig, RatesAndChannels) {
  std::vector<uint8_t> a{0x12, 0x10};  // LC, 44.1 kHz, stereo
  auto c = parseAacConfig(a.data(), a.size());
  ASSERT_TRUE(c);
  EXPECT_EQ(c->objectType, 2);
  EXPECT_EQ(c->sampleRate, 44100);
  EXPECT_EQ(c->channels, 2);
  std::vector<uint8_t> bad{0x17, 0x80};  // sampling index 15 without the explicit rate
  EXPECT_FALSE(parseAacConfig(bad.data(), bad.size()));
}

// MP3 (sound format 2, and 14 at 8 kHz) needs no sequence header: the tag's flags configure it.
TEST(FlvDemuxer, Mp3IsConfiguredFromTheSoundFlags) {
  Collected c;
  FlvDemuxer d(c.callbacks());
  const std::vector<uint8_t> mp3 = {0x2f, 0xff, 0xfb, 0x90, 0x64};  // MP3, 44 kHz, 16-bit, stereo
  d.pushTag(8, 0, mp3.data(), mp3.size());
  d.pushTag(8, 26, mp3.data(), mp3.size());
  const std::vector<uint8_t> mp3At8k = {0xe2, 0xff, 0xf3};  // MP3 8 kHz, mono
  d.pushTag(8, 52, mp3At8k.data(), mp3At8k.size());
  ASSERT_EQ(c.packets.size(), 3u);
  ASSERT_TRUE(c.packets[0].audioConfig);
  EXPECT_EQ(c.packets[0].audioConfig->codec, AudioCodec::Mp3);
  EXPECT_EQ(c.packets[0].audioConfig->sampleRate, 44100);
  EXPECT_EQ(c.packets[0].audioConfig->channels, 2);
  EXPECT_EQ(c.packets[0].audioConfig, c.packets[1].audioConfig) << "same flags: one configuration";
  EXPECT_EQ(c.packets[0].data, std::vector<uint8_t>(mp3.begin() + 1, mp3.end())) << "the frame without the flags byte";
  EXPECT_EQ(c.packets[2].audioConfig->sampleRate, 8000);
  EXPECT_EQ(c.packets[2].audioConfig->channels, 1);
  EXPECT_EQ(c.packets[2].ptsMs, 52);
}

// A codec the SDK cannot decode is reported once per connection (-> 2101/2102); the other track plays on.
TEST(FlvDemuxer, UnsupportedCodecsAreReportedOncePerTrack) {
  Collected c;
  std::vector<std::pair<MediaPacket::Kind, std::string>> problems;
  auto cb = c.callbacks();
  cb.onTrackProblem = [&](MediaPacket::Kind k, const std::string& d) { problems.emplace_back(k, d); };
  FlvDemuxer d(cb);
  const std::vector<uint8_t> speex = {0xb6, 1, 2, 3}, alaw = {0x72, 1, 2}, vp6 = {0x14, 0, 1, 2, 3};
  for (int i = 0; i < 5; ++i) {
    d.pushTag(8, uint32_t(i * 20), speex.data(), speex.size());
    d.pushTag(9, uint32_t(i * 33), vp6.data(), vp6.size());
  }
  d.pushTag(8, 200, alaw.data(), alaw.size());
  auto seq = avcSeqHeader();
  d.pushTag(9, 0, seq.data(), seq.size());
  auto key = avcNalu(true, 0, {0x65, 1});
  d.pushTag(9, 200, key.data(), key.size());
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0].first, MediaPacket::Kind::Audio);
  EXPECT_NE(problems[0].second.find("Speex (11)"), std::string::npos) << problems[0].second;
  EXPECT_EQ(problems[1].first, MediaPacket::Kind::Video);
  EXPECT_NE(problems[1].second.find("VP6"), std::string::npos) << problems[1].second;
  ASSERT_EQ(c.packets.size(), 1u) << "H.264 still comes through";
  d.reset();  // a new connection reports again
  d.pushTag(8, 0, speex.data(), speex.size());
  EXPECT_EQ(problems.size(), 3u);
}

// A sequence header that never comes: the track's packets are dropped, and after kMissingConfigPackets of them
// the problem is reported once.
TEST(FlvDemuxer, MissingSequenceHeaderIsReportedOnce) {
  Collected c;
  std::vector<std::pair<MediaPacket::Kind, std::string>> problems;
  auto cb = c.callbacks();
  cb.onTrackProblem = [&](MediaPacket::Kind k, const std::string& d) { problems.emplace_back(k, d); };
  FlvDemuxer d(cb);
  auto aacSeq = aacSeqHeader();
  for (uint32_t i = 0; i < 2 * FlvDemuxer::kMissingConfigPackets; ++i) {
    auto p = avcNalu(i % 30 == 0, 0, {0x41, uint8_t(i)});
    d.pushTag(9, i * 33, p.data(), p.size());
    if (i == FlvDemuxer::kMissingConfigPackets) d.pushTag(8, i * 33, aacSeq.data(), aacSeq.size());
    auto a = aacFrame();
    d.pushTag(8, i * 33, a.data(), a.size());
  }
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0].first, MediaPacket::Kind::Video);
  EXPECT_NE(problems[0].second.find("no AVC sequence header"), std::string::npos) << problems[0].second;
  EXPECT_EQ(problems[1].first, MediaPacket::Kind::Audio);
  EXPECT_NE(problems[1].second.find("no AAC sequence header"), std::string::npos) << problems[1].second;
  // Audio plays once its sequence header came late; video never does.
  EXPECT_EQ(c.packets.size(), size_t(FlvDemuxer::kMissingConfigPackets));
  EXPECT_EQ(d.droppedBeforeConfig(), 3 * FlvDemuxer::kMissingConfigPackets);
}
