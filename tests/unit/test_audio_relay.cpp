// The pusher's audio relay (AudioPipeline::submitRelayed) and the timeline it shares with relayed video
// (RelayTimeline): AAC frames from libavcodec's encoder (another instance than the pipeline's) go out byte for
// byte when their AudioSpecificConfig is the stream's and are refused otherwise; the switch from encoded to
// relayed sound never goes back in time (frames overlapping the flushed sound are refused); the next PCM
// reopens the encoder after the relayed sound; audio and video of one relayed stream keep their relation.
#include <gtest/gtest.h>

#include <cmath>
#include <mutex>

#include "encode/audio_encoder.h"
#include "pusher/audio_pipeline.h"
#include "pusher/push_events.h"
#include "pusher/push_recording.h"
#include "pusher/push_state.h"
#include "pusher/relay_timeline.h"
#include "pusher/run_signal.h"

namespace openlive::detail {
namespace test_audio_relay {

constexpr int kRate = 48000;

// `count` AAC frames of a tone from an encoder of `rate` / `channels`, with its AudioSpecificConfig.
struct AacSource {
  std::vector<uint8_t> asc;
  std::vector<EncodedPacket> frames;
};

AacSource encodeTone(int rate, int channels, int count) {
  AudioEncoder enc;
  std::string err;
  EXPECT_TRUE(enc.open({rate, channels, 64}, &err)) << err;
  AacSource s;
  s.asc = enc.extradata();
  std::vector<int16_t> pcm(size_t(rate / 50) * channels);
  for (int block = 0; s.frames.size() < size_t(count) && block < 500; ++block) {
    for (size_t i = 0; i < pcm.size(); ++i)
      pcm[i] = int16_t(8000 * std::sin(double(block * pcm.size() + i) * 440.0 * 6.283 / rate));
    std::vector<EncodedPacket> out;
    EXPECT_TRUE(enc.encode(pcm.data(), rate / 50, rate, channels, 0, out, &err)) << err;
    for (auto& p : out) s.frames.push_back(std::move(p));
  }
  return s;
}

EncodedAudioPacket view(const AacSource& s, size_t i, int64_t ptsMs) {
  EncodedAudioPacket e;
  e.data = s.frames[i].data.data();
  e.size = s.frames[i].data.size();
  e.config = s.asc.data();
  e.configSize = s.asc.size();
  e.pts = std::chrono::milliseconds(ptsMs);
  return e;
}

// An audio-only pipeline whose interleaver hands the packets to `sent`.
struct Harness {
  PushStateMachine state;
  RunSignal signal;
  PushEvents events{std::make_shared<PusherCallbacks>(), state, signal, [] {}};
  PushStats stats;
  RecordTap record{false, true, events, [] {}};
  RelayTimeline timeline;
  std::mutex mu;
  std::vector<EncodedPacket> sent;
  Interleaver out{Interleaver::Options{false, true}, [this](EncodedPacket&& p, bool) {
                    std::lock_guard lk(mu);
                    sent.push_back(std::move(p));
                  }};
  AudioPipeline pipe{{kRate, 1, 64}, {out, events, stats, record, timeline}};
};

TEST(AudioRelay, FramesOfTheStreamsConfigurationGoOutAsTheyCameAndOthersAreRefused) {
  Harness h;
  std::string err;
  ASSERT_TRUE(h.pipe.open(&err)) << err;
  const AacSource same = encodeTone(kRate, 1, 30), other = encodeTone(44100, 1, 3), stereo = encodeTone(kRate, 2, 3);
  ASSERT_GE(same.frames.size(), 30u);
  EXPECT_EQ(h.pipe.submitRelayed(view(other, 0, 0), 1000).code, ResultCode::UnsupportedSampleRate);
  EXPECT_EQ(h.pipe.submitRelayed(view(stereo, 0, 0), 1000).code, ResultCode::UnsupportedSampleRate);
  EncodedAudioPacket empty = view(same, 0, 0);
  empty.size = 0;
  EXPECT_EQ(h.pipe.submitRelayed(empty, 1000).code, ResultCode::InvalidArgument);
  EXPECT_FALSE(h.pipe.relaying()) << "nothing was relayed: the encoder still runs";
  for (size_t i = 0; i < 30; ++i) {
    const int64_t pts = 5000 + int64_t(i) * 1024 * 1000 / kRate;
    ASSERT_TRUE(h.pipe.submitRelayed(view(same, i, pts), 1000 + pts - 5000)) << i;
  }
  std::lock_guard lk(h.mu);
  ASSERT_EQ(h.sent.size(), 30u);
  for (size_t i = 0; i < 30; ++i) {
    EXPECT_EQ(h.sent[i].data, same.frames[i].data) << "byte for byte: " << i;
    EXPECT_EQ(h.sent[i].dtsMs, 1000 + int64_t(i) * 1024 * 1000 / kRate) << "the source's spacing on the clock";
  }
}

TEST(AudioRelay, TheSwitchesNeverGoBackAndPcmAfterRelayedSoundReopensTheEncoder) {
  Harness h;
  std::string err;
  ASSERT_TRUE(h.pipe.open(&err)) << err;
  std::vector<int16_t> pcm(kRate / 50, 1000);
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(h.pipe.submit(pcm.data(), kRate / 50, kRate, 1, 1000));  // 1000..1200
  const AacSource src = encodeTone(kRate, 1, 20);
  // The relayed sound arrives stamped where the encoded sound (flushed first) still plays: refused until past it.
  int refused = 0, accepted = 0;
  for (size_t i = 0; i < 20; ++i) {
    const int64_t pts = int64_t(i) * 1024 * 1000 / kRate;
    const Result r = h.pipe.submitRelayed(view(src, i, pts), 1150 + pts);
    if (r) ++accepted;
    else if (r.code == ResultCode::NotReady) ++refused;
    else ADD_FAILURE() << r.message;
  }
  EXPECT_GT(refused, 0);
  EXPECT_GT(accepted, 10);
  EXPECT_TRUE(h.pipe.relaying());
  size_t relayedEnd;
  {
    std::lock_guard lk(h.mu);
    relayedEnd = h.sent.size();
  }
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(h.pipe.submit(pcm.data(), kRate / 50, kRate, 1, 1600));
  EXPECT_FALSE(h.pipe.relaying()) << "the PCM ended the relay";
  h.pipe.finish();
  std::lock_guard lk(h.mu);
  EXPECT_GT(h.sent.size(), relayedEnd) << "the fresh encoder's sound went out";
  for (size_t i = 1; i < h.sent.size(); ++i) EXPECT_GT(h.sent[i].dtsMs, h.sent[i - 1].dtsMs) << i;
}

TEST(RelayTimeline, AudioAndVideoOfOneStreamShareTheMappingAndAJumpReanchors) {
  RelayTimeline t;
  using Track = RelayTimeline::Track;
  EXPECT_EQ(t.offsetFor(Track::Video, 10000, 500, true), -9500) << "a keyframe anchors at now";
  // The sound arrives 30 ms after its picture's time: mapped with the same offset, the relation stays.
  EXPECT_EQ(t.offsetFor(Track::Audio, 10000, 530, true), -9500);
  EXPECT_EQ(t.offsetFor(Track::Video, 10066, 566, false), -9500);
  // A non-keyframe cannot anchor, a frame that arrived earlier than all pulls the offset down at most kSlewMs.
  EXPECT_EQ(t.offsetFor(Track::Video, 10132, 600, false), -9500 - RelayTimeline::kSlewMs);
  // The audio source restarts (back in time): any audio frame may re-anchor.
  EXPECT_EQ(t.offsetFor(Track::Audio, 0, 700, true), 700);
  // A floor keeps what follows after it.
  EXPECT_EQ(t.offsetFor(Track::Audio, 21, 721, true, 800), 800);
  EXPECT_EQ(t.offsetFor(Track::Audio, 42, 742, true), 800 - RelayTimeline::kSlewMs);
}

}  // namespace test_audio_relay
}  // namespace openlive::detail
