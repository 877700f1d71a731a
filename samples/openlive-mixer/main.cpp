// openlive-mixer: composes up to four live streams into one (a room's audience stream) with the layout of a
// RoomService mergeParams request, and publishes it. See README.md.
#include "mixer/mix_layout.h"
#include "mixer/mixer.h"

#include <openlive/events.h>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <atomic>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <mutex>
#include <sstream>

namespace {

std::atomic<bool> gInterrupted{false};
void onSignal(int) { gInterrupted = true; }

struct Options {
  std::string output, mergeParams, mergeParamsFile;
  std::vector<std::string> inputs;  // ID=URL
  int fps = 15, bitrate = 0;
  double placeholderAfter = 2.0, duration = 0;
  bool json = false;
};

void addOptions(CLI::App& app, Options& o) {
  app.add_option("--output", o.output, "rtmp://host/app/stream to publish the mix to")->required();
  app.add_option("--input", o.inputs, "ID=URL: the URL to play input_stream_id ID from (repeat per input)")
      ->required();
  auto* mp = app.add_option("--merge-params", o.mergeParams, "the mergeParams JSON (rooms.md section 5)");
  auto* mpf = app.add_option("--merge-params-file", o.mergeParamsFile, "a file holding the mergeParams JSON");
  mp->excludes(mpf);
  app.add_option("--fps", o.fps, "output frame rate")->check(CLI::Range(1, 60));
  app.add_option("--bitrate", o.bitrate, "output video kbps (0: from the canvas size)")->check(CLI::Range(0, 20000));
  app.add_option("--placeholder-after", o.placeholderAfter, "seconds a stalled input keeps its last picture")
      ->check(CLI::Range(0.0, 60.0));
  app.add_option("--duration", o.duration, "stop after S seconds (0: until SIGINT/SIGTERM or a failed output)")
      ->check(CLI::Range(0.0, 1e7));
  app.add_flag("--json", o.json, "one JSON object per line on stdout: ready, events, stats");
}

struct Printer {
  std::mutex mu;
  bool json = false;
  void line(const nlohmann::json& j) {
    std::lock_guard lk(mu);
    if (json) std::printf("%s\n", j.dump().c_str());
    std::fflush(stdout);
  }
  void text(const std::string& s) {
    std::lock_guard lk(mu);
    if (!json) std::fprintf(stderr, "%s\n", s.c_str());
  }
};

// The mergeParams text, from the option or the file; false with a message when unreadable.
bool readMergeParams(const Options& o, std::string& out) {
  if (!o.mergeParamsFile.empty()) {
    std::ifstream f(o.mergeParamsFile);
    if (!f) {
      std::cerr << "openlive-mixer: cannot read " << o.mergeParamsFile << "\n";
      return false;
    }
    std::stringstream ss;
    ss << f.rdbuf();
    out = ss.str();
  } else {
    out = o.mergeParams;
  }
  if (out.empty()) std::cerr << "openlive-mixer: --merge-params or --merge-params-file is required\n";
  return !out.empty();
}

// Layout and options from the command line; exit status 2 (with a message) when refused.
int buildMixer(const Options& o, openlive::mixer::MixLayout& layout, openlive::mixer::MixerOptions& mo) {
  for (const auto& in : o.inputs) {
    const auto eq = in.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == in.size()) {
      std::cerr << "openlive-mixer: --input wants ID=URL, got '" << in << "'\n";
      return 2;
    }
    mo.inputUrls[in.substr(0, eq)] = in.substr(eq + 1);
  }
  std::string text;
  if (!readMergeParams(o, text)) return 2;
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded()) {
    std::cerr << "openlive-mixer: mergeParams is not valid JSON\n";
    return 2;
  }
  std::set<std::string> known;
  for (const auto& [id, url] : mo.inputUrls) known.insert(id);
  auto parsed = openlive::mixer::parseMergeParams(j, known);
  if (!parsed.layout) {
    std::cerr << "openlive-mixer: mergeParams refused (code " << int(parsed.error) << "): " << parsed.message()
              << "\n";
    return 2;
  }
  layout = *parsed.layout;
  mo.outputUrl = o.output;
  mo.fps = o.fps;
  mo.bitrateKbps = o.bitrate;
  mo.placeholderAfter = std::chrono::milliseconds(int64_t(o.placeholderAfter * 1000));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Compose up to four live streams into one with a RoomService mergeParams layout (OpenLive)"};
  Options o;
  addOptions(app, o);
  CLI11_PARSE(app, argc, argv);
  openlive::mixer::MixLayout layout;
  openlive::mixer::MixerOptions mo;
  if (int rc = buildMixer(o, layout, mo)) return rc;

  Printer printer;
  printer.json = o.json;
  std::mutex mu;
  std::condition_variable cv;
  int exitCode = -1;  // set by a final output event
  openlive::mixer::Mixer mixer(layout, mo, [&](const std::string& source, const openlive::Event& e) {
    printer.line({{"type", "event"}, {"source", source}, {"code", openlive::toInt(e.code)}, {"msg", e.message()}});
    printer.text("[" + source + "] " + std::to_string(openlive::toInt(e.code)) + " " + e.message());
    if (source != "output") return;
    if (e.code == openlive::EventCode::PUSH_EVT_PUSH_BEGIN) printer.line({{"type", "ready"}});
    const auto* info = openlive::findEvent(e.code);
    if (info && info->category == openlive::EventCategory::Error) {
      std::lock_guard lk(mu);
      exitCode = 1;
      cv.notify_all();
    }
  });
  std::signal(SIGINT, onSignal);
  std::signal(SIGTERM, onSignal);
  if (auto r = mixer.start(); !r) {
    std::cerr << "openlive-mixer: " << r.message << "\n";
    return 1;
  }
  printer.text("openlive-mixer: " + std::to_string(layout.canvasWidth) + "x" + std::to_string(layout.canvasHeight) +
               ", " + std::to_string(layout.inputs.size()) + " inputs -> " + o.output);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(o.duration > 0 ? o.duration : 1e9);
  {
    std::unique_lock lk(mu);
    while (exitCode < 0 && !gInterrupted && std::chrono::steady_clock::now() < deadline)
      cv.wait_for(lk, std::chrono::milliseconds(50));  // signals have no event to wait on
  }
  mixer.stop();
  const auto st = mixer.stats();
  nlohmann::json inputs = nlohmann::json::object();
  for (const auto& [id, n] : st.inputPictures) inputs[id] = n;
  printer.line({{"type", "stats"}, {"pictures", st.pictures}, {"sound_blocks", st.soundBlocks},
                {"late_ticks", st.lateTicks}, {"input_pictures", inputs}});
  return exitCode < 0 ? 0 : exitCode;
}
