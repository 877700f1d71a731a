#include "co_anchor.h"

#include "room_stack.h"  // kRoomAppId, kRoomKey

#include <nlohmann/json.hpp>

#include <signal.h>

#include <chrono>
#include <fstream>

namespace soak {

namespace {

constexpr size_t kMaxReadPerPoll = 256 * 1024;  // bytes of log read per poll()
constexpr size_t kMaxLine = 64 * 1024;           // a longer line is dropped (it is not one of ours)
constexpr std::chrono::milliseconds kLeaveGrace{10000};

openlive::test::Process spawn(const std::string& program, const std::string& user, const std::string& roomdUrl,
                              const std::string& roomID, const std::string& logPath) {
  openlive::test::ProcessOptions po;
  po.out = openlive::test::Redirect::file(logPath);
  po.err = openlive::test::Redirect::file(logPath);
  po.termGrace = kLeaveGrace;
  return openlive::test::Process({program, "co-anchor", "--server", roomdUrl, "--sdkappid", std::to_string(kRoomAppId),
                                  "--key", kRoomKey, "--user", user, "--room", roomID, "--json", "--status-interval",
                                  "1", "--request-timeout", "10"},
                                 po);
}

}  // namespace

bool processRunning(int pid) {
  if (pid <= 0) return false;
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat;
  if (!std::getline(in, stat)) return false;  // gone (reaped)
  const size_t close = stat.rfind(')');       // "pid (comm) S ...": comm may hold spaces and parentheses
  return close != std::string::npos && close + 2 < stat.size() && stat[close + 2] != 'Z' && stat[close + 2] != 'X';
}

CoAnchor::CoAnchor(const std::string& program, const std::string& user, const std::string& roomdUrl,
                   const std::string& roomID, std::string logPath)
    : user_(user), logPath_(std::move(logPath)), proc_(spawn(program, user, roomdUrl, roomID, logPath_)),
      pid_(proc_.pid()) {}

CoAnchor::~CoAnchor() = default;  // Process: SIGTERM, SIGKILL after kLeaveGrace

void CoAnchor::kill() { proc_.kill(); }

void CoAnchor::askToLeave() { proc_.signal(SIGTERM); }

std::optional<int> CoAnchor::leave() { return proc_.terminate(kLeaveGrace); }

void CoAnchor::poll() {
  std::ifstream in(logPath_, std::ios::binary);
  if (in) {
    in.seekg(static_cast<std::streamoff>(offset_));
    std::string chunk(kMaxReadPerPoll, '\0');
    in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    chunk.resize(static_cast<size_t>(in.gcount()));
    offset_ += chunk.size();
    pending_ += chunk;
    for (size_t nl; (nl = pending_.find('\n')) != std::string::npos;) {
      onLine(pending_.substr(0, nl));
      pending_.erase(0, nl + 1);
    }
    if (pending_.size() > kMaxLine) pending_.clear();
  }
  if (!view_.ended && !processRunning(pid_)) {
    view_.ended = true;
    if (view_.failure.empty()) view_.failure = "the process ended";
  }
}

void CoAnchor::onLine(const std::string& line) {
  const auto j = nlohmann::json::parse(line, nullptr, false);
  if (!j.is_object()) return;  // SDK log lines on stderr
  if (j.contains("status") && j.contains("streams") && j["streams"].is_object()) {
    view_.fps.clear();
    for (const auto& [name, v] : j["streams"].items())
      if (v.is_object()) view_.fps[name] = v.value("fps", 0.0);
    return;
  }
  const std::string event = j.value("event", "");
  const std::string who = j.value("user", "");
  if (event == "linked") {
    view_.linked = true;
  } else if (event == "anchorEnter") {
    view_.others.insert(who);
  } else if (event == "anchorExit") {
    view_.others.erase(who);
  } else if (event == "warning") {
    ++view_.warnings[j.value("name", "?")];
  } else if (event == "exitedRoom") {
    view_.ended = true;
    view_.linked = false;
  } else if (event == "joinAnchorAnswer" && j.value("outcome", "") != "accepted") {
    view_.failure = "join request " + j.value("outcome", "?") + ": " + j.value("reason", "");
  } else if (event == "error" || event == "roomDestroyed" || event.find("Failed") != std::string::npos) {
    view_.failure = line;
  }
}

}  // namespace soak
