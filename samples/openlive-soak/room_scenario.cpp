#include "room_scenario.h"

#include "proc_stats.h"
#include "room_anchor.h"
#include "room_report.h"
#include "room_schedule.h"
#include "room_stack.h"
#include "roomd_client.h"
#include "timeline.h"

#include "faults/fault_proxy.h"

#include <nlohmann/json.hpp>
#include <openlive/live_room.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <thread>

namespace soak {

namespace {

using nlohmann::json;

// A room audience member's player (LiveRoomConfig's audiencePlay: fixed 2 s cache), headless.
openlive::PlayConfig audienceConfig(const Options& o) {
  openlive::PlayConfig c = openlive::LiveRoomConfig().audiencePlay;
  c.video.kind = openlive::VideoOutput::Kind::None;
  c.audio.kind = openlive::AudioOutput::Kind::None;
  c.connectRetryCount = o.retries;
  c.connectRetryInterval = std::chrono::milliseconds(static_cast<int>(o.retryIntervalS * 1000));
  return c;
}

double round1(double v) { return std::round(v * 10) / 10; }

// One second of membership: whether every list agrees with the schedule, and the details for room.jsonl.
struct MemberSample {
  bool agree = false;
  int mixers = 0;
  json line;
};

class RoomRun {
 public:
  RoomRun(const Options& o, std::string dir, RoomStack& stack, const std::atomic<bool>& interrupted,
          RoomRunData& data)
      : o_(o), dir_(std::move(dir)), stack_(stack), interrupted_(interrupted), data_(data), timeline_(dir_),
        roomLog_(dir_ + "/room.jsonl"), observer_(stack.roomdUrl(), "soak-observer") {}
  bool execute();  // false when the room could not be set up

 private:
  bool setUp(std::string* why);
  void runTimeline(RoomSchedule& schedule);
  Sample recordSecond(double t, const std::string& step);
  MemberSample sampleMembers(double t);
  void noteFailure(const std::string& user, int pid, const std::string& what);
  void stopAndCollect();
  void leaveAll();
  void printProgress(double t, const Sample& s, const MemberSample& m) const;

  const Options& o_;
  const std::string dir_;
  RoomStack& stack_;
  const std::atomic<bool>& interrupted_;
  RoomRunData& data_;
  Timeline timeline_;
  std::ofstream roomLog_;  // room.jsonl: one line per second
  RoomdClient observer_;
  Clock::time_point t0_;
  std::string roomID_;
  CoAnchorSet co_;
  std::set<std::string> failuresNoted_;
  std::unique_ptr<RoomAnchor> anchor_;
  std::vector<std::unique_ptr<PlayProbe>> audience_;
  std::vector<std::string> audienceIds_;
};

bool RoomRun::execute() {
  data_.base.baseline = readProcStats();  // before the first SDK object
  const auto baseThreads = threadNames();
  const auto baseFds = fdTargets();
  t0_ = Clock::now();
  std::string why;
  const bool ok = setUp(&why);
  if (ok) {
    const size_t expected = static_cast<size_t>(o_.durationS) + 120;
    data_.base.samples.reserve(expected);
    data_.agree.reserve(expected);
    for (auto& p : audience_) p->reservePoints(2 * expected);
    RoomSchedule schedule(o_, t0_, stack_, co_, roomID_, dir_, [this](double end) {
      for (auto& p : audience_) p->watchFresh(end);
    });
    schedule.start();
    runTimeline(schedule);
    data_.base.endT = secondsSince(t0_);
    schedule.stop();
    data_.steps = schedule.records();
  } else {
    std::fprintf(stderr, "openlive-soak: room set-up failed: %s\n", why.c_str());
  }
  stopAndCollect();
  stack_.proxy().cutAll();  // half-closed pairs the proxy (test tooling here) still holds
  settleToBaseline(data_.base, baseThreads, baseFds);
  return ok;
}

bool RoomRun::setUp(std::string* why) {
  anchor_ = std::make_unique<RoomAnchor>(o_, t0_);
  roomID_ = anchor_->open(stack_.roomdUrl(), why);
  if (roomID_.empty()) return false;
  data_.roomID = roomID_;
  {
    std::lock_guard lk(co_.mu);
    co_.expected = {RoomAnchor::kUser};
  }
  auto room = observer_.getRoom(roomID_, why);
  if (!room) return false;
  if (room->mixedPlayURL.empty()) return *why = "the room has no mixedPlayURL", false;
  const auto pc = audienceConfig(o_);
  for (int i = 0; i < o_.players; ++i) {
    audienceIds_.push_back("aud" + std::to_string(i));
    audience_.push_back(std::make_unique<PlayProbe>(audienceIds_.back(), t0_, pc, room->mixedPlayURL, true));
  }
  for (auto& p : audience_)
    if (!p->start(why)) return false;
  const std::string url = room->mixedPlayURL.substr(0, room->mixedPlayURL.find('?'));  // not the signature
  std::fprintf(stderr, "openlive-soak: room %s created by %s at %.1f s; %d audience players of %s\n", roomID_.c_str(),
               RoomAnchor::kUser, secondsSince(t0_), o_.players, url.c_str());
  return true;
}

void RoomRun::runTimeline(RoomSchedule& schedule) {
  for (int tick = 1; !interrupted_; ++tick) {
    std::this_thread::sleep_until(t0_ + std::chrono::seconds(tick));  // scenario: one record per second
    const double t = secondsSince(t0_);
    const Sample s = recordSecond(t, schedule.active());
    const MemberSample m = sampleMembers(t);
    roomLog_ << m.line.dump() << '\n';
    roomLog_.flush();
    data_.agree.emplace_back(t, m.agree);
    data_.maxMixers = std::max(data_.maxMixers, m.mixers);
    data_.base.samples.push_back(s);
    if (tick % 10 == 0) printProgress(t, s, m);
    for (auto& p : audience_)
      if (p->needsRestart()) p->restart();  // the SDK gave up: the app starts again (the invariants still count it)
    if (t >= o_.durationS) break;
  }
}

Sample RoomRun::recordSecond(double t, const std::string& step) {
  std::vector<PlaySnapshot> snaps;
  std::vector<EventRecord> events = anchor_->takeEvents();
  size_t self = (data_.base.samples.size() + 1) * sizeof(Sample) + data_.agree.capacity() * sizeof(data_.agree[0]);
  for (auto& p : audience_) {
    snaps.push_back(p->snapshot());
    auto e = p->takeEvents();
    events.insert(events.end(), e.begin(), e.end());
    self += p->recordedBytes();
  }
  for (const auto& e : events) ++data_.base.eventCounts[std::to_string(e.code) + " " + e.name];
  return timeline_.add(t, readProcStats(), static_cast<int64_t>(self / 1024), step, {}, {}, snaps, audienceIds_,
                       events);
}

MemberSample RoomRun::sampleMembers(double t) {
  std::set<std::string> expected;
  std::map<std::string, CoAnchor::View> views;
  std::map<std::string, int> pids;
  {
    std::lock_guard lk(co_.mu);
    expected = co_.expected;
    for (auto& [user, c] : co_.live) {
      c->poll();
      views[user] = c->view();
      pids[user] = c->pid();
    }
  }
  std::string why;
  const auto roomd = observer_.getRoom(roomID_, &why);
  const auto anchorView = anchor_->view();
  bool agree = roomd && roomd->members == expected && anchorView == expected;
  json co = json::object();
  for (const auto& [user, v] : views) {
    std::set<std::string> mine = v.others;
    mine.insert(user);
    if (expected.count(user)) {
      agree = agree && v.linked && !v.ended && mine == expected;
      if (v.ended || !v.failure.empty()) noteFailure(user, pids[user], v.failure);
    }
    co[user] = {{"linked", v.linked}, {"ended", v.ended}, {"view", mine}, {"fps", v.fps}};
  }
  for (const auto& user : expected) agree = agree && (user == RoomAnchor::kUser || views.count(user));
  const auto procs = findStackProcesses(stack_.roomdPort(), stack_.proxyPort());
  MemberSample m;
  m.agree = agree;
  m.mixers = procs.mixers;
  m.line = {{"t", round1(t)}, {"agree", agree}, {"expected", expected}, {"anchor", anchorView}, {"co", co},
            {"roomd", roomd ? json(roomd->members) : json(nullptr)}, {"roomd_error", roomd ? json(nullptr) : json(why)},
            {"processes", {{"roomd", procs.roomd}, {"mixers", procs.mixers}, {"co_anchors", procs.coAnchors}}}};
  return m;
}

void RoomRun::noteFailure(const std::string& user, int pid, const std::string& what) {
  if (!failuresNoted_.insert(user + "/" + std::to_string(pid)).second) return;
  const std::string line = user + " (pid " + std::to_string(pid) + ") at " + std::to_string(int(secondsSince(t0_))) +
                           " s: " + what.substr(0, 300);
  data_.coFailures.push_back(line);
  std::fprintf(stderr, "openlive-soak: co-anchor failed: %s\n", line.c_str());
}

void RoomRun::stopAndCollect() {
  for (auto& p : audience_) {
    const auto a = Clock::now();
    p->stop();
    data_.base.maxStopMs =
        std::max(data_.base.maxStopMs, std::chrono::duration<double, std::milli>(Clock::now() - a).count());
  }
  leaveAll();
  if (anchor_) anchor_->close();  // destroys the room: roomd stops its mixer
  // scenario: anything arriving in this second is an event after stop.
  std::this_thread::sleep_for(std::chrono::milliseconds(1000));
  for (auto& p : audience_) {
    data_.base.play[p->id()] = p->points();
    auto v = p->violations();
    data_.base.eventViolations.insert(data_.base.eventViolations.end(), v.begin(), v.end());
    data_.base.restarts += p->restarts();
    for (const auto& e : p->takeEvents()) ++data_.base.eventCounts[std::to_string(e.code) + " " + e.name];
    data_.gaps[p->id()] = p->contentGaps(data_.base.endT);
    data_.fresh[p->id()] = p->freshWatches();
    data_.unreadable[p->id()] = p->unreadablePictures();
  }
  if (anchor_) {
    for (const auto& e : anchor_->takeEvents()) ++data_.base.eventCounts[std::to_string(e.code) + " " + e.name];
    data_.anchorErrors = anchor_->errors();
  }
  audience_.clear();
  anchor_.reset();
}

// The co-anchors still in the room leave (SIGTERM, all at once, then each waited for).
void RoomRun::leaveAll() {
  std::vector<std::unique_ptr<CoAnchor>> all;
  {
    std::lock_guard lk(co_.mu);
    for (auto& [user, c] : co_.live) all.push_back(std::move(c));
    co_.live.clear();
    co_.expected.clear();
    co_.joined.clear();
  }
  stack_.procs().run([&] {
    for (auto& c : all) c->askToLeave();
    for (auto& c : all) {
      const auto code = c->leave();
      const std::string what = c->user() + " (pid " + std::to_string(c->pid()) + "): left at the end, exit " +
                               (code ? std::to_string(*code) : std::string("none"));
      data_.coNotes.push_back(what);
      if (code != 0) data_.coFailures.push_back(what);
    }
    all.clear();
  });
  std::lock_guard lk(co_.mu);
  data_.coNotes.insert(data_.coNotes.begin(), co_.notes.begin(), co_.notes.end());
}

void RoomRun::printProgress(double t, const Sample& s, const MemberSample& m) const {
  std::fprintf(stderr,
               "[room %7.1f s] members %s (%s), audience fresh %d/%d, glass-to-glass max %s ms, mixers %d, "
               "rss %.1f MB, fds %d, threads %d%s\n",
               t, m.agree ? "agree" : "differ", m.line["expected"].dump().c_str(), s.playing, o_.players,
               s.latencyMaxMs ? std::to_string(int(*s.latencyMaxMs)).c_str() : "-", m.mixers,
               double(s.proc.rssKb) / 1024, s.proc.fds, s.proc.threads,
               s.fault.empty() ? "" : (", step: " + s.fault).c_str());
}

// Processes of the stopped stack still alive: waited for (bounded) to go.
StackProcesses leftoverProcesses(int roomdPort, int proxyPort) {
  waitForExit(findStackProcesses(roomdPort, proxyPort).pids, std::chrono::milliseconds(5000));
  return findStackProcesses(roomdPort, proxyPort);
}

int verdict(const std::string& dir, RoomRunData& d, const Options& o, bool interrupted) {
  std::vector<std::string> rows;
  const auto checks = evaluateRoom(d, &rows);
  writeRoomReport(dir, d, checks, rows);
  bool ok = true;
  std::printf("openlive-soak: room scenario, %s, 1 anchor + co-anchors, %d audience players, %.0f s, %zu steps\n",
              d.base.serverName.c_str(), o.players, d.base.endT, d.steps.size());
  for (const auto& c : checks) {
    std::printf("  [%s] %s: %s\n", c.pass ? "PASS" : "FAIL", c.name.c_str(), c.detail.c_str());
    ok = ok && c.pass;
  }
  std::printf("openlive-soak: %s; report %s/summary.md\n", ok ? "PASS" : "FAIL", dir.c_str());
  std::fflush(stdout);
  if (interrupted) return 1;
  return ok ? 0 : 1;
}

}  // namespace

int runRoomSoak(const Options& o, const std::string& dir, const std::atomic<bool>& interrupted) {
  int exitStatus = 0;
  auto stack = RoomStack::start(o, dir, &exitStatus);
  if (!stack) return exitStatus;
  std::fprintf(stderr, "openlive-soak: room stack: %s; output in %s\n", stack->describe().c_str(), dir.c_str());
  RoomRunData data;
  data.base.options = &o;
  data.base.serverName = "nginx-rtmp + openlive-roomd (redis) + openlive-mixer";
  data.stack = stack->describe();
  bool ran = false;
  {
    RoomRun run(o, dir, *stack, interrupted, data);
    ran = run.execute();
  }
  const int roomdPort = stack->roomdPort(), proxyPort = stack->proxyPort();
  stack.reset();  // roomd (and its mixers), nginx, redis stop
  data.leftover = leftoverProcesses(roomdPort, proxyPort);
  if (!ran) return 1;
  return verdict(dir, data, o, interrupted);
}

}  // namespace soak
