// openlive-bench-y4m: the two ends of the network comparison (tests/bench/network_compare.sh).
//
//   openlive-bench-y4m source  [--width W --height H --fps F --duration S]  > y4m
//     Renders the SDK's test pattern (capture/test_pattern.h) in real time with the capture wall clock burned in
//     (capture/timecode.h) and writes it as YUV4MPEG2 to stdout, for a pusher we do not control (the ffmpeg CLI).
//     Like a camera with a two-frame ring: when the reader is blocked (its network is stalled), frames are
//     dropped at the source, never delivered late. Prints "SOURCE_FRAMES=N SOURCE_DROPS=M" to stderr at the end.
//
//   openlive-bench-y4m latency [--fps F]  < y4m
//     Reads decoded pictures (any player's YUV4MPEG2 output on a pipe: ffmpeg -f yuv4mpegpipe -, openlive-play
//     --video y4m:-) and, for each picture, at the moment it has fully arrived, prints
//       F <arrival wall ms> <latency ms | -1 if the timecode is unreadable> <frames skipped before it>
//     where latency = arrival - capture time read back from the picture, and "skipped" counts the capture
//     intervals missing between this picture and the previous one (source, encoder, network or player drops).
//     The same measure for every player, so the comparison does not depend on what a player reports itself.
#include "capture/test_pattern.h"
#include "capture/timecode.h"

#include <CLI/CLI.hpp>

#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace {

volatile std::sig_atomic_t g_stop = 0;
void onStop(int) { g_stop = 1; }

int64_t wallMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int runSource(int width, int height, int fps, double duration) {
  using namespace openlive::detail;
  std::signal(SIGPIPE, SIG_IGN);
  std::signal(SIGINT, onStop);  // stopped by the driver: still print the counts
  std::signal(SIGTERM, onStop);
  constexpr size_t kRing = 2;  // frames a capture device would hold for a slow reader
  std::mutex mu;
  std::condition_variable cv;
  std::deque<I420Image> ring;
  std::atomic<bool> done{false};
  int64_t produced = 0, dropped = 0;

  std::thread writer([&] {
    std::fprintf(stdout, "YUV4MPEG2 W%d H%d F%d:1 Ip A1:1 C420jpeg\n", width, height, fps);
    for (;;) {
      I420Image img;
      {
        std::unique_lock lk(mu);
        cv.wait(lk, [&] { return !ring.empty() || done.load(); });
        if (ring.empty()) break;
        img = std::move(ring.front());
        ring.pop_front();
      }
      bool ok = std::fputs("FRAME\n", stdout) >= 0 && std::fwrite(img.y.data(), 1, img.y.size(), stdout) == img.y.size() &&
                std::fwrite(img.u.data(), 1, img.u.size(), stdout) == img.u.size() &&
                std::fwrite(img.v.data(), 1, img.v.size(), stdout) == img.v.size() && std::fflush(stdout) == 0;
      if (!ok) {  // the reader went away (e.g. ffmpeg exited after a cut)
        done = true;
        break;
      }
    }
  });

  TestPatternGenerator gen(width, height);
  const auto start = std::chrono::steady_clock::now();
  const auto interval = std::chrono::duration<double>(1.0 / fps);
  for (int64_t i = 0; !done.load() && !g_stop; ++i) {
    auto due = start + std::chrono::duration_cast<std::chrono::steady_clock::duration>(interval * static_cast<double>(i));
    if (duration > 0 && due - start > std::chrono::duration<double>(duration)) break;
    std::this_thread::sleep_until(due);
    I420Image img;
    img.allocate(width, height);
    gen.render(i, wallMs(), img);
    ++produced;
    std::lock_guard lk(mu);
    if (ring.size() >= kRing) {
      ++dropped;  // drop-newest: the reader is behind, as a capture device overruns
      continue;
    }
    ring.push_back(std::move(img));
    cv.notify_one();
  }
  {
    std::lock_guard lk(mu);
    done = true;
  }
  cv.notify_all();
  writer.join();
  std::fprintf(stderr, "SOURCE_FRAMES=%lld SOURCE_DROPS=%lld\n", static_cast<long long>(produced),
               static_cast<long long>(dropped));
  return 0;
}

// Reads one '\n'-terminated line (without the newline); false at EOF.
bool readLine(std::FILE* f, std::string& line) {
  line.clear();
  int c;
  while ((c = std::fgetc(f)) != EOF) {
    if (c == '\n') return true;
    line.push_back(static_cast<char>(c));
    if (line.size() > 4096) return false;
  }
  return false;
}

int runLatency(int fps) {
  std::FILE* in = stdin;
  std::string header;
  if (!readLine(in, header) || header.rfind("YUV4MPEG2", 0) != 0) {
    std::fprintf(stderr, "latency: stdin is not a YUV4MPEG2 stream\n");
    return 1;
  }
  int w = 0, h = 0;
  size_t pos = 0;
  while ((pos = header.find(' ', pos)) != std::string::npos) {
    ++pos;
    if (pos >= header.size()) break;
    if (header[pos] == 'W') w = std::atoi(header.c_str() + pos + 1);
    if (header[pos] == 'H') h = std::atoi(header.c_str() + pos + 1);
    if (header[pos] == 'C' && header.compare(pos, 4, "C420") != 0) {
      std::fprintf(stderr, "latency: only 4:2:0 Y4M is supported (%s)\n", header.c_str());
      return 1;
    }
  }
  if (w <= 0 || h <= 0) {
    std::fprintf(stderr, "latency: no size in Y4M header\n");
    return 1;
  }
  const size_t ySize = static_cast<size_t>(w) * h;
  const size_t frameSize = ySize + 2 * (static_cast<size_t>((w + 1) / 2) * ((h + 1) / 2));
  std::vector<uint8_t> buf(frameSize);
  std::optional<int64_t> lastCapture;
  const double intervalMs = 1000.0 / fps;
  std::string line;
  while (readLine(in, line)) {
    if (line.rfind("FRAME", 0) != 0) {
      std::fprintf(stderr, "latency: lost Y4M frame sync\n");
      return 1;
    }
    if (std::fread(buf.data(), 1, frameSize, in) != frameSize) break;
    const int64_t arrival = wallMs();
    auto capture = openlive::detail::readTimecode(buf.data(), w, w, h);
    int64_t latency = -1, skipped = 0;
    if (capture) {
      latency = arrival - *capture;
      if (lastCapture && *capture > *lastCapture)
        skipped = std::max<int64_t>(0, std::llround(static_cast<double>(*capture - *lastCapture) / intervalMs) - 1);
      lastCapture = capture;
    }
    std::printf("F %lld %lld %lld\n", static_cast<long long>(arrival), static_cast<long long>(latency),
                static_cast<long long>(skipped));
    std::fflush(stdout);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"OpenLive network bench: live test-pattern Y4M source and glass-to-glass latency reader"};
  app.require_subcommand(1);
  int width = 640, height = 360, fps = 30;
  double duration = 0;
  auto* source = app.add_subcommand("source", "write the time-stamped test pattern as Y4M to stdout, in real time");
  source->add_option("--width", width, "picture width")->check(CLI::Range(128, 4096));
  source->add_option("--height", height, "picture height")->check(CLI::Range(32, 4096));
  source->add_option("--fps", fps, "frames per second")->check(CLI::Range(1, 120));
  source->add_option("--duration", duration, "seconds (0 = until the reader goes away)");
  int readFps = 30;
  auto* latency = app.add_subcommand("latency", "read Y4M from stdin, print per-picture arrival and latency");
  latency->add_option("--fps", readFps, "the source's frame rate (to count skipped frames)")->check(CLI::Range(1, 120));
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  if (*source) return runSource(width, height, fps, duration);
  return runLatency(readFps);
}
