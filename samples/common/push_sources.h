// Shared by openlive-push and openlive-view: the pusher's source options (--source, --audio, --source-pacing),
// their syntax, help text and parsing into a PushConfig, so both programs take exactly the same sources.
#pragma once

#include <openlive/live_pusher.h>

#include <CLI/CLI.hpp>

#include <cstdio>
#include <string>

namespace openlive::samples {

inline bool parseVideoSource(const std::string& s, VideoSourceConfig& out, std::string& err) {
  auto rest = [&](size_t n) { return s.size() > n ? s.substr(n) : std::string(); };
  if (s == "test") {
    out.type = VideoSourceType::TestPattern;
  } else if (s.rfind("y4m:", 0) == 0 && s.size() > 4) {
    out.type = VideoSourceType::Y4m;
    out.path = rest(4);
  } else if (s == "camera" || s.rfind("camera:", 0) == 0) {
    out.type = VideoSourceType::Camera;
    out.path = rest(7);
  } else if (s == "screen" || s.rfind("screen:", 0) == 0) {
    out.type = VideoSourceType::Screen;
    std::string spec = rest(7);  // DISPLAY[+X,Y]
    auto plus = spec.find('+');
    out.path = spec.substr(0, plus);
    if (plus != std::string::npos && std::sscanf(spec.c_str() + plus + 1, "%d,%d", &out.regionX, &out.regionY) != 2) {
      err = "bad screen region in '" + s + "' (want screen:DISPLAY+X,Y)";
      return false;
    }
  } else if (s == "none") {
    out.type = VideoSourceType::None;
  } else {
    err = "unknown --source '" + s + "'";
    return false;
  }
  return true;
}

inline bool parseAudioSource(const std::string& s, AudioSourceConfig& out, std::string& err) {
  if (s == "tone") {
    out.type = AudioSourceType::Tone;
  } else if (s.rfind("wav:", 0) == 0 && s.size() > 4) {
    out.type = AudioSourceType::Wav;
    out.path = s.substr(4);
  } else if (s == "mic" || s.rfind("mic:", 0) == 0) {
    out.type = AudioSourceType::Microphone;
    out.path = s.size() > 4 ? s.substr(4) : "";
  } else if (s == "none") {
    out.type = AudioSourceType::None;
  } else {
    err = "unknown --audio '" + s + "'";
    return false;
  }
  return true;
}

inline bool parsePacing(const std::string& s, SourcePacingMode& out, std::string& err) {
  if (s == "auto") {
    out = SourcePacingMode::Auto;
  } else if (s == "live") {
    out = SourcePacingMode::Live;
  } else if (s == "realtime") {
    out = SourcePacingMode::Realtime;
  } else {
    err = "unknown --source-pacing '" + s + "' (auto | live | realtime)";
    return false;
  }
  return true;
}

// --source, --audio and --source-pacing as the command line gave them.
struct SourceOptions {
  std::string source = "test", audio = "tone", pacing = "auto";

  void addOptions(CLI::App& app) {
    app.add_option("--source", source,
                   "test | y4m:PATH | y4m:- | camera[:DEV or ID] | screen[:DISPLAY[+X,Y]] | none");
    app.add_option("--audio", audio, "tone | wav:PATH | wav:- | mic[:DEV or ID, e.g. mic:pulse:NAME] | none");
    app.add_option("--source-pacing", pacing,
                   "how Y4M/WAV input is read: auto (a pipe or FIFO is live, a regular file realtime) | live (each "
                   "frame encoded as it arrives) | realtime (at the file's rate, like ffmpeg -re)");
  }

  // Sets cfg.video and cfg.audio (source and pacing); false with `err` for a malformed option.
  bool apply(PushConfig& cfg, std::string& err) const {
    if (!parseVideoSource(source, cfg.video, err) || !parseAudioSource(audio, cfg.audio, err) ||
        !parsePacing(pacing, cfg.video.pacing, err))
      return false;
    cfg.audio.pacing = cfg.video.pacing;
    return true;
  }
};

}  // namespace openlive::samples
