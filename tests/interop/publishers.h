// Publishers we did not write: command lines for the ffmpeg CLI and GStreamer's gst-launch-1.0, with their
// default encoder settings unless a case says otherwise. Sources are real time (lavfi -re, is-live=true) and
// end by themselves after `seconds`. One publisher can feed several servers at once (ffmpeg's tee muxer,
// GStreamer's tee element), so each case encodes once.
#pragma once

#include <string>
#include <vector>

namespace openlive::test {

struct FfmpegPublish {
  double seconds = 14;
  // Video: testsrc2 at `size` / `fps`; `videoCodecArgs` after "-c:v libx264" (empty: x264's defaults, i.e.
  // preset medium, 3 B-frames with B-pyramid, keyint 250). video = false: audio only.
  bool video = true;
  std::string size = "640x360";
  int fps = 30;
  std::vector<std::string> videoCodecArgs;
  // Audio: a 440 Hz sine at `sampleRate`, encoded with `audioCodec` ("aac", "libmp3lame", "nellymoser", ...);
  // "" = no audio.
  std::string audioCodec = "aac";
  int sampleRate = 44100;
  int channels = 2;
  std::vector<std::string> outputArgs;  // before the outputs (e.g. -output_ts_offset)
  // Instead of lavfi sources: publish this file as is (-re -c copy).
  std::string copyFile;
};

// argv for one ffmpeg that publishes to every URL (one URL: -f flv URL; more: -f tee).
std::vector<std::string> ffmpegPublishArgv(const FfmpegPublish& p, const std::vector<std::string>& urls);

// Pre-encodes a file (once; kept under the build dir and reused): 1080p60, GOP 2 s, 6 Mbit/s, x264 with
// B-frames, AAC 44.1 kHz stereo, `seconds` long. Returns its path, or "" with *why.
std::string preEncodedFhd60(double seconds, std::string* why);
// Encodes `p` (lavfi sources, its codec settings) once into a file under the build tree and returns its path (""
// with `why` on failure); published with `-re -c copy` the stream on the wire is the same as a live encode, without
// an x264 encoder competing for the CPU with the players under test.
std::string preEncoded(const std::string& name, const FfmpegPublish& p, std::string* why);

struct GstPublish {
  double seconds = 14;
  int width = 640, height = 360, fps = 30;
  std::string x264encProps;  // e.g. "tune=zerolatency"; "" = x264enc defaults
  std::string aacEncoder;    // "" = the first of voaacenc / avenc_aac installed
};
std::vector<std::string> gstPublishArgv(const GstPublish& p, const std::vector<std::string>& urls);
// The AAC encoder element GStreamer has here ("" if none), and whether rtmp2sink / x264enc exist.
std::string gstAacEncoder();
bool haveGstPublisher(std::string* why);

}  // namespace openlive::test
