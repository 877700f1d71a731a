// The pull-style sources that are not devices (those are in av_device_source.h): the test pattern and the tone
// (generated, Realtime), YUV4MPEG2 video and WAV audio from a file or stdin (Realtime for a regular file, Live
// for a pipe, FIFO, socket or terminal, unless told otherwise).
#pragma once

#include <memory>
#include <string>

#include "capture/file_readers.h"
#include "capture/source.h"
#include "capture/test_pattern.h"

namespace openlive::detail {

// Live for a pipe, FIFO, socket or character device ("-" = stdin), Realtime for a regular file.
SourcePacing pacingOfPath(const std::string& path);

class TestPatternSource final : public VideoSource {
 public:
  TestPatternSource(int width, int height, double fps) : gen_(width, height), fps_(fps) {}
  // Draws the next frame with the capture time (now) burned in.
  SourceRead read(I420Image& out, const std::atomic<bool>& cancel, std::string* error) override;
  SourcePacing pacing() const override { return SourcePacing::Realtime; }
  double fps() const override { return fps_; }

 private:
  TestPatternGenerator gen_;
  double fps_;
  int64_t index_ = 0;
};

class Y4mSource final : public VideoSource {
 public:
  bool open(const std::string& path, SourcePacing pacing, std::string* error);
  SourceRead read(I420Image& out, const std::atomic<bool>& cancel, std::string* error) override;
  SourcePacing pacing() const override { return pacing_; }
  double fps() const override { return reader_.fps(); }

 private:
  Y4mReader reader_;
  SourcePacing pacing_ = SourcePacing::Realtime;
};

class ToneSource final : public AudioSource {
 public:
  ToneSource(int rate, int channels) : gen_(rate, channels), rate_(rate), channels_(channels) {}
  SourceRead read(int frames, std::vector<int16_t>& out, const std::atomic<bool>& cancel, std::string* error) override;
  SourcePacing pacing() const override { return SourcePacing::Realtime; }
  int sampleRate() const override { return rate_; }
  int channels() const override { return channels_; }

 private:
  ToneGenerator gen_;
  int rate_, channels_;
};

class WavSource final : public AudioSource {
 public:
  bool open(const std::string& path, SourcePacing pacing, std::string* error);
  SourceRead read(int frames, std::vector<int16_t>& out, const std::atomic<bool>& cancel, std::string* error) override;
  SourcePacing pacing() const override { return pacing_; }
  int sampleRate() const override { return reader_.sampleRate(); }
  int channels() const override { return reader_.channels(); }

 private:
  WavReader reader_;
  SourcePacing pacing_ = SourcePacing::Realtime;
};

}  // namespace openlive::detail
