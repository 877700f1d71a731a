#include "capture/test_pattern.h"

#include "capture/timecode.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>

namespace openlive::detail {
namespace {

// 3x5 glyphs, one row per entry, bit 2 = left column.
struct Glyph {
  char c;
  uint8_t rows[5];
};
constexpr Glyph kFont[] = {
    {'0', {7, 5, 5, 5, 7}}, {'1', {2, 6, 2, 2, 7}}, {'2', {7, 1, 7, 4, 7}}, {'3', {7, 1, 7, 1, 7}},
    {'4', {5, 5, 7, 1, 1}}, {'5', {7, 4, 7, 1, 7}}, {'6', {7, 4, 7, 5, 7}}, {'7', {7, 1, 1, 1, 1}},
    {'8', {7, 5, 7, 5, 7}}, {'9', {7, 5, 7, 1, 7}}, {':', {0, 2, 0, 2, 0}}, {'.', {0, 0, 0, 0, 2}},
    {'A', {2, 5, 7, 5, 5}}, {'B', {6, 5, 6, 5, 6}}, {'C', {7, 4, 4, 4, 7}}, {'D', {6, 5, 5, 5, 6}},
    {'E', {7, 4, 6, 4, 7}}, {'F', {7, 4, 6, 4, 4}}, {'G', {7, 4, 5, 5, 7}}, {'H', {5, 5, 7, 5, 5}},
    {'I', {7, 2, 2, 2, 7}}, {'J', {1, 1, 1, 5, 7}}, {'K', {5, 5, 6, 5, 5}}, {'L', {4, 4, 4, 4, 7}},
    {'M', {5, 7, 7, 5, 5}}, {'N', {6, 5, 5, 5, 5}}, {'O', {7, 5, 5, 5, 7}}, {'P', {7, 5, 7, 4, 4}},
    {'Q', {7, 5, 5, 7, 1}}, {'R', {7, 5, 6, 5, 5}}, {'S', {7, 4, 7, 1, 7}}, {'T', {7, 2, 2, 2, 2}},
    {'U', {5, 5, 5, 5, 7}}, {'V', {5, 5, 5, 5, 2}}, {'W', {5, 5, 7, 7, 5}}, {'X', {5, 5, 2, 5, 5}},
    {'Y', {5, 5, 2, 2, 2}}, {'Z', {7, 1, 2, 4, 7}}, {'-', {0, 0, 7, 0, 0}},
};

const Glyph* glyphFor(char c) {
  for (const auto& g : kFont)
    if (g.c == c) return &g;
  return nullptr;
}

void fillRect(uint8_t* p, int stride, int width, int height, int x, int y, int w, int h, uint8_t v) {
  int x0 = std::max(0, x), y0 = std::max(0, y), x1 = std::min(width, x + w), y1 = std::min(height, y + h);
  for (int r = y0; r < y1; ++r) std::memset(p + static_cast<ptrdiff_t>(r) * stride + x0, v, std::max(0, x1 - x0));
}

}  // namespace

void drawText(uint8_t* y, int stride, int width, int height, int x, int yPos, int scale, std::string_view text,
              uint8_t luma) {
  for (char ch : text) {
    if (const Glyph* g = glyphFor(ch)) {
      for (int r = 0; r < 5; ++r)
        for (int c = 0; c < 3; ++c)
          if (g->rows[r] & (4 >> c)) fillRect(y, stride, width, height, x + c * scale, yPos + r * scale, scale, scale, luma);
    }
    x += 4 * scale;
  }
}

TestPatternGenerator::TestPatternGenerator(int width, int height) : width_(width), height_(height) {
  noiseH_ = std::max(16, height / 4);
  noise_.resize(static_cast<size_t>(width) * 2 * noiseH_);
  uint32_t s = 0x12345678;
  for (auto& n : noise_) {
    s = s * 1664525u + 1013904223u;
    n = static_cast<uint8_t>(40 + ((s >> 24) % 176));
  }
}

void TestPatternGenerator::render(int64_t index, int64_t wallClockMs, I420Image& out) {
  if (out.width != width_ || out.height != height_) out.allocate(width_, height_);
  const int w = width_, h = height_, cw = w / 2, chh = h / 2;
  // Scrolling diagonal gradient in luma, slowly rotating hue in chroma.
  const int shift = static_cast<int>(index * 4);
  for (int r = 0; r < h; ++r) {
    uint8_t* row = out.y.data() + static_cast<size_t>(r) * w;
    for (int c = 0; c < w; ++c) row[c] = static_cast<uint8_t>(48 + ((c + r + shift) & 127));
  }
  const double a = index * 0.05;
  const auto U = static_cast<uint8_t>(128 + 60 * std::cos(a)), V = static_cast<uint8_t>(128 + 60 * std::sin(a));
  for (int r = 0; r < chh; ++r) {
    uint8_t* ru = out.u.data() + static_cast<size_t>(r) * cw;
    uint8_t* rv = out.v.data() + static_cast<size_t>(r) * cw;
    for (int c = 0; c < cw; ++c) {
      ru[c] = static_cast<uint8_t>(U + ((c >> 3) & 7));
      rv[c] = static_cast<uint8_t>(V + ((r >> 3) & 7));
    }
  }
  // Moving noise patch: a window sliding over a wider noise tile.
  const int ny = h - noiseH_ - h / 16;
  const int noff = static_cast<int>((index * 7) % w);
  for (int r = 0; r < noiseH_ && ny + r < h; ++r)
    std::memcpy(out.y.data() + static_cast<size_t>(ny + r) * w, noise_.data() + static_cast<size_t>(r) * 2 * w + noff,
                static_cast<size_t>(w) / 2);
  // Bouncing box.
  const int bs = std::max(8, h / 6);
  const int span = std::max(1, w - bs), period = 2 * span;
  int bx = static_cast<int>((index * 6) % period);
  if (bx > span) bx = period - bx;
  const int by = h / 2 - bs / 2;
  fillRect(out.y.data(), w, w, h, bx, by, bs, bs, 220);
  for (int r = by / 2; r < (by + bs) / 2 && r < chh; ++r)
    for (int c = bx / 2; c < (bx + bs) / 2 && c < cw; ++c) {
      out.u[static_cast<size_t>(r) * cw + c] = 60;
      out.v[static_cast<size_t>(r) * cw + c] = 200;
    }
  // Clock and frame counter on a dark plate.
  const int scale = std::max(2, h / 60);
  const int64_t msOfDay = ((wallClockMs % 86400000) + 86400000) % 86400000;
  char clock[32], counter[32];
  std::snprintf(clock, sizeof clock, "%02d:%02d:%02d.%03d", static_cast<int>(msOfDay / 3600000),
                static_cast<int>(msOfDay / 60000 % 60), static_cast<int>(msOfDay / 1000 % 60),
                static_cast<int>(msOfDay % 1000));
  std::snprintf(counter, sizeof counter, "F %lld", static_cast<long long>(index));
  const int textY = timecodeBandHeight(w) + scale * 2;
  fillRect(out.y.data(), w, w, h, scale, textY - scale, 4 * scale * 13, 13 * scale, 16);
  drawText(out.y.data(), w, w, h, scale * 2, textY, scale, clock, 235);
  drawText(out.y.data(), w, w, h, scale * 2, textY + 6 * scale, scale, counter, 235);
  stampTimecode(out.y.data(), w, w, h, wallClockMs);
}

ToneGenerator::ToneGenerator(int sampleRate, int channels, double frequency)
    : rate_(sampleRate), channels_(channels), freq_(frequency) {}

void ToneGenerator::generate(int frames, std::vector<int16_t>& out) {
  out.reserve(out.size() + static_cast<size_t>(frames) * channels_);
  for (int i = 0; i < frames; ++i, ++n_) {
    const bool beep = (n_ % rate_) < rate_ / 20;  // 50 ms beep each second
    const double amp = beep ? 0.5 : 0.25;
    const auto s = static_cast<int16_t>(amp * 32767.0 * std::sin(2.0 * M_PI * freq_ * static_cast<double>(n_) / rate_));
    for (int c = 0; c < channels_; ++c) out.push_back(s);
  }
}

}  // namespace openlive::detail
