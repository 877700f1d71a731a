// Capture stage: Y4M and WAV readers (files written here byte by byte), tone, pause card, mirror.
#include <gtest/gtest.h>

#include "capture/file_readers.h"
#include "capture/test_pattern.h"
#include "fixtures/temp_dir.h"
#include "process/video_processor.h"

#include <cmath>
#include <fstream>

using namespace openlive::detail;

TEST(Y4m, ParsesHeader) {
  int w, h, n, d;
  std::string err;
  ASSERT_TRUE(parseY4mHeader("W320 H180 F30000:1001 Ip A1:1 C420jpeg XYSCSS=420JPEG", &w, &h, &n, &d, &err)) << err;
  EXPECT_EQ(w, 320);
  EXPECT_EQ(h, 180);
  EXPECT_EQ(n, 30000);
  EXPECT_EQ(d, 1001);
  EXPECT_FALSE(parseY4mHeader("W320 H180 F25:1 C444", &w, &h, &n, &d, &err));
  EXPECT_NE(err.find("4:2:0"), std::string::npos);
  EXPECT_FALSE(parseY4mHeader("W320 H180 It", &w, &h, &n, &d, &err));
  EXPECT_FALSE(parseY4mHeader("F25:1", &w, &h, &n, &d, &err));
}

TEST(Y4m, ReadsFramesUntilEof) {
  openlive::test::TempDir dir("ol-y4m-unit");
  const auto path = (dir.path() / "a.y4m").string();
  {
    std::ofstream f(path, std::ios::binary);
    f << "YUV4MPEG2 W4 H2 F15:1 Ip C420\n";
    for (int i = 0; i < 3; ++i) {
      f << "FRAME\n";
      std::string y(8, static_cast<char>(i + 1)), u(2, 'u'), v(2, 'v');
      f << y << u << v;
    }
  }
  Y4mReader r;
  std::string err;
  ASSERT_TRUE(r.open(path, &err)) << err;
  EXPECT_EQ(r.width(), 4);
  EXPECT_DOUBLE_EQ(r.fps(), 15.0);
  std::atomic<bool> cancel{false};
  I420Image img;
  int n = 0;
  while (r.readFrame(img, cancel)) {
    EXPECT_EQ(img.y[0], n + 1);
    EXPECT_EQ(img.u[1], 'u');
    ++n;
  }
  EXPECT_EQ(n, 3);
  Y4mReader bad;
  EXPECT_FALSE(bad.open((dir.path() / "missing.y4m").string(), &err));
}

TEST(Wav, ReadsPcmAndStreamsWithUnknownSize) {
  openlive::test::TempDir dir("ol-wav-unit");
  auto write = [&](const std::string& name, uint32_t dataSize, int rate, int channels, int frames) {
    const auto path = (dir.path() / name).string();
    std::ofstream f(path, std::ios::binary);
    auto u32 = [&](uint32_t v) { f.write(reinterpret_cast<const char*>(&v), 4); };
    auto u16 = [&](uint16_t v) { f.write(reinterpret_cast<const char*>(&v), 2); };
    f << "RIFF";
    u32(0xFFFFFFFF);
    f << "WAVE" << "LIST";
    u32(4);
    f << "INFO";  // a chunk to skip
    f << "fmt ";
    u32(16);
    u16(1);
    u16(static_cast<uint16_t>(channels));
    u32(static_cast<uint32_t>(rate));
    u32(static_cast<uint32_t>(rate * channels * 2));
    u16(static_cast<uint16_t>(channels * 2));
    u16(16);
    f << "data";
    u32(dataSize);
    for (int i = 0; i < frames * channels; ++i) u16(static_cast<uint16_t>(i));
    return path;
  };
  std::atomic<bool> cancel{false};
  std::string err;
  WavReader a;
  ASSERT_TRUE(a.open(write("a.wav", 100 * 2 * 2, 44100, 2, 100), &err)) << err;
  EXPECT_EQ(a.sampleRate(), 44100);
  EXPECT_EQ(a.channels(), 2);
  std::vector<int16_t> pcm;
  EXPECT_EQ(a.read(64, pcm, cancel), 64);
  EXPECT_EQ(a.read(64, pcm, cancel), 36);
  EXPECT_EQ(a.read(64, pcm, cancel), 0);
  ASSERT_EQ(pcm.size(), 200u);
  EXPECT_EQ(pcm[199], 199);
  WavReader b;  // size 0xFFFFFFFF, as ffmpeg writes to a pipe: until EOF
  ASSERT_TRUE(b.open(write("b.wav", 0xFFFFFFFF, 16000, 1, 50), &err)) << err;
  pcm.clear();
  EXPECT_EQ(b.read(1000, pcm, cancel), 50);
}

TEST(Tone, IsASineAtTheRequestedLevel) {
  ToneGenerator t(48000, 2);
  std::vector<int16_t> s;
  t.generate(48000, s);
  ASSERT_EQ(s.size(), 96000u);
  EXPECT_EQ(s[1000], s[1001]);  // both channels
  int peak = 0, crossings = 0;
  for (size_t i = 2 * 4800; i + 2 < s.size(); i += 2) {  // after the beep
    peak = std::max(peak, std::abs(static_cast<int>(s[i])));
    crossings += (s[i] < 0) != (s[i + 2] < 0);
  }
  EXPECT_NEAR(peak, 8192, 200);
  EXPECT_NEAR(crossings, 2 * 900, 10);  // 1 kHz over 0.9 s
}

TEST(Process, PauseCardAndMirror) {
  I420Image card = makePauseCard(320, 180, "", nullptr);
  EXPECT_EQ(card.width, 320);
  EXPECT_EQ(card.y[0], 32);
  std::string err;
  I420Image fallback = makePauseCard(320, 180, "/nonexistent.png", &err);
  EXPECT_FALSE(err.empty());
  EXPECT_EQ(fallback.width, 320);

  I420Image img;
  img.allocate(4, 2);
  for (int i = 0; i < 8; ++i) img.y[i] = static_cast<uint8_t>(i);
  mirrorI420(img);
  EXPECT_EQ(img.y[0], 3);
  EXPECT_EQ(img.y[4], 7);

  VideoProcessor p(160, 90);
  I420Image src, out;
  src.allocate(320, 180);
  src.fill(100, 128, 128);
  ASSERT_TRUE(p.process(src.view(), false, out));
  EXPECT_EQ(out.width, 160);
  EXPECT_NEAR(out.y[90 * 80], 100, 1);
}
