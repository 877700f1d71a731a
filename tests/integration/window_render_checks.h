// Shared by the window render checks (test_player_native_window.cpp, test_player_window_api.cpp): the quadrant
// test picture (640x360: white top-left, red top-right, green bottom-left, blue bottom-right) pushed by the ffmpeg
// CLI, where each part must land in a window for a view (fit / fill, rotation, mirror), screenshot comparison,
// and the fixture (Xvfb 640x480, nginx-rtmp, the stream; SDL in the test process on the private display).
#pragma once

#include "fixtures/media_probe.h"
#include "fixtures/process.h"
#include "fixtures/require.h"
#include "fixtures/servers.h"
#include "fixtures/wait.h"
#include "fixtures/x11_window.h"
#include "fixtures/xvfb.h"

#include <openlive/live_player.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>

namespace openlive::test::window_checks {

using namespace std::chrono_literals;

constexpr int kPicW = 640, kPicH = 360;
enum class Paint { Black, White, Red, Green, Blue, Other };
inline const char* paintName(Paint p) {
  static const char* names[] = {"black", "white", "red", "green", "blue", "other"};
  return names[int(p)];
}
inline Paint classify(Rgb c) {
  auto hi = [](int v) { return v > 170; };
  auto lo = [](int v) { return v < 80; };
  if (lo(c.r) && lo(c.g) && lo(c.b)) return Paint::Black;
  if (hi(c.r) && hi(c.g) && hi(c.b)) return Paint::White;
  if (hi(c.r) && lo(c.g) && lo(c.b)) return Paint::Red;
  if (lo(c.r) && hi(c.g) && lo(c.b)) return Paint::Green;
  if (lo(c.r) && lo(c.g) && hi(c.b)) return Paint::Blue;
  return Paint::Other;
}

struct View {
  bool fill = false;
  int rotation = 0;
  bool mirror = false;
  std::string str() const {
    return std::string(fill ? "fill" : "fit") + " rot " + std::to_string(rotation) + (mirror ? " mirror" : "");
  }
};

// What a W x H window must show at (px, py) (window coordinates): the quadrant's paint, or black outside the
// picture. The picture is scaled (fit: whole, fill: covering), mirrored horizontally, then rotated clockwise
// about the window's centre.
inline Paint expectedPaint(const View& v, int w, int h, double px, double py) {
  const bool swap = v.rotation == 90 || v.rotation == 270;
  const double vw = swap ? kPicH : kPicW, vh = swap ? kPicW : kPicH;
  const double s = v.fill ? std::max(w / vw, h / vh) : std::min(w / vw, h / vh);
  const double dx = px - w / 2.0, dy = py - h / 2.0, a = v.rotation * M_PI / 180.0;
  const double tx = dx * std::cos(a) + dy * std::sin(a), ty = -dx * std::sin(a) + dy * std::cos(a);
  double u = tx / (kPicW * s) + 0.5;
  const double t = ty / (kPicH * s) + 0.5;
  if (v.mirror) u = 1 - u;
  if (u < 0 || u > 1 || t < 0 || t > 1) return Paint::Black;
  return u < 0.5 ? (t < 0.5 ? Paint::White : Paint::Green) : (t < 0.5 ? Paint::Red : Paint::Blue);
}

// Compares a 16 x 16 grid of points of the window at (wx, wy, w, h) with expectedPaint, skipping points within
// 10 px of a boundary (scaling and chroma subsampling blur edges). "" when all match, else what did not.
inline std::string compareView(const std::string& display, int wx, int wy, int w, int h, const View& v) {
  Screenshot shot = grabScreen(display, wx, wy, w, h);
  if (!shot.ok()) return "x11grab failed";
  constexpr int kGrid = 16, kMargin = 10;
  std::ostringstream bad;
  int checked = 0, wrong = 0;
  for (int gy = 0; gy < kGrid; ++gy)
    for (int gx = 0; gx < kGrid; ++gx) {
      const double px = (gx + 0.5) * w / kGrid, py = (gy + 0.5) * h / kGrid;
      const Paint want = expectedPaint(v, w, h, px, py);
      bool stable = true;
      for (auto [ox, oy] : {std::pair{kMargin, 0}, {-kMargin, 0}, {0, kMargin}, {0, -kMargin}})
        stable = stable && expectedPaint(v, w, h, px + ox, py + oy) == want;
      if (!stable) continue;
      ++checked;
      const Paint got = classify(shot.at(wx + int(px), wy + int(py)));
      if (got != want && ++wrong <= 4)
        bad << " (" << int(px) << "," << int(py) << ") " << paintName(got) << " not " << paintName(want) << ";";
    }
  if (checked < kGrid * kGrid / 4) return "too few points checked";
  return wrong ? v.str() + ": " + std::to_string(wrong) + "/" + std::to_string(checked) + " wrong:" + bad.str()
               : "";
}

// Polls screenshots until the window shows `v` (the player applies a change within a frame or two).
inline ::testing::AssertionResult showsView(const std::string& display, int wx, int wy, int w, int h, const View& v,
                                     std::chrono::milliseconds timeout = 6s) {
  std::string last;
  if (waitUntil([&] { return (last = compareView(display, wx, wy, w, h, v)).empty(); }, timeout, 50ms))
    return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "window " << w << "x" << h << " never showed " << v.str() << ": " << last;
}

// The debug overlay's box at the top-left of a window at (wx, wy): a region inside it (8 px margin, 6 px
// padding) is mostly dark (the translucent box) with some bright pixels (the text). Off, the same region is
// the picture under it (white, or a black bar): never both.
struct OverlayLook {
  double dark = 0, bright = 0;
  std::string rgb;  // the region's pixels (to see a change of text)
  bool shown() const { return dark >= 0.4 && bright >= 0.02; }
  std::string str() const {
    return "dark " + std::to_string(int(dark * 100)) + " %, bright " + std::to_string(int(bright * 100)) + " %";
  }
};
inline OverlayLook lookAtOverlay(const std::string& display, int wx, int wy) {
  constexpr int kX = 12, kY = 12, kW = 200, kH = 36;
  Screenshot shot = grabScreen(display, wx + kX, wy + kY, kW, kH);
  OverlayLook l;
  if (!shot.ok()) return l;
  int dark = 0, bright = 0;
  for (int y = 0; y < kH; ++y)
    for (int x = 0; x < kW; ++x) {
      const Rgb c = shot.at(wx + kX + x, wy + kY + y);
      if (std::max({c.r, c.g, c.b}) < 120) ++dark;
      if (std::min({c.r, c.g, c.b}) > 200) ++bright;
    }
  l.dark = double(dark) / (kW * kH);
  l.bright = double(bright) / (kW * kH);
  l.rgb = std::move(shot.rgb);
  return l;
}
// Polls until the overlay is `shown` (or not) in the window at (wx, wy).
inline ::testing::AssertionResult overlayBecomes(const std::string& display, int wx, int wy, bool shown,
                                                 std::chrono::milliseconds timeout = 5s) {
  OverlayLook last;
  if (waitUntil([&] { return (last = lookAtOverlay(display, wx, wy)).shown() == shown; }, timeout, 50ms))
    return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "the debug overlay never " << (shown ? "showed" : "went away") << " ("
                                       << last.str() << ")";
}

// The quadrant picture (white, red / green, blue) as `seconds` of 320x180 Y4M at 15 fps (a local source).
inline bool makeQuadrantY4m(const std::string& path, int seconds, std::string* why) {
  const std::string graph =
      "color=c=white:s=160x90:r=15[a];color=c=red:s=160x90:r=15[b];color=c=lime:s=160x90:r=15[c];"
      "color=c=blue:s=160x90:r=15[d];[a][b][c][d]xstack=inputs=4:layout=0_0|w0_0|0_h0|w0_h0";
  CommandResult r = runCommand({findTool("ffmpeg"), "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
                                graph, "-t", std::to_string(seconds), "-pix_fmt", "yuv420p", path},
                               std::chrono::seconds(30));
  if (r.exitCode != 0) *why = "ffmpeg: " + r.err;
  return r.exitCode == 0;
}

// One picture of a pushed stream read back by the ffmpeg CLI, scaled to 64x36 packed RGB ("" on failure, `err`
// says why); `scratch` is a file path for it.
inline std::string readBackPicture(const std::string& url, const std::string& scratch, std::string* err) {
  CommandResult r = runCommand({findTool("ffmpeg"), "-hide_banner", "-loglevel", "error", "-y", "-i", url,
                                "-frames:v", "1", "-vf", "scale=64:36", "-f", "rawvideo", "-pix_fmt", "rgb24", scratch},
                               std::chrono::seconds(10));
  *err = r.err;
  if (r.exitCode != 0) return {};
  std::ifstream in(scratch, std::ios::binary);
  std::string px((std::istreambuf_iterator<char>(in)), {});
  return px.size() == 64u * 36 * 3 ? px : std::string();
}
inline Rgb pixelOf64x36(const std::string& px, int x, int y) {
  const size_t o = (size_t(y) * 64 + size_t(x)) * 3;
  return Rgb{uint8_t(px[o]), uint8_t(px[o + 1]), uint8_t(px[o + 2])};
}

inline Process startQuadrantPush(const std::string& url, int seconds) {
  const std::string graph =
      "color=c=white:s=320x180:r=30[a];color=c=red:s=320x180:r=30[b];color=c=lime:s=320x180:r=30[c];"
      "color=c=blue:s=320x180:r=30[d];[a][b][c][d]xstack=inputs=4:layout=0_0|w0_0|0_h0|w0_h0[out0]";
  ProcessOptions o;
  o.out = Redirect::null();
  o.err = Redirect::null();
  return Process({findTool("ffmpeg"), "-hide_banner", "-loglevel", "error", "-re", "-f", "lavfi", "-i", graph, "-t",
                  std::to_string(seconds), "-c:v", "libx264", "-preset", "veryfast", "-tune", "zerolatency", "-g",
                  "30", "-pix_fmt", "yuv420p", "-f", "flv", url},
                 o);
}

}  // namespace openlive::test::window_checks

// Xvfb (640x480 unless a derived fixture says otherwise), nginx-rtmp and the quadrant stream; SDL in this
// process runs on the private display.
using namespace openlive::test;
using namespace openlive::test::window_checks;

class PlayerNativeWindowXvfb : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string why;
    OPENLIVE_NEED(haveFfmpegCli(&why), why);
    xvfb_ = XvfbServer::start(screenW_, screenH_, &why);
    OPENLIVE_NEED(xvfb_, why);
    server_ = startNginxRtmp(&why);
    OPENLIVE_NEED(server_, why);
    push_ = startQuadrantPush(server_->rtmpUrl("q"), 25);
    ASSERT_TRUE(server_->waitForPublish("q", 10s)) << server_->logTail();
    setenv("DISPLAY", xvfb_->display().c_str(), 1);  // for SDL in this process (one test per process)
    setenv("SDL_VIDEODRIVER", "x11", 1);
  }
  std::unique_ptr<TestXWindow> window(int x, int y, int w, int h) {
    std::string why;
    auto win = TestXWindow::create(xvfb_->display(), x, y, w, h, &why);
    EXPECT_TRUE(win) << why;
    return win;
  }
  openlive::PlayConfig config(uint64_t window) {
    openlive::PlayConfig cfg;
    cfg.setCacheMode(openlive::CacheMode::Fast);
    cfg.video = {openlive::VideoOutput::Kind::NativeWindow, {}, window};
    cfg.audio.kind = openlive::AudioOutput::Kind::None;
    return cfg;
  }
  void checkViews(bool fill);

  int screenW_ = 640, screenH_ = 480;  // a derived fixture may ask for another screen in its constructor
  std::unique_ptr<XvfbServer> xvfb_;
  std::unique_ptr<MediaServer> server_;
  Process push_;
};

