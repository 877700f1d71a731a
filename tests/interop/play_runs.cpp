#include "interop/play_runs.h"

#include <openlive/events.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>

namespace openlive::test {
namespace {

PlayEvent fromParams(int code, const ParamMap& p) {
  auto get = [&](std::string_view k) {
    auto it = p.find(k);
    return it == p.end() ? std::string() : it->second;
  };
  PlayEvent e;
  e.code = code;
  const std::string t = get(evt::kTime);
  e.timeMs = t.empty() ? 0 : std::stoll(t);
  e.msg = get(evt::kMsg);
  e.description = get(evt::kDescription);
  e.param1 = get(evt::kParam1);
  e.param2 = get(evt::kParam2);
  return e;
}

// From the CLI's "duration_clock" line to its deadline check (it waits on its events in 50 ms steps).
constexpr int64_t kCliClockSlackMs = 60;

bool isFinal(int code) { return code == toInt(EventCode::PLAY_EVT_PLAY_END) || code < 0; }

}  // namespace

// ---- PlayRecord

std::vector<int> PlayRecord::codes() const {
  std::vector<int> c;
  for (const auto& e : events) c.push_back(e.code);
  return c;
}

int PlayRecord::indexOf(int code) const {
  for (size_t i = 0; i < events.size(); ++i)
    if (events[i].code == code) return int(i);
  return -1;
}

int PlayRecord::count(int code) const {
  return int(std::count_if(events.begin(), events.end(), [&](const PlayEvent& e) { return e.code == code; }));
}

int64_t PlayRecord::eventTime(int code) const {
  int i = indexOf(code);
  return i < 0 ? -1 : events[size_t(i)].timeMs;
}

std::string PlayRecord::eventsText() const {
  std::string s;
  for (const auto& e : events) {
    s += std::to_string(e.code) + "@+" + std::to_string(e.timeMs - startMs);
    if (e.code < 0 || e.code > 2100 || e.code == 2009) {
      s += "(" + e.msg;
      if (!e.description.empty()) s += ": " + e.description;
      if (e.code == 2009) s += " " + e.param1 + "x" + e.param2;
      s += ")";
    }
    s += " ";
  }
  return s;
}

bool wavInfo(const std::string& path, double* seconds, int* rate, int* channels) {
  std::ifstream f(path, std::ios::binary);
  std::vector<char> h(44);
  if (!f.read(h.data(), 44) || std::memcmp(h.data(), "RIFF", 4) != 0) return false;
  auto le = [&](size_t o, int n) {
    uint32_t v = 0;
    for (int i = n - 1; i >= 0; --i) v = (v << 8) | uint8_t(h[o + size_t(i)]);
    return v;
  };
  *channels = int(le(22, 2));
  *rate = int(le(24, 4));
  const auto bytes = std::filesystem::file_size(path) - 44;
  *seconds = (*rate > 0 && *channels > 0) ? double(bytes) / 2.0 / *channels / *rate : 0;
  return true;
}

// ---- CliPlay

CliPlay::CliPlay(std::string label, const std::string& url, double durationSeconds, std::vector<std::string> extraArgs)
    : label_(std::move(label)), durationSeconds_(durationSeconds), wav_((dir_ / "audio.wav").string()) {
  const std::string bin = samplePath("openlive-play");
  if (bin.empty() || !std::filesystem::exists(bin)) throw std::runtime_error("openlive-play not built");
  std::vector<std::string> argv{bin, url, "--video", "y4m:-", "--audio", "wav:" + wav_, "--json"};
  if (durationSeconds > 0) {
    char d[32];
    std::snprintf(d, sizeof d, "%.3f", durationSeconds);
    argv.insert(argv.end(), {"--duration", d});
  }
  argv.insert(argv.end(), extraArgs.begin(), extraArgs.end());
  ProcessOptions po;
  po.out = Redirect::pipe();
  po.err = Redirect::pipe();
  startMs_ = wallMs();
  proc_ = Process(argv, po);
  pictures_.start(proc_.stdoutFd());
  err_.start(proc_.stderrFd());
}

CliPlay::~CliPlay() {
  proc_.terminate(std::chrono::milliseconds(1000));
  pictures_.stop();
  err_.stop();
}

bool CliPlay::waitForEvent(int code, std::chrono::milliseconds timeout) {
  return err_.waitForLine("\"code\":" + std::to_string(code) + ",", timeout);
}

bool CliPlay::waitForOutput(const std::string& needle, std::chrono::milliseconds timeout) {
  return err_.waitForLine(needle, timeout);
}

PlayRecord CliPlay::finish(std::chrono::milliseconds timeout) {
  PlayRecord r;
  r.label = label_;
  r.startMs = startMs_;
  r.exitCode = proc_.wait(timeout);
  r.endMs = wallMs();
  if (!r.exitCode) r.exitCode = proc_.terminate(std::chrono::milliseconds(1000));
  // The pipes reach end of file once the CLI is gone; the readers then stop by themselves.
  pictures_.waitUntil([] { return false; }, std::chrono::seconds(3));
  err_.waitUntil([] { return false; }, std::chrono::seconds(3));
  r.pictures = pictures_.pictureTimes();
  r.width = pictures_.width();
  r.height = pictures_.height();
  for (const auto& line : err_.lines()) {
    r.output += line.text + "\n";
    auto j = nlohmann::json::parse(line.text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) continue;
    if (j.value("type", "") == "event") {
      ParamMap p;
      if (j.contains("params"))
        for (auto& [k, v] : j["params"].items()) p[k] = v.is_string() ? v.get<std::string>() : v.dump();
      r.events.push_back(fromParams(j.value("code", 0), p));
    } else if (j.value("type", "") == "net_status") {
      j["_atMs"] = line.atMs;
      r.netStatus.push_back(std::move(j));
    } else if (j.value("type", "") == "duration_clock" && durationSeconds_ > 0) {
      // The CLI stops rendering when its --duration, counted from this line (after start() returned, which
      // can be half a second after the spawn on a loaded machine), ends; its shutdown after that is not
      // playing time.
      const int64_t clockMs = j.value("wall_ms", line.atMs);
      r.endMs = std::min(r.endMs, clockMs + int64_t(durationSeconds_ * 1000) + kCliClockSlackMs);
    }
  }
  wavInfo(wav_, &r.audioSeconds, &r.audioRate, &r.audioChannels);
  return r;
}

// ---- ApiPlay

struct ApiPlay::State {
  std::mutex mu;
  std::condition_variable cv;
  std::vector<PlayEvent> events;
  std::vector<int64_t> pictures;
  std::vector<int> widths;
  int width = 0, height = 0;
  double audioSeconds = 0;
  int audioRate = 0, audioChannels = 0;
};

PlayConfig ApiPlay::defaultConfig() {
  PlayConfig c;
  c.video = {VideoOutput::Kind::None, ""};
  c.audio = {AudioOutput::Kind::None, ""};
  return c;
}

ApiPlay::ApiPlay(std::string label, PlayConfig config)
    : label_(std::move(label)), st_(std::make_shared<State>()), player_(std::make_unique<LivePlayer>(config)) {
  auto st = st_;
  player_->setEventCallback([st](const Event& e) {
    std::lock_guard lk(st->mu);
    st->events.push_back(fromParams(toInt(e.code), e.params));
    st->cv.notify_all();
  });
  player_->setVideoFrameCallback([st](const VideoFrame& f) {
    const int64_t now = wallMs();
    std::lock_guard lk(st->mu);
    if (st->pictures.empty()) {
      st->width = f.width;
      st->height = f.height;
    }
    st->pictures.push_back(now);
    st->widths.push_back(f.width);
  });
  player_->setAudioFrameCallback([st](const AudioFrame& a) {
    std::lock_guard lk(st->mu);
    if (a.sampleRate > 0) st->audioSeconds += double(a.frames) / a.sampleRate;
    st->audioRate = a.sampleRate;
    st->audioChannels = a.channels;
  });
}

ApiPlay::~ApiPlay() { player_.reset(); }

Result ApiPlay::start(const std::string& url) {
  startMs_ = wallMs();
  return player_->start(url);
}

bool ApiPlay::hasLocked(int code) const {
  return std::any_of(st_->events.begin(), st_->events.end(), [&](const PlayEvent& e) { return e.code == code; });
}

bool ApiPlay::waitForEvent(int code, std::chrono::milliseconds timeout) {
  std::unique_lock lk(st_->mu);
  return st_->cv.wait_for(lk, timeout, [&] { return hasLocked(code); });
}

bool ApiPlay::waitForAny(std::initializer_list<int> codes, std::chrono::milliseconds timeout) {
  std::unique_lock lk(st_->mu);
  return st_->cv.wait_for(lk, timeout, [&] {
    return std::any_of(codes.begin(), codes.end(), [&](int c) { return hasLocked(c); });
  });
}

PlayRecord ApiPlay::observeUntil(int64_t untilMs) {
  {
    std::unique_lock lk(st_->mu);
    st_->cv.wait_for(lk, std::chrono::milliseconds(std::max<int64_t>(0, untilMs - wallMs())), [&] {
      return std::any_of(st_->events.begin(), st_->events.end(), [](const PlayEvent& e) { return isFinal(e.code); });
    });
  }
  return stop();
}

PlayRecord ApiPlay::stop() {
  PlayRecord r;
  r.label = label_;
  r.startMs = startMs_;
  r.endMs = wallMs();
  player_->stop();
  std::lock_guard lk(st_->mu);
  r.events = st_->events;
  r.pictures = st_->pictures;
  r.pictureWidths = st_->widths;
  r.width = st_->width;
  r.height = st_->height;
  r.audioSeconds = st_->audioSeconds;
  r.audioRate = st_->audioRate;
  r.audioChannels = st_->audioChannels;
  return r;
}

}  // namespace openlive::test
