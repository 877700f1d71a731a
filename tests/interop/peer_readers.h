// Players we did not write, reading a live RTMP URL: ffprobe, GStreamer (rtmp2src ! flvdemux), mpv, VLC. Each
// runs as a child with its output read as it comes; each has a deadline and is killed (process group) at the
// latest then; each says whether it started and decoded, with the lines that show it.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "fixtures/process.h"
#include "fixtures/temp_dir.h"
#include "interop/pipe_readers.h"

namespace openlive::test {

struct ReaderVerdict {
  std::string name;
  bool ok = false;
  std::string detail;  // numbers or why not
};

class PeerReader {
 public:
  virtual ~PeerReader();
  const std::string& name() const { return name_; }
  // Waits for the reader to finish (or its deadline), then judges what it printed.
  virtual ReaderVerdict finish() = 0;

 protected:
  PeerReader(std::string name, std::vector<std::string> argv, ProcessOptions po = {});
  std::optional<int> waitExit(std::chrono::milliseconds timeout);
  std::string tail(size_t bytes = 1500) const;  // stdout + stderr, for failure messages
  std::string name_;
  Process proc_;
  LineReader out_, err_;
};

// ffprobe -show_packets for `seconds` of the stream: no error lines, per-stream DTS increasing, PTS >= DTS.
std::unique_ptr<PeerReader> startFfprobe(const std::string& url, double seconds);
// gst-launch-1.0 rtmp2src ! flvdemux ! h264parse ! avdec_h264 / aacparse ! avdec_aac, fakesinks counting
// buffers: must reach PLAYING and pass `buffers` decoded buffers on each pad within `seconds`.
std::unique_ptr<PeerReader> startGstreamer(const std::string& url, double seconds, int buffers = 30);
// mpv --vo=null --ao=null --frames=N: must open both outputs and quit after N frames.
std::unique_ptr<PeerReader> startMpv(const std::string& url, int frames, double seconds);
// cvlc (as user nobody: VLC refuses root) with dummy outputs for `seconds`: first picture, audio output
// started, no "buffer deadlock prevented".
std::unique_ptr<PeerReader> startVlc(const std::string& url, double seconds);

// Which of these tools are installed ("" when all are; otherwise what is missing).
std::string missingPeerTools();

}  // namespace openlive::test
