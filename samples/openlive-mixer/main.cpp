// openlive-mixer: composes up to four live streams into one (a room's audience stream) with the layout of a
// RoomService mergeParams request, and publishes it. See README.md.
#include "mixer/line_reader.h"
#include "mixer/mix_layout.h"
#include "mixer/mixer.h"

#include <openlive/events.h>

#include <openlive/picture.h>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>

namespace {

std::atomic<bool> gInterrupted{false};
void onSignal(int) { gInterrupted = true; }

struct Options {
  std::string output, mergeParams, mergeParamsFile, layoutUpdates;
  std::vector<std::string> inputs;  // ID=URL
  std::vector<std::string> pictures;  // ID=PATH
  int fps = 15, bitrate = 0, audioChannels = 1;
  double placeholderAfter = 2.0, duration = 0;
  bool json = false, noRelay = false;
};

void addOptions(CLI::App& app, Options& o) {
  app.add_option("--output", o.output, "rtmp://host/app/stream to publish the mix to")->required();
  app.add_option("--input", o.inputs, "ID=URL: the URL to play input_stream_id ID from (repeat per input)")
      ->required();
  app.add_option("--picture", o.pictures,
                 "ID=PATH: the image (PNG, JPEG, ...) a picture input with picture_id ID shows (repeat per picture)");
  auto* mp = app.add_option("--merge-params", o.mergeParams, "the mergeParams JSON (rooms.md section 5)");
  auto* mpf = app.add_option("--merge-params-file", o.mergeParamsFile, "a file holding the mergeParams JSON");
  mp->excludes(mpf);
  app.add_option("--layout-updates", o.layoutUpdates,
                 "read new layouts from PATH ('-' = stdin, or a FIFO), one JSON per line: a mergeParams, or "
                 "{\"mergeParams\":{...},\"inputs\":{\"ID\":\"URL\"}}");
  app.add_option("--fps", o.fps, "output frame rate")->check(CLI::Range(1, 60));
  app.add_option("--bitrate", o.bitrate, "output video kbps (0: from the canvas size)")->check(CLI::Range(0, 20000));
  app.add_option("--placeholder-after", o.placeholderAfter, "seconds a stalled input keeps its last picture")
      ->check(CLI::Range(0.0, 60.0));
  app.add_option("--duration", o.duration, "stop after S seconds (0: until SIGINT/SIGTERM or a failed output)")
      ->check(CLI::Range(0.0, 1e7));
  app.add_option("--audio-channels", o.audioChannels,
                 "output sound: 1 (mono, the SDK pusher's default: an anchor alone is forwarded with its sound) or 2 "
                 "(stereo: a mono anchor's sound is re-encoded)")
      ->check(CLI::Range(1, 2));
  app.add_flag("--no-relay", o.noRelay,
               "always compose and encode (default: the main stream alone, uncropped, is forwarded as it comes)");
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

// A layout from one JSON text: a mergeParams object, or {"mergeParams": {...}, "inputs": {"ID": "URL"}}, checked
// against the ids of `urls` and of its own inputs (returned in `added`). nullopt with `why`.
std::optional<openlive::mixer::MixLayout> parseLayout(const std::string& text,
                                                      const std::map<std::string, std::string>& urls,
                                                      std::map<std::string, std::string>& added, std::string* why) {
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded()) {
    *why = "mergeParams is not valid JSON";
    return std::nullopt;
  }
  if (j.is_object() && j.contains("mergeParams")) {
    if (j.contains("inputs") && j["inputs"].is_object())
      for (auto& [id, url] : j["inputs"].items())
        if (url.is_string()) added[id] = url.get<std::string>();
    j = nlohmann::json(j["mergeParams"]);
  }
  std::set<std::string> known;
  for (const auto& [id, url] : urls) known.insert(id);
  for (const auto& [id, url] : added) known.insert(id);
  auto parsed = openlive::mixer::parseMergeParams(j, known);
  if (!parsed.layout) {
    *why = "mergeParams refused (code " + std::to_string(int(parsed.error)) + "): " + parsed.message();
    return std::nullopt;
  }
  return parsed.layout;
}

// --picture ID=PATH: each image loaded once, at its own size (scaled into its windows when composed).
bool loadPictures(const Options& o, openlive::mixer::MixerOptions& mo) {
  for (const auto& p : o.pictures) {
    const auto eq = p.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == p.size()) {
      std::cerr << "openlive-mixer: --picture wants ID=PATH, got '" << p << "'\n";
      return false;
    }
    openlive::Picture pic;
    if (auto r = openlive::loadPicture(p.substr(eq + 1), &pic); !r) {
      std::cerr << "openlive-mixer: --picture " << p.substr(0, eq) << ": " << r.message << "\n";
      return false;
    }
    auto img = std::make_shared<openlive::mixer::I420Image>();
    if (!img->copyFrom(pic.view())) return false;
    mo.pictures[p.substr(0, eq)] = std::move(img);
  }
  return true;
}

// Picture inputs whose picture_id no --picture names show the placeholder: said once per layout.
void warnUnknownPictures(const openlive::mixer::MixLayout& layout, const openlive::mixer::MixerOptions& mo,
                         Printer& printer) {
  for (const auto& id : layout.pictureIds())
    if (!mo.pictures.count(id)) {
      printer.line({{"type", "warning"}, {"message", "no --picture for picture_id " + id + ": the placeholder"}});
      printer.text("openlive-mixer: no --picture for picture_id " + id + "; its window shows the placeholder");
    }
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
  std::string why;
  std::map<std::string, std::string> added;
  auto parsed = parseLayout(text, mo.inputUrls, added, &why);
  if (!parsed) {
    std::cerr << "openlive-mixer: " << why << "\n";
    return 2;
  }
  for (const auto& [id, url] : added) mo.inputUrls.insert_or_assign(id, url);
  if (!loadPictures(o, mo)) return 2;
  layout = *parsed;
  mo.outputUrl = o.output;
  mo.fps = o.fps;
  mo.relay = !o.noRelay;
  mo.audioChannels = o.audioChannels;
  mo.bitrateKbps = o.bitrate;
  mo.placeholderAfter = std::chrono::milliseconds(int64_t(o.placeholderAfter * 1000));
  return 0;
}


// Opens --layout-updates: "-" is stdin; a FIFO is opened read-write so that opening never blocks and the
// writers may come and go; anything else read-only. -1 with a message when it cannot be opened.
int openUpdates(const std::string& path) {
  if (path == "-") return STDIN_FILENO;
  struct stat st {};
  const bool fifo = stat(path.c_str(), &st) == 0 && S_ISFIFO(st.st_mode);
  const int fd = open(path.c_str(), (fifo ? O_RDWR : O_RDONLY) | O_CLOEXEC);
  if (fd < 0) std::cerr << "openlive-mixer: cannot open --layout-updates " << path << "\n";
  return fd;
}

// One line of --layout-updates: applied, or refused with a reason (the running layout stays).
void applyUpdate(const std::string& line, openlive::mixer::Mixer& mixer, openlive::mixer::MixerOptions& mo,
                 Printer& printer) {
  std::map<std::string, std::string>& urls = mo.inputUrls;
  std::string why = "an empty layout line (or one longer than 64 KiB)";
  std::map<std::string, std::string> moreUrls;
  auto layout = line.empty() ? std::nullopt : parseLayout(line, urls, moreUrls, &why);
  if (layout) {
    if (auto r = mixer.update(*layout, moreUrls); !r) {
      why = r.message;
    } else {
      why.clear();
      for (const auto& [id, url] : moreUrls) urls.insert_or_assign(id, url);
    }
  }
  if (!why.empty()) {
    printer.line({{"type", "layout_refused"}, {"message", why}});
    printer.text("openlive-mixer: layout refused: " + why);
    return;
  }
  warnUnknownPictures(*layout, mo, printer);
  nlohmann::json ids = layout->streamIds();
  printer.line({{"type", "layout"}, {"canvas", std::to_string(layout->canvasWidth) + "x" +
                                                   std::to_string(layout->canvasHeight)}, {"streams", ids}});
  printer.text("openlive-mixer: new layout, " + std::to_string(layout->inputs.size()) + " inputs");
}

struct Ending {
  std::mutex mu;
  std::condition_variable cv;
  int exitCode = -1;  // set by a final output event
  void finish(int code) {
    std::lock_guard lk(mu);
    exitCode = code;
    cv.notify_all();
  }
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Compose up to four live streams into one with a RoomService mergeParams layout (OpenLive)"};
  Options o;
  addOptions(app, o);
  CLI11_PARSE(app, argc, argv);
  openlive::mixer::MixLayout layout;
  openlive::mixer::MixerOptions mo;
  if (int rc = buildMixer(o, layout, mo)) return rc;
  const int updatesFd = o.layoutUpdates.empty() ? -1 : openUpdates(o.layoutUpdates);
  if (!o.layoutUpdates.empty() && updatesFd < 0) return 2;

  Printer printer;
  printer.json = o.json;
  Ending ending;
  mo.onRelay = [&](bool forwarding) {
    printer.line({{"type", "relay"}, {"forwarding", forwarding}});
    printer.text(forwarding ? "forwarding the main stream as it comes" : "composing (and encoding) the output");
  };
  openlive::mixer::Mixer mixer(mo, [&](const std::string& source, const openlive::Event& e) {
    printer.line({{"type", "event"}, {"source", source}, {"code", openlive::toInt(e.code)}, {"msg", e.message()}});
    printer.text("[" + source + "] " + std::to_string(openlive::toInt(e.code)) + " " + e.message());
    if (source != "output") return;
    if (e.code == openlive::EventCode::PUSH_EVT_PUSH_BEGIN) printer.line({{"type", "ready"}});
    const auto* info = openlive::findEvent(e.code);
    if (info && info->category == openlive::EventCategory::Error) ending.finish(1);
  });
  std::signal(SIGINT, onSignal);
  std::signal(SIGTERM, onSignal);
  warnUnknownPictures(layout, mo, printer);
  if (auto r = mixer.start(layout); !r) {
    std::cerr << "openlive-mixer: " << r.message << "\n";
    return 1;
  }
  printer.text("openlive-mixer: " + std::to_string(layout.canvasWidth) + "x" + std::to_string(layout.canvasHeight) +
               ", " + std::to_string(layout.inputs.size()) + " inputs -> " + o.output);
  std::optional<openlive::mixer::LineReader> updates;
  if (updatesFd >= 0)
    updates.emplace(updatesFd, [&](const std::string& line) { applyUpdate(line, mixer, mo, printer); });
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(o.duration > 0 ? o.duration : 1e9);
  {
    std::unique_lock lk(ending.mu);
    while (ending.exitCode < 0 && !gInterrupted && std::chrono::steady_clock::now() < deadline)
      ending.cv.wait_for(lk, std::chrono::milliseconds(50));  // signals have no event to wait on
  }
  if (updates) updates->stop();
  mixer.stop();
  const auto st = mixer.stats();
  nlohmann::json inputs = nlohmann::json::object();
  for (const auto& [id, n] : st.inputPictures) inputs[id] = n;
  printer.line({{"type", "stats"}, {"pictures", st.pictures}, {"sound_blocks", st.soundBlocks},
                {"late_ticks", st.lateTicks}, {"on_arrival", st.onArrival}, {"layouts", st.layouts},
                {"relayed", st.relayed}, {"relay_starts", st.relayStarts}, {"audio_relayed", st.audioRelayed},
                {"input_pictures", inputs}});
  return ending.exitCode < 0 ? 0 : ending.exitCode;
}
