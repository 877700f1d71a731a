// Shared by the openlive-mixer CLI tests: mergeParams JSON, outside publishers (the ffmpeg CLI), and the mixer
// process with its JSON log.
#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "fixtures/process.h"
#include "fixtures/servers.h"
#include "fixtures/wait.h"

namespace openlive::test::mixer_cli {

using namespace std::chrono_literals;

inline std::string readFile(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline nlohmann::json input(const std::string& id, int layer, int x, int y, int w, int h) {
  return {{"input_stream_id", id},
          {"layout_params",
           {{"image_layer", layer}, {"image_width", w}, {"image_height", h}, {"location_x", x}, {"location_y", y}}}};
}

inline std::string mergeParams(const std::vector<nlohmann::json>& list) {
  return nlohmann::json{{"timestamp", 1},
                        {"eventId", 1},
                        {"interface",
                         {{"interfaceName", "Mix_StreamV2"},
                          {"para", {{"output_stream_id", "mix"}, {"input_stream_list", list}}}}}}
      .dump();
}

// An outside publisher: a flat picture of grey level `rgb` ("0xC0C0C0") with a tone, x264 + AAC 44.1 kHz.
inline Process publisher(const std::string& url, const std::string& rgb, const std::string& size, int toneHz) {
  return Process({"ffmpeg", "-nostdin", "-loglevel", "error", "-re", "-f", "lavfi", "-i",
                  "color=c=" + rgb + ":s=" + size + ":r=15", "-f", "lavfi", "-i",
                  "sine=frequency=" + std::to_string(toneHz) + ":sample_rate=44100", "-c:v", "libx264", "-preset",
                  "veryfast", "-tune", "zerolatency", "-g", "15", "-pix_fmt", "yuv420p", "-c:a", "aac", "-f", "flv",
                  url},
                 {Redirect::null(), Redirect::null()});
}

struct Mixer {
  Process proc;
  std::filesystem::path log;
  bool waitReady() {
    return waitUntil([&] { return readFile(log).find("{\"type\":\"ready\"}") != std::string::npos || !proc.running(); },
                     20s, 50ms) &&
           proc.running();
  }
};

// openlive-mixer publishing to `output` on `server`, playing each of `streams` from it, with `layout` and `extra`
// arguments; stdout and stderr in DIR/mixer.log.
inline Mixer startMixer(const MediaServer& server, const std::vector<std::string>& streams, const std::string& layout,
                        const std::filesystem::path& dir, std::vector<std::string> extra,
                        const std::string& output = "mix") {
  const std::string bin = samplePath("openlive-mixer");
  if (bin.empty()) throw std::runtime_error("openlive-mixer is not built");
  Mixer m;
  m.log = dir / "mixer.log";
  ProcessOptions po;
  po.out = Redirect::file(m.log.string());
  po.err = Redirect::file(m.log.string());
  std::vector<std::string> argv{bin, "--output", server.rtmpUrl(output), "--merge-params", layout, "--json"};
  for (const auto& s : streams) argv.insert(argv.end(), {"--input", s + "=" + server.rtmpUrl(s)});
  argv.insert(argv.end(), extra.begin(), extra.end());
  m.proc = Process(argv, po);
  return m;
}

}  // namespace openlive::test::mixer_cli
