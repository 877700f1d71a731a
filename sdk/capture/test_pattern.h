// Synthetic sources: a moving test picture and a tone.
//
// The picture (I420, limited range) has a scrolling colour gradient, a bouncing box, a moving noise patch
// (so that the encoder has real work at every preset), the wall-clock time (HH:MM:SS.mmm, UTC) and the frame
// number drawn as large digits, and the machine-readable capture time band of capture/timecode.h at the top.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "common/picture.h"

namespace openlive::detail {

class TestPatternGenerator {
 public:
  TestPatternGenerator(int width, int height);
  // Draws frame `index` captured at `wallClockMs` into `out` (allocated to the generator's size).
  void render(int64_t index, int64_t wallClockMs, I420Image& out);

 private:
  int width_, height_;
  std::vector<uint8_t> noise_;  // a tile of luma noise, width_ x noiseH_
  int noiseH_ = 0;
};

// Draws `text` (digits, ':', '.', ' ' and upper-case letters A-Z) in luma at (x, y) with `scale` pixels per
// font dot (font 3x5 dots, 1 dot spacing). Clipped to the picture.
void drawText(uint8_t* y, int stride, int width, int height, int x, int yPos, int scale, std::string_view text,
              uint8_t luma);

// A continuous sine tone, s16 interleaved; 1 kHz at -12 dBFS with a short louder beep at each full second.
class ToneGenerator {
 public:
  ToneGenerator(int sampleRate, int channels, double frequency = 1000.0);
  // Appends `frames` sample frames to `out`.
  void generate(int frames, std::vector<int16_t>& out);

 private:
  int rate_, channels_;
  double freq_;
  int64_t n_ = 0;
};

}  // namespace openlive::detail
