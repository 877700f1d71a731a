#include "room_stack.h"

#include "faults/fault_proxy.h"
#include "fixtures/ports.h"
#include "fixtures/process.h"
#include "fixtures/require.h"
#include "fixtures/room_servers.h"
#include "fixtures/servers.h"

#include <dirent.h>
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace soak {

namespace {

using openlive::test::samplePath;

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// argv of a process from /proc (empty for a zombie or a process gone meanwhile).
std::vector<std::string> cmdline(const std::string& pid) {
  const std::string raw = readFile("/proc/" + pid + "/cmdline");
  std::vector<std::string> args;
  for (size_t at = 0; at < raw.size();) {
    const size_t end = raw.find('\0', at);
    args.push_back(raw.substr(at, end == std::string::npos ? std::string::npos : end - at));
    if (end == std::string::npos) break;
    at = end + 1;
  }
  return args;
}

bool endsWith(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

bool anyArgHas(const std::vector<std::string>& args, const std::string& what) {
  for (const auto& a : args)
    if (a.find(what) != std::string::npos) return true;
  return false;
}

// Missing servers: skip (77), or fail under OPENLIVE_REQUIRE_FIXTURES=1.
bool serversInstalled(int* exitStatus) {
  std::string why;
  if (openlive::test::nginxRtmpAvailable(&why) && openlive::test::redisServerAvailable(&why)) return true;
  const bool required = openlive::test::requireFixtures();
  std::fprintf(stderr, "openlive-soak: %s: %s\n",
               required ? "missing fixture (OPENLIVE_REQUIRE_FIXTURES=1)" : "skipped", why.c_str());
  *exitStatus = required ? 1 : 77;
  return false;
}

}  // namespace

// A pidfd becomes readable when its process is gone: the exit notifier of a process that is not our child.
void waitForExit(const std::vector<int>& pids, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (int pid : pids) {
    const int fd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
    if (fd < 0) continue;  // gone already (or no pidfd on this kernel)
    using std::chrono::milliseconds;
    const auto left = std::chrono::duration_cast<milliseconds>(deadline - std::chrono::steady_clock::now());
    pollfd p{fd, POLLIN, 0};
    if (left.count() > 0) ::poll(&p, 1, static_cast<int>(left.count()));
    ::close(fd);
  }
}

StackProcesses findStackProcesses(int roomdPort, int proxyPort) {
  StackProcesses found;
  const std::string roomdListen = "127.0.0.1:" + std::to_string(roomdPort);
  const std::string roomdUrl = "http://" + roomdListen;
  const std::string viaProxy = "127.0.0.1:" + std::to_string(proxyPort) + "/";
  DIR* d = ::opendir("/proc");
  if (!d) return found;
  while (dirent* e = ::readdir(d)) {
    const std::string pid = e->d_name;
    if (pid.empty() || pid.find_first_not_of("0123456789") != std::string::npos) continue;
    const auto args = cmdline(pid);
    if (args.empty()) continue;
    const std::string& prog = args[0];
    const char* kind = nullptr;
    if (endsWith(prog, "openlive-roomd") && anyArgHas(args, roomdListen)) kind = "openlive-roomd", ++found.roomd;
    else if (endsWith(prog, "openlive-mixer") && anyArgHas(args, viaProxy))
      kind = "openlive-mixer", ++found.mixers, found.mixerPids.push_back(std::stoi(pid));
    else if (endsWith(prog, "openlive-room") && anyArgHas(args, roomdUrl)) kind = "openlive-room", ++found.coAnchors;
    if (!kind) continue;
    found.list.push_back(std::string(kind) + " (pid " + pid + ")");
    found.pids.push_back(std::stoi(pid));
  }
  ::closedir(d);
  return found;
}

// The files an earlier room run left in `dir` (roomd.log and the co-anchors' logs are appended to while running).
static void removeEarlierRoomLogs(const std::string& dir) {
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
    const std::string name = e.path().filename().string();
    const bool coLog = name.size() > 6 && name.compare(0, 2, "co") == 0 && endsWith(name, ".log") &&
                       name.find('-') != std::string::npos;
    if (name == "roomd.log" || coLog) std::filesystem::remove(e.path(), ec);
  }
}

std::unique_ptr<RoomStack> RoomStack::start(const Options& o, const std::string& dir, int* exitStatus) {
  if (!serversInstalled(exitStatus)) return nullptr;
  removeEarlierRoomLogs(dir);
  std::unique_ptr<RoomStack> s(new RoomStack());
  s->dir_ = dir;
  s->roomProgram_ = samplePath("openlive-room");
  const std::string mixer = samplePath("openlive-mixer");
  if (s->roomProgram_.empty() || mixer.empty() || samplePath("openlive-roomd").empty()) {
    std::fprintf(stderr, "openlive-soak: the room scenario needs openlive-roomd, openlive-mixer and openlive-room "
                 "built (searched under %s)\n", openlive::test::binaryDir().c_str());
    *exitStatus = 1;
    return nullptr;
  }
  std::string why;
  const bool ok = s->procs_.run([&] {
    try {
      return s->launch(o, &why);
    } catch (const std::exception& e) {
      why = e.what();
      return false;
    }
  });
  if (!ok) {
    std::fprintf(stderr, "openlive-soak: cannot start the room stack: %s\n", why.c_str());
    *exitStatus = 1;
    return nullptr;
  }
  return s;
}

bool RoomStack::launch(const Options& o, std::string* why) {
  redis_ = openlive::test::startRedisServer(why);
  if (!redis_) return false;
  roomdPort_ = openlive::test::pickFreeLoopbackPorts(1).at(0);
  const std::string callbacks = roomdUrl() + "/weapp/rtmp/";
  openlive::test::NginxRtmpOptions no;
  no.onPublish = callbacks + "on_publish";
  no.onPlay = callbacks + "on_play";
  no.onPublishDone = callbacks + "on_publish_done";
  nginx_ = openlive::test::startNginxRtmp(no, why);
  if (!nginx_) return false;
  proxy_ = std::make_unique<openlive::test::FaultProxy>("127.0.0.1", nginx_->rtmpPort());
  proxy_->setMaxBuffered(256 * 1024);  // a short bottleneck queue, as in the streams scenario
  roomdArgs_ = {"--listen", "127.0.0.1:" + std::to_string(roomdPort_), "--sdkappid", std::to_string(kRoomAppId),
                "--key", kRoomKey, "--rtmp", "rtmp://127.0.0.1:" + std::to_string(proxy_->port()) + "/live",
                "--redis", redis_->url(), "--mixer", samplePath("openlive-mixer"),
                "--silence-timeout-ms", std::to_string(o.roomdSilenceMs),
                "--sweep-interval-ms", std::to_string(o.roomdSweepMs), "--log-level", "info"};
  roomd_ = openlive::test::startRoomd(roomdArgs_, why);
  ++roomdStarts_;
  return roomd_ != nullptr;
}

RoomStack::~RoomStack() {
  procs_.run([this] {
    saveRoomdLog();
    roomd_.reset();  // SIGTERM: its mixers stop, then it exits (SIGKILL after 3 s)
    proxy_.reset();
    nginx_.reset();
    redis_.reset();
  });
}

std::string RoomStack::roomdUrl() const { return "http://127.0.0.1:" + std::to_string(roomdPort_); }

int RoomStack::proxyPort() const { return proxy_ ? proxy_->port() : 0; }

std::string RoomStack::describe() const {
  return "nginx-rtmp (rtmp port " + std::to_string(nginx_ ? nginx_->rtmpPort() : 0) +
         ", callbacks to roomd) behind the fault proxy (port " + std::to_string(proxyPort()) +
         "); openlive-roomd --mixer on port " +
         std::to_string(roomdPort_) + " with redis-server (" + (redis_ ? redis_->url() : std::string("-")) + ")";
}

void RoomStack::saveRoomdLog() {
  if (!roomd_) return;
  std::ofstream(dir_ + "/roomd.log", std::ios::app) << "==== openlive-roomd instance " << roomdStarts_ << " (pid "
                                                    << roomd_->pid() << ")\n" << roomd_->log();
}

void RoomStack::killNginx() {
  procs_.run([this] { nginx_->kill(); });
}

bool RoomStack::restartNginx(std::string* detail) {
  return procs_.run([&] {
    try {
      nginx_->restart();
      *detail = "restart took " + std::to_string(nginx_->lastStartTime().count()) + " ms";
      return true;
    } catch (const std::exception& e) {
      *detail = std::string("restart failed: ") + e.what();
      return false;
    }
  });
}

bool RoomStack::nginxRunning() {
  return procs_.run([this] { return nginx_->running(); });
}

bool RoomStack::restartRoomd(std::string* detail) {
  return procs_.run([&] {
    if (!roomd_) return *detail = "no roomd to restart", false;
    saveRoomdLog();
    const int pid = roomd_->pid();
    const auto mixers = findStackProcesses(roomdPort_, proxyPort()).mixerPids;
    ::kill(pid, SIGKILL);  // roomd alone, as a crash: not its process group
    // Its mixers get SIGTERM from their PR_SET_PDEATHSIG and stop as they would after a real crash; only then is
    // roomd reaped (the fixture's reaping SIGKILLs what is left of its process group).
    waitForExit(mixers, std::chrono::milliseconds(3000));
    roomd_.reset();
    const auto t = std::chrono::steady_clock::now();
    std::string why;
    // Our port was listening a moment ago: a bind can fail while the kernel tears the old socket down.
    for (int attempt = 0; attempt < 5 && !roomd_; ++attempt) roomd_ = openlive::test::startRoomd(roomdArgs_, &why);
    ++roomdStarts_;
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t);
    if (!roomd_) return *detail = "roomd (pid " + std::to_string(pid) + ") SIGKILL; no restart: " + why, false;
    *detail = "roomd pid " + std::to_string(pid) + " SIGKILL, pid " + std::to_string(roomd_->pid()) + " ready " +
              std::to_string(ms.count()) + " ms later on the same port";
    return true;
  });
}

}  // namespace soak
