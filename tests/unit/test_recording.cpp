// Local recording (mux/file_muxer, mux/local_recorder) and snapshots (process/snapshot), fed with media the SDK's
// own encoders make from its test pattern and tone; every file is read back by an independent reader (ffprobe,
// or libavformat/libavcodec decoding the image).
#include <gtest/gtest.h>

#include "capture/test_pattern.h"
#include "encode/audio_encoder.h"
#include "encode/video_encoder.h"
#include "fixtures/media_probe.h"
#include "fixtures/require.h"
#include "fixtures/temp_dir.h"
#include "mux/file_muxer.h"
#include "mux/flv_mux.h"
#include "mux/local_recorder.h"
#include "mux/recording_finisher.h"
#include "process/snapshot.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libswscale/swscale.h>
}

#include <cmath>
#include <condition_variable>
#include <fstream>
#include <mutex>
#include <thread>

using namespace openlive::detail;
using openlive::test::TempDir;

namespace {

// Encoded test media: `seconds` of the test pattern (w x h @ fps, GOP 1 s) and the tone, interleaved by time.
struct Media {
  std::vector<RecPacket> packets;
  std::shared_ptr<const RecVideoConfig> video;
  std::shared_ptr<const RecAudioConfig> audio;
  int videoFrames = 0;
};

Media encodeMedia(double seconds, int w, int h, int fps, int64_t startMs = 0) {
  Media m;
  VideoEncoderOptions vo;
  vo.params.width = w;
  vo.params.height = h;
  vo.params.fps = fps;
  vo.params.gopSeconds = 1;
  vo.params.bitrateKbps = vo.params.minBitrateKbps = vo.params.maxBitrateKbps = 400;
  vo.params.lowLatency = true;
  VideoEncoder venc;
  std::string err;
  EXPECT_TRUE(venc.open(vo, &err)) << err;
  auto vc = std::make_shared<RecVideoConfig>();
  vc->avcc = *buildAvcDecoderConfig(venc.extradata().data(), venc.extradata().size());
  vc->width = w;
  vc->height = h;
  m.video = vc;
  AudioEncoder aenc;
  EXPECT_TRUE(aenc.open(AudioEncoderOptions{48000, 1, 64}, &err)) << err;
  auto ac = std::make_shared<RecAudioConfig>();
  ac->asc = aenc.extradata();
  ac->sampleRate = 48000;
  ac->channels = 1;
  m.audio = ac;
  TestPatternGenerator gen(w, h);
  ToneGenerator tone(48000, 1);
  I420Image img;
  img.allocate(w, h);
  const int frames = static_cast<int>(seconds * fps);
  int64_t audioDone = 0;  // samples
  for (int i = 0; i < frames; ++i) {
    const int64_t pts = startMs + i * 1000 / fps;
    gen.render(i, pts, img);
    const uint8_t* planes[3] = {img.y.data(), img.u.data(), img.v.data()};
    const int strides[3] = {w, w / 2, w / 2};
    std::vector<EncodedPacket> out;
    EXPECT_TRUE(venc.encode(planes, strides, pts, false, out, &err)) << err;
    for (auto& p : out) {
      RecPacket r;
      r.video = true;
      r.keyframe = p.keyframe;
      r.dtsMs = p.dtsMs;
      r.ptsMs = p.ptsMs;
      r.data = annexBToAvcc(p.data.data(), p.data.size());
      r.videoConfig = m.video;
      m.packets.push_back(std::move(r));
      ++m.videoFrames;
    }
    // Audio up to this video frame's time.
    const int64_t want = (pts - startMs + 1000 / fps) * 48;
    std::vector<int16_t> pcm;
    if (want > audioDone) {
      tone.generate(static_cast<int>(want - audioDone), pcm);
      std::vector<EncodedPacket> aout;
      EXPECT_TRUE(aenc.encode(pcm.data(), static_cast<int>(want - audioDone), 48000, 1, startMs, aout, &err)) << err;
      audioDone = want;
      for (auto& p : aout) {
        RecPacket r;
        r.video = false;
        r.keyframe = true;
        r.dtsMs = r.ptsMs = p.dtsMs;
        r.data = p.data;
        r.audioConfig = m.audio;
        m.packets.push_back(std::move(r));
      }
    }
  }
  return m;
}

// Collects the recorder's reports.
struct Reports {
  std::mutex mu;
  std::condition_variable cv;
  std::vector<RecordResult> results;
  std::vector<std::pair<std::string, int64_t>> progress;
  LocalRecorder::Callbacks callbacks() {
    LocalRecorder::Callbacks cb;
    cb.onResult = [this](const RecordResult& r) {
      std::lock_guard lk(mu);
      results.push_back(r);
      cv.notify_all();
    };
    cb.onProgress = [this](const std::string& p, int64_t ms) {
      std::lock_guard lk(mu);
      progress.emplace_back(p, ms);
      cv.notify_all();
    };
    return cb;
  }
};

// Decodes an image file into limited-range I420 (the snapshot's source format) with libavformat/libavcodec.
bool decodeImage(const std::string& path, I420Image& out) {
  AVFormatContext* fmt = nullptr;
  if (avformat_open_input(&fmt, path.c_str(), nullptr, nullptr) < 0) return false;
  bool ok = false;
  if (avformat_find_stream_info(fmt, nullptr) >= 0 && fmt->nb_streams == 1) {
    const AVCodec* codec = avcodec_find_decoder(fmt->streams[0]->codecpar->codec_id);
    AVCodecContext* ctx = codec ? avcodec_alloc_context3(codec) : nullptr;
    AVPacket* pkt = av_packet_alloc();
    AVFrame* f = av_frame_alloc();
    if (ctx && avcodec_parameters_to_context(ctx, fmt->streams[0]->codecpar) >= 0 && avcodec_open2(ctx, codec, nullptr) >= 0 &&
        av_read_frame(fmt, pkt) >= 0 && avcodec_send_packet(ctx, pkt) >= 0 && avcodec_receive_frame(ctx, f) >= 0) {
      out.allocate(f->width, f->height);
      SwsContext* sws = sws_getContext(f->width, f->height, static_cast<AVPixelFormat>(f->format), f->width, f->height,
                                       AV_PIX_FMT_YUV420P, SWS_BICUBIC, nullptr, nullptr, nullptr);
      uint8_t* dst[4] = {out.y.data(), out.u.data(), out.v.data(), nullptr};
      int dstStride[4] = {f->width, f->width / 2, f->width / 2, 0};
      if (sws) {
        sws_scale(sws, f->data, f->linesize, 0, f->height, dst, dstStride);
        sws_freeContext(sws);
        ok = true;
      }
    }
    av_frame_free(&f);
    av_packet_free(&pkt);
    avcodec_free_context(&ctx);
  }
  avformat_close_input(&fmt);
  return ok;
}

double meanAbsDiff(const std::vector<uint8_t>& a, const std::vector<uint8_t>& b) {
  if (a.size() != b.size() || a.empty()) return 1e9;
  double sum = 0;
  for (size_t i = 0; i < a.size(); ++i) sum += std::abs(int(a[i]) - int(b[i]));
  return sum / static_cast<double>(a.size());
}

bool haveProbe() {
  std::string why;
  return openlive::test::haveFfmpegCli(&why);
}

}  // namespace

// ---------------------------------------------------------------- snapshots

TEST(Snapshot, JpegAndPngDecodeBackToThePicture) {
  TempDir dir("ol-snap");
  TestPatternGenerator gen(320, 180);
  I420Image img;
  img.allocate(320, 180);
  gen.render(7, 1700000000123, img);
  for (const char* name : {"a.jpg", "b.png", "c.JPEG"}) {
    const std::string path = (dir / name).string();
    std::string err;
    ASSERT_TRUE(writeSnapshot(img, path, &err)) << name << ": " << err;
    I420Image back;
    ASSERT_TRUE(decodeImage(path, back)) << name;
    EXPECT_EQ(back.width, 320);
    EXPECT_EQ(back.height, 180);
    // Luma close to the source (JPEG is lossy; PNG goes through RGB, where the pattern's saturated colours
    // clip), and the same brightness overall (a range mistake would shift it by ~10 %).
    EXPECT_LT(meanAbsDiff(back.y, img.y), 8.0) << name;
    double meanBack = 0, meanSrc = 0;
    for (size_t i = 0; i < img.y.size(); ++i) {
      meanBack += back.y[i];
      meanSrc += img.y[i];
    }
    EXPECT_NEAR(meanBack / img.y.size(), meanSrc / img.y.size(), 2.0) << name;
    EXPECT_FALSE(std::filesystem::exists(path + ".part"));
  }
  // Never overwrites, even when the file appeared after the request was checked.
  std::string err;
  EXPECT_FALSE(writeSnapshot(img, (dir / "a.jpg").string(), &err));
  EXPECT_NE(err.find("exists"), std::string::npos) << err;
}

TEST(Snapshot, PathChecksGiveTheTxCodes) {
  TempDir dir("ol-snap-path");
  std::string why;
  EXPECT_EQ(checkSnapshotPath("", &why), -2);
  EXPECT_EQ(checkSnapshotPath((dir / "x.bmp").string(), &why), -2);
  EXPECT_NE(why.find("unsupported"), std::string::npos);
  EXPECT_EQ(checkSnapshotPath((dir / "missing" / "x.jpg").string(), &why), -2);
  EXPECT_NE(why.find("no such folder"), std::string::npos);
  std::ofstream((dir / "taken.png").string()) << "x";
  EXPECT_EQ(checkSnapshotPath((dir / "taken.png").string(), &why), -3);
  EXPECT_EQ(checkSnapshotPath((dir / "fresh.png").string(), &why), 0);
  // Odd sizes are fine (copyI420 from any strides).
  std::vector<uint8_t> y(33 * 17, 100), u(17 * 9, 128), v(17 * 9, 128);
  const uint8_t* planes[3] = {y.data(), u.data(), v.data()};
  const int strides[3] = {33, 17, 17};
  I420Image odd;
  copyI420(planes, strides, 31, 17, odd);
  EXPECT_TRUE(writeSnapshot(odd, (dir / "odd.png").string(), &why)) << why;
}

// ---------------------------------------------------------------- recording

TEST(Recorder, ProbesThePictureSizeFromTheStream) {
  Media m = encodeMedia(0.2, 426, 240, 15);
  ASSERT_FALSE(m.packets.empty());
  const RecPacket* idr = nullptr;
  for (const auto& p : m.packets)
    if (p.video && p.keyframe) idr = &p;
  ASSERT_NE(idr, nullptr);
  int w = 0, h = 0;
  ASSERT_TRUE(probeH264Size(m.video->avcc, idr->data, &w, &h));
  EXPECT_EQ(w, 426);
  EXPECT_EQ(h, 240);
  EXPECT_FALSE(probeH264Size(m.video->avcc, std::vector<uint8_t>{0, 0, 0, 2, 0x65, 0x88}, &w, &h) && w == 0);
  EXPECT_EQ(recordFormatFor("a/b.MP4"), "mp4");
  EXPECT_EQ(recordFormatFor("x.flv"), "flv");
  EXPECT_EQ(recordFormatFor("x.avi"), "");
  EXPECT_EQ(recordFormatFor("dir.mp4/x"), "");
}

TEST(Recorder, Mp4AndFlvHoldBothTracksFromTheFirstIdr) {
  OPENLIVE_NEED(haveProbe(), "ffprobe not installed");
  TempDir dir("ol-rec");
  Media m = encodeMedia(4.0, 320, 180, 15);
  // Start the feed with a few P-frames and audio before an IDR: the file must start at the next IDR.
  size_t from = 0;
  while (from < m.packets.size() && !(m.packets[from].video && !m.packets[from].keyframe)) ++from;
  for (const char* name : {"rec.mp4", "rec.flv"}) {
    Reports rep;
    LocalRecorder::Options o;
    o.path = (dir / name).string();
    o.audioConfig = m.audio;
    {
      LocalRecorder rec(o, rep.callbacks());
      for (size_t i = from; i < m.packets.size(); ++i) EXPECT_TRUE(rec.push(m.packets[i]));
      rec.stop();
      EXPECT_FALSE(rec.push(m.packets.back())) << "refused after stop";
      EXPECT_GT(rec.packetsSkipped(), 0u);
    }
    ASSERT_EQ(rep.results.size(), 1u);
    const RecordResult& r = rep.results[0];
    EXPECT_TRUE(r.ok) << r.error;
    EXPECT_EQ(r.path, o.path);
    EXPECT_NEAR(r.durationMs, 3000, 150) << name;  // from the IDR at 1 s to the end
    EXPECT_GE(rep.progress.size(), 2u);
    openlive::test::ProbeOptions po;
    po.packets = true;
    auto probe = openlive::test::probeMedia(o.path, std::chrono::seconds(20), {}, po);
    ASSERT_TRUE(probe.ok) << probe.error;
    ASSERT_NE(probe.video(), nullptr);
    ASSERT_NE(probe.audio(), nullptr);
    EXPECT_EQ(probe.video()->codecName, "h264");
    EXPECT_EQ(probe.video()->width, 320);
    EXPECT_EQ(probe.video()->height, 180);
    EXPECT_EQ(probe.audio()->codecName, "aac");
    EXPECT_EQ(probe.audio()->sampleRate, 48000);
    EXPECT_EQ(probe.video()->packets, 45) << name;  // 3 s at 15 fps: every frame from the IDR on
    EXPECT_NEAR(probe.duration, 3.0, 0.15) << name;
    // The first video packet is a keyframe at time 0.
    for (const auto& p : probe.packets)
      if (p.streamIndex == probe.video()->index) {
        EXPECT_TRUE(p.keyframe);
        EXPECT_NEAR(p.pts, 0.0, 0.001);
        break;
      }
  }
}

TEST(Recorder, SlicesAtKeyframesAndOnANewVideoConfiguration) {
  OPENLIVE_NEED(haveProbe(), "ffprobe not installed");
  TempDir dir("ol-rec-slice");
  Media a = encodeMedia(7.0, 320, 180, 15);
  Media b = encodeMedia(2.0, 240, 136, 15, 7000);  // the encoder reopened at a new size (resolution ladder)
  Reports rep;
  LocalRecorder::Options o;
  o.path = (dir / "s.mp4").string();
  o.slice = std::chrono::seconds(3);
  o.audioConfig = a.audio;
  {
    LocalRecorder rec(o, rep.callbacks());
    for (const auto& p : a.packets) rec.push(p);
    for (auto p : b.packets) {
      if (!p.video) p.audioConfig = a.audio;  // same audio encoder
      rec.push(std::move(p));
    }
    rec.stop();
  }
  ASSERT_EQ(rep.results.size(), 4u);  // 0-3 s, 3-6 s, 6-7 s (cut by the new size), 7-9 s
  EXPECT_EQ(rep.results[1].path, (dir / "s_2.mp4").string());
  EXPECT_EQ(rep.results[3].path, (dir / "s_4.mp4").string());
  const int64_t expect[] = {3000, 3000, 1000, 2000};
  const int widths[] = {320, 320, 320, 240};
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_TRUE(rep.results[i].ok) << rep.results[i].error;
    EXPECT_NEAR(rep.results[i].durationMs, expect[i], 120) << i;
    auto probe = openlive::test::probeMedia(rep.results[i].path);
    ASSERT_TRUE(probe.ok) << probe.error;
    ASSERT_NE(probe.video(), nullptr);
    EXPECT_EQ(probe.video()->width, widths[i]) << i;
    EXPECT_NE(probe.audio(), nullptr) << i;
  }
}

TEST(Recorder, DetectsTheTracksAVideoOnlyStreamHas) {
  OPENLIVE_NEED(haveProbe(), "ffprobe not installed");
  TempDir dir("ol-rec-detect");
  Media m = encodeMedia(3.0, 320, 180, 15);
  Reports rep;
  LocalRecorder::Options o;
  o.path = (dir / "v.flv").string();
  o.detectTracks = true;
  {
    LocalRecorder rec(o, rep.callbacks());
    for (auto p : m.packets) {
      if (!p.video) continue;
      p.videoConfig = std::make_shared<RecVideoConfig>(RecVideoConfig{m.video->avcc, 0, 0});  // size from the SPS
      rec.push(std::move(p));
    }
    rec.stop();
  }
  ASSERT_EQ(rep.results.size(), 1u);
  EXPECT_TRUE(rep.results[0].ok) << rep.results[0].error;
  auto probe = openlive::test::probeMedia(o.path);
  ASSERT_TRUE(probe.ok) << probe.error;
  ASSERT_NE(probe.video(), nullptr);
  EXPECT_EQ(probe.video()->width, 320);
  EXPECT_EQ(probe.audio(), nullptr);
  // The tracks are decided after 1 s of media: the file starts at the IDR at 1 s (each config object was new,
  // but with the same bytes, so no new slices).
  EXPECT_NEAR(rep.results[0].durationMs, 2000, 120);
}

TEST(Recorder, FailsTheRecordingWhenTheWriterFallsBehindAndReportsEmptyStops) {
  TempDir dir("ol-rec-fail");
  Media m = encodeMedia(1.5, 320, 180, 15);
  {
    Reports rep;
    LocalRecorder::Options o;
    o.path = (dir / "small.mp4").string();
    o.audioConfig = m.audio;
    o.maxQueuedBytes = 64;  // smaller than any video frame: policy "fail-recording" at the first one
    LocalRecorder rec(o, rep.callbacks());
    bool refused = false;
    for (const auto& p : m.packets) refused |= !rec.push(p);
    EXPECT_TRUE(refused);
    rec.stop();
    ASSERT_EQ(rep.results.size(), 1u);
    EXPECT_FALSE(rep.results[0].ok);
    EXPECT_NE(rep.results[0].error.find("does not keep up"), std::string::npos) << rep.results[0].error;
  }
  {
    Reports rep;
    LocalRecorder::Options o;
    o.path = (dir / "none.flv").string();
    o.audioConfig = m.audio;
    LocalRecorder rec(o, rep.callbacks());
    rec.stop();  // nothing pushed
    ASSERT_EQ(rep.results.size(), 1u);
    EXPECT_FALSE(rep.results[0].ok);
    EXPECT_NE(rep.results[0].error.find("nothing was recorded"), std::string::npos);
  }
  std::string why;
  EXPECT_EQ(LocalRecorder::checkPath("", &why), -2);
  EXPECT_EQ(LocalRecorder::checkPath((dir / "x.avi").string(), &why), -2);
  EXPECT_EQ(LocalRecorder::checkPath((dir / "nodir" / "x.mp4").string(), &why), -2);
  std::ofstream((dir / "exists.mp4").string()) << "x";
  EXPECT_EQ(LocalRecorder::checkPath((dir / "exists.mp4").string(), &why), -3);
  EXPECT_EQ(LocalRecorder::slicePath("/a/b/rec.mp4", 1), "/a/b/rec.mp4");
  EXPECT_EQ(LocalRecorder::slicePath("/a/b/rec.mp4", 3), "/a/b/rec_3.mp4");
}

// ---------------------------------------------------------------- bounded stop (a slow disk)

namespace {

// Options for a recording of `m` to <dir>/<name> on a slow disk: through the test seam the writer waits
// `perPacket` before each packet. Reports go through `gate` (a session's).
LocalRecorder::Options onSlowDisk(const TempDir& dir, const std::string& name, const Media& m,
                                  std::chrono::milliseconds perPacket, std::shared_ptr<RecordReportGate> gate) {
  LocalRecorder::Options o;
  o.path = (dir / name).string();
  o.audioConfig = m.audio;
  o.reportGate = std::move(gate);
  o.beforeWrite = [perPacket](const RecPacket&) { std::this_thread::sleep_for(perPacket); };  // scenario: a slow disk
  return o;
}

}  // namespace

TEST(RecorderStop, AStopLeavesASlowDiskToTheFinisherAndTheFileIsComplete) {
  OPENLIVE_NEED(haveProbe(), "ffprobe not installed");
  TempDir dir("ol-rec-slow");
  Media m = encodeMedia(3.0, 320, 180, 15);
  Reports rep;  // ~190 packets at 15 ms: about 3 s of writing; the session's gate stays open
  const auto o = onSlowDisk(dir, "slow.mp4", m, std::chrono::milliseconds(15), std::make_shared<RecordReportGate>());
  {
    LocalRecorder rec(o, rep.callbacks());
    for (const auto& p : m.packets) EXPECT_TRUE(rec.push(p));
    EXPECT_FALSE(rec.stopWithin(std::chrono::milliseconds(50))) << "the stop must not wait for the disk";
    EXPECT_FALSE(rec.active());
    EXPECT_GE(RecordingFinisher::instance().pending(), 1u);
  }  // the recorder is gone; its file is still being written
  ASSERT_TRUE(RecordingFinisher::instance().waitAll(std::chrono::seconds(60)));
  std::lock_guard lk(rep.mu);
  ASSERT_EQ(rep.results.size(), 1u) << "reported through the open gate once finished";
  EXPECT_TRUE(rep.results[0].ok) << rep.results[0].error;
  auto probe = openlive::test::probeMedia(o.path);
  ASSERT_TRUE(probe.ok) << probe.error;
  ASSERT_NE(probe.video(), nullptr);
  EXPECT_EQ(probe.video()->packets, 45) << "every queued frame was written";
  EXPECT_NEAR(probe.duration, 3.0, 0.15);
}

TEST(RecorderStop, AClosedGateSilencesAFileFinishedInTheBackground) {
  OPENLIVE_NEED(haveProbe(), "ffprobe not installed");
  TempDir dir("ol-rec-gate");
  Media m = encodeMedia(2.0, 320, 180, 15);
  Reports rep;
  auto gate = std::make_shared<RecordReportGate>();
  const auto o = onSlowDisk(dir, "quiet.flv", m, std::chrono::milliseconds(5), gate);
  {
    LocalRecorder rec(o, rep.callbacks());
    for (const auto& p : m.packets) rec.push(p);
    EXPECT_FALSE(rec.stopWithin(std::chrono::milliseconds(0)));
  }
  gate->close();  // the session stopped: nothing may reach it any more
  ASSERT_TRUE(RecordingFinisher::instance().waitAll(std::chrono::seconds(60)));
  std::lock_guard lk(rep.mu);
  EXPECT_TRUE(rep.results.empty());
  auto probe = openlive::test::probeMedia(o.path);
  ASSERT_TRUE(probe.ok) << probe.error;
  EXPECT_NEAR(probe.duration, 2.0, 0.15) << "the file is finished all the same";
}

TEST(RecorderStop, ACutAtTheExitDeadlineLeavesAPlayableFragmentedMp4) {
  OPENLIVE_NEED(haveProbe(), "ffprobe not installed");
  TempDir dir("ol-rec-cut");
  Media m = encodeMedia(4.0, 320, 180, 15);
  Reports rep;  // ~250 packets at 40 ms: 10 s to write it all
  const auto o = onSlowDisk(dir, "cut.mp4", m, std::chrono::milliseconds(40), std::make_shared<RecordReportGate>());
  LocalRecorder rec(o, rep.callbacks());
  for (const auto& p : m.packets) rec.push(p);
  {
    std::unique_lock lk(rep.mu);  // about a second of media written
    ASSERT_TRUE(rep.cv.wait_for(lk, std::chrono::seconds(30), [&] { return !rep.progress.empty(); }));
  }
  EXPECT_FALSE(rec.stopWithin(std::chrono::milliseconds(0)));
  ASSERT_TRUE(RecordingFinisher::instance().cutAll(std::chrono::seconds(30)));
  std::lock_guard lk(rep.mu);
  ASSERT_EQ(rep.results.size(), 1u);
  EXPECT_TRUE(rep.results[0].ok) << rep.results[0].error;
  auto probe = openlive::test::probeMedia(o.path);
  ASSERT_TRUE(probe.ok) << probe.error;
  ASSERT_NE(probe.video(), nullptr);
  EXPECT_GT(probe.duration, 0.9);
  EXPECT_LT(probe.duration, 3.9) << "cut short: the rest of the queue was dropped";
}
