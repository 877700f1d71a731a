#include "interop/peer_readers.h"

#include <signal.h>
#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include <cmath>
#include <map>

namespace openlive::test {
namespace {

using namespace std::chrono_literals;

ProcessOptions pipes(std::vector<std::pair<std::string, std::string>> env = {}) {
  ProcessOptions po;
  po.out = Redirect::pipe();
  po.err = Redirect::pipe();
  po.env = std::move(env);
  return po;
}

std::chrono::milliseconds ms(double seconds) { return std::chrono::milliseconds(int64_t(seconds * 1000)); }

std::string secs(double s) {
  char b[32];
  std::snprintf(b, sizeof b, "%g", s);
  return b;
}

class Ffprobe final : public PeerReader {
 public:
  Ffprobe(const std::string& url, double seconds)
      : PeerReader("ffprobe",
                   {"ffprobe", "-v", "error", "-rw_timeout", "5000000", "-read_intervals", "%+" + secs(seconds),
                    "-show_entries", "packet=codec_type,stream_index,pts,dts,flags", "-of", "json", url},
                   pipes()),
        seconds_(seconds) {}
  ReaderVerdict finish() override;

 private:
  double seconds_;
};

ReaderVerdict Ffprobe::finish() {
  ReaderVerdict v{name_, false, ""};
  auto rc = waitExit(ms(seconds_ + 20));
  if (rc.value_or(-1) != 0) return {name_, false, "exit " + std::to_string(rc.value_or(-1)) + ": " + tail()};
  if (!err_.text().empty()) return {name_, false, "error lines: " + err_.text().substr(0, 1500)};
  auto j = nlohmann::json::parse(out_.text(), nullptr, false);
  if (j.is_discarded() || !j.contains("packets")) return {name_, false, "no JSON packets: " + tail()};
  std::map<int, int64_t> lastDts;
  std::map<std::string, int> counts;
  std::string problems;
  for (const auto& p : j["packets"]) {
    const int idx = p.value("stream_index", -1);
    ++counts[p.value("codec_type", "?")];
    if (!p.contains("dts") || !p.contains("pts")) {
      problems += " packet without pts/dts;";
      continue;
    }
    const int64_t dts = p["dts"].get<int64_t>(), pts = p["pts"].get<int64_t>();
    if (lastDts.count(idx) && dts <= lastDts[idx])
      problems += " stream " + std::to_string(idx) + " DTS " + std::to_string(dts) + " after " +
                  std::to_string(lastDts[idx]) + ";";
    if (pts < dts) problems += " PTS " + std::to_string(pts) + " < DTS " + std::to_string(dts) + ";";
    lastDts[idx] = dts;
  }
  v.detail = std::to_string(counts["video"]) + " video / " + std::to_string(counts["audio"]) + " audio packets";
  if (counts["video"] < 10 || counts["audio"] < 10) problems += " too few packets;";
  v.ok = problems.empty();
  if (!v.ok) v.detail += ":" + problems.substr(0, 1500);
  return v;
}

class Gstreamer final : public PeerReader {
 public:
  Gstreamer(const std::string& url, double seconds, int buffers)
      : PeerReader("GStreamer",
                   {"gst-launch-1.0", "-e", "-v", "rtmp2src", "location=" + url, "!", "flvdemux", "name=d", "d.video",
                    "!", "queue", "!", "h264parse", "!", "avdec_h264", "!", "fakesink", "name=vsink", "silent=false",
                    "d.audio", "!", "queue", "!", "aacparse", "!", "avdec_aac", "!", "fakesink", "name=asink",
                    "silent=false"},
                   pipes()),
        seconds_(seconds),
        buffers_(size_t(buffers)) {}
  ReaderVerdict finish() override {
    const bool video = out_.waitForCount("vsink: last-message", buffers_, ms(seconds_));
    const bool audio = out_.waitForCount("asink: last-message", buffers_, 1s);
    const bool playing = out_.count("Setting pipeline to PLAYING") > 0;
    proc_.signal(SIGINT);  // -e: EOS, then it exits
    waitExit(3s);
    ReaderVerdict v{name_, video && audio && playing, ""};
    v.detail = std::string(playing ? "PLAYING" : "never PLAYING") + ", " +
               std::to_string(out_.count("vsink: last-message")) + " video / " +
               std::to_string(out_.count("asink: last-message")) + " audio buffers decoded";
    if (!v.ok) v.detail += "; last state lines: " + tail(800);
    return v;
  }

 private:
  double seconds_;
  size_t buffers_;
};

class Mpv final : public PeerReader {
 public:
  Mpv(const std::string& url, int frames, double seconds)
      : PeerReader("mpv", {"mpv", "--no-config", "--vo=null", "--ao=null", "--frames=" + std::to_string(frames), url},
                   pipes()),
        seconds_(seconds) {}
  ReaderVerdict finish() override {
    auto rc = waitExit(ms(seconds_));
    const bool vo = out_.count("VO: [null]") > 0, ao = out_.count("AO: [null]") > 0;
    const bool eof = out_.count("Exiting... (End of file)") > 0;
    ReaderVerdict v{name_, rc.value_or(-1) == 0 && vo && ao && eof, ""};
    v.detail = std::string(vo ? "video out opened" : "no video out") + ", " + (ao ? "audio out opened" : "no audio out") +
               ", " + (eof ? "quit after the frames" : "did not reach the frame count") + ", exit " +
               (rc ? std::to_string(*rc) : std::string("(killed at the deadline)"));
    if (!v.ok) v.detail += "; " + tail(800);
    return v;
  }

 private:
  double seconds_;
};

class Vlc final : public PeerReader {
 public:
  Vlc(const std::string& url, double seconds, const std::string& home)
      : PeerReader("VLC",
                   {"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "cvlc", "--intf", "dummy", "--vout",
                    "dummy", "--aout", "dummy", "--no-video-title-show", "--run-time=" + secs(seconds), "-vv", url,
                    "vlc://quit"},
                   pipes({{"HOME", home}})),
        seconds_(seconds) {}
  ReaderVerdict finish() override {
    auto rc = waitExit(ms(seconds_ + 15));
    const bool picture = err_.count("Received first picture") > 0;
    const bool audio = err_.count("audio output debug: output '") > 0;
    const size_t deadlock = err_.count("buffer deadlock prevented");
    ReaderVerdict v{name_, picture && audio && deadlock == 0, ""};
    v.detail = std::string(picture ? "first picture" : "no picture") + ", " + (audio ? "audio output started" : "no audio output") +
               ", " + std::to_string(deadlock) + "x \"buffer deadlock prevented\", exit " +
               (rc ? std::to_string(*rc) : std::string("(killed at the deadline)"));
    if (!v.ok) {
      std::string lines;
      for (const auto& l : err_.lines())
        if (l.text.find("deadlock") != std::string::npos || l.text.find("error") != std::string::npos)
          lines += l.text + "\n";
      v.detail += "; " + lines.substr(0, 1500);
    }
    return v;
  }

 private:
  double seconds_;
};

}  // namespace

PeerReader::PeerReader(std::string name, std::vector<std::string> argv, ProcessOptions po)
    : name_(std::move(name)), proc_(std::move(argv), std::move(po)) {
  out_.start(proc_.stdoutFd());
  err_.start(proc_.stderrFd());
}

PeerReader::~PeerReader() {
  proc_.terminate(1s);
  out_.stop();
  err_.stop();
}

std::optional<int> PeerReader::waitExit(std::chrono::milliseconds timeout) {
  auto rc = proc_.wait(timeout);
  if (!rc) proc_.terminate(1s);
  // The pipes reach end of file once the process group is gone.
  out_.waitUntil([] { return false; }, 2s);
  err_.waitUntil([] { return false; }, 2s);
  return rc;
}

std::string PeerReader::tail(size_t bytes) const {
  std::string s = out_.text() + "\n" + err_.text();
  return s.size() > bytes ? s.substr(s.size() - bytes) : s;
}

std::unique_ptr<PeerReader> startFfprobe(const std::string& url, double seconds) {
  return std::make_unique<Ffprobe>(url, seconds);
}

std::unique_ptr<PeerReader> startGstreamer(const std::string& url, double seconds, int buffers) {
  return std::make_unique<Gstreamer>(url, seconds, buffers);
}

std::unique_ptr<PeerReader> startMpv(const std::string& url, int frames, double seconds) {
  return std::make_unique<Mpv>(url, frames, seconds);
}

std::unique_ptr<PeerReader> startVlc(const std::string& url, double seconds) {
  // VLC writes its config and media library under $HOME; user nobody needs a home it can write.
  static TempDir home("ol-interop-vlc-home");
  ::chmod(home.path().c_str(), 0777);
  return std::make_unique<Vlc>(url, seconds, home.path().string());
}

std::string missingPeerTools() {
  std::string missing;
  for (const char* t : {"ffprobe", "gst-launch-1.0", "mpv", "cvlc", "setpriv", "rtmpdump", "curl"})
    if (findTool(t).empty()) missing += std::string(missing.empty() ? "" : ", ") + t;
  return missing;
}

}  // namespace openlive::test
