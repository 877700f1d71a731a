#include "interop/publishers.h"

#include <cmath>
#include <filesystem>

#include "fixtures/process.h"

namespace openlive::test {
namespace {

std::string num(double v) {
  char s[32];
  std::snprintf(s, sizeof s, "%g", v);
  return s;
}

void append(std::vector<std::string>& a, std::initializer_list<std::string> more) { a.insert(a.end(), more); }

bool gstHas(const std::string& element) {
  const std::string inspect = findTool("gst-inspect-1.0");
  return !inspect.empty() && runCommand({inspect, "--exists", element}, std::chrono::seconds(20)).exitCode == 0;
}

}  // namespace

std::vector<std::string> ffmpegPublishArgv(const FfmpegPublish& p, const std::vector<std::string>& urls) {
  std::vector<std::string> a{findTool("ffmpeg"), "-hide_banner", "-nostdin", "-loglevel", "warning"};
  const bool audio = !p.audioCodec.empty();
  if (!p.copyFile.empty()) {
    append(a, {"-re", "-i", p.copyFile, "-t", num(p.seconds), "-c", "copy"});
  } else {
    if (p.video)
      append(a, {"-re", "-f", "lavfi", "-i", "testsrc2=size=" + p.size + ":rate=" + std::to_string(p.fps)});
    if (audio)
      append(a, {"-re", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=" + std::to_string(p.sampleRate)});
    append(a, {"-t", num(p.seconds)});
    if (p.video) {
      append(a, {"-c:v", "libx264", "-pix_fmt", "yuv420p"});
      a.insert(a.end(), p.videoCodecArgs.begin(), p.videoCodecArgs.end());
    }
    if (audio)
      append(a, {"-c:a", p.audioCodec, "-ar", std::to_string(p.sampleRate), "-ac", std::to_string(p.channels)});
  }
  a.insert(a.end(), p.outputArgs.begin(), p.outputArgs.end());
  if (urls.size() == 1) {
    append(a, {"-f", "flv", urls[0]});
    return a;
  }
  // tee: the encoders must put their headers in extradata (flv needs the AVC/AAC sequence headers).
  append(a, {"-flags", "+global_header", "-map", "0"});
  if (p.copyFile.empty() && p.video && audio) append(a, {"-map", "1"});
  std::string slaves;
  for (const auto& u : urls) slaves += (slaves.empty() ? "" : "|") + std::string("[f=flv:onfail=ignore:flvflags=no_duration_filesize]") + u;
  append(a, {"-f", "tee", slaves});
  return a;
}

std::string preEncoded(const std::string& name, const FfmpegPublish& p, std::string* why) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::path(binaryDir()) / "tests" / "interop-media";
  const fs::path file = dir / (name + "_" + num(p.seconds) + "s.flv");
  if (fs::exists(file) && fs::file_size(file) > 0) return file.string();
  fs::create_directories(dir);
  const fs::path tmp = dir / (file.filename().string() + ".part.flv");
  std::vector<std::string> a{findTool("ffmpeg"), "-hide_banner", "-nostdin", "-loglevel", "error", "-y", "-f",
                             "lavfi", "-i", "testsrc2=size=" + p.size + ":rate=" + std::to_string(p.fps)};
  const bool audio = !p.audioCodec.empty();
  if (audio) append(a, {"-f", "lavfi", "-i", "sine=frequency=440:sample_rate=" + std::to_string(p.sampleRate)});
  append(a, {"-t", num(p.seconds), "-c:v", "libx264", "-pix_fmt", "yuv420p"});
  a.insert(a.end(), p.videoCodecArgs.begin(), p.videoCodecArgs.end());
  if (audio)
    append(a, {"-c:a", p.audioCodec, "-ar", std::to_string(p.sampleRate), "-ac", std::to_string(p.channels)});
  append(a, {"-f", "flv", tmp.string()});
  auto r = runCommand(a, std::chrono::seconds(240));
  if (r.exitCode != 0) {
    if (why) *why = "pre-encoding " + name + " failed (exit " + std::to_string(r.exitCode) + "): " + r.err;
    return {};
  }
  fs::rename(tmp, file);
  return file.string();
}

std::string preEncodedFhd60(double seconds, std::string* why) {
  FfmpegPublish p;
  p.size = "1920x1080";
  p.fps = 60;
  p.seconds = seconds;
  p.videoCodecArgs = {"-preset", "veryfast", "-bf", "3", "-g", "120", "-keyint_min", "120", "-sc_threshold", "0",
                      "-b:v", "6M", "-maxrate", "6M", "-bufsize", "12M"};
  p.audioCodec = "aac";
  return preEncoded("fhd60_gop2_6M", p, why);
}

std::string gstAacEncoder() {
  for (const char* e : {"voaacenc", "avenc_aac", "fdkaacenc"})
    if (gstHas(e)) return e;
  return {};
}

bool haveGstPublisher(std::string* why) {
  if (findTool("gst-launch-1.0").empty()) {
    if (why) *why = "gst-launch-1.0 not installed (gstreamer1.0-tools)";
    return false;
  }
  for (const char* e : {"rtmp2sink", "x264enc", "flvmux", "videotestsrc"}) {
    if (!gstHas(e)) {
      if (why) *why = std::string("GStreamer element ") + e + " missing (gstreamer1.0-plugins-bad/-ugly/-good)";
      return false;
    }
  }
  if (gstAacEncoder().empty()) {
    if (why) *why = "no GStreamer AAC encoder (voaacenc from gstreamer1.0-plugins-bad, avenc_aac from -libav)";
    return false;
  }
  return true;
}

std::vector<std::string> gstPublishArgv(const GstPublish& p, const std::vector<std::string>& urls) {
  const std::string aac = p.aacEncoder.empty() ? gstAacEncoder() : p.aacEncoder;
  const int videoBuffers = int(std::lround(p.seconds * p.fps));
  const int audioBuffers = int(std::lround(p.seconds * 44100 / 1024));
  std::string desc = "videotestsrc is-live=true num-buffers=" + std::to_string(videoBuffers) +
                     " ! video/x-raw,format=I420,width=" + std::to_string(p.width) +
                     ",height=" + std::to_string(p.height) + ",framerate=" + std::to_string(p.fps) +
                     "/1 ! x264enc " + p.x264encProps + " ! h264parse ! queue ! m. ";
  desc += "audiotestsrc is-live=true freq=440 samplesperbuffer=1024 num-buffers=" + std::to_string(audioBuffers) +
          " ! audio/x-raw,rate=44100,channels=2 ! audioconvert ! " + aac + " ! aacparse ! queue ! m. ";
  desc += "flvmux name=m streamable=true ! tee name=t ";
  for (const auto& u : urls) desc += "t. ! queue ! rtmp2sink location=" + u + " ";
  std::vector<std::string> a{findTool("gst-launch-1.0"), "-e"};
  // gst-launch takes the pipeline as separate words.
  std::string word;
  for (char c : desc) {
    if (c == ' ') {
      if (!word.empty()) a.push_back(word);
      word.clear();
    } else {
      word += c;
    }
  }
  if (!word.empty()) a.push_back(word);
  return a;
}

}  // namespace openlive::test
