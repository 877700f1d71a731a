#include "mixer_run.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "log.h"

namespace openlive::roomd {
namespace {

using namespace std::chrono;
using nlohmann::json;

constexpr milliseconds kFirstBackoff{1000};
constexpr milliseconds kMaxBackoff{8000};
constexpr seconds kHealthyRun{30};  // a child that ran this long restarts after kFirstBackoff again
constexpr size_t kMaxLineBytes = 64 * 1024;  // a longer line is cut (it is only logged)

void closeFd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

std::vector<std::string> commandLine(const std::string& program, const std::vector<std::string>& extra,
                                     const MixJob& job) {
  std::vector<std::string> argv{program, "--output", job.outputUrl, "--merge-params", job.mergeParams.dump(),
                                "--layout-updates", "-", "--json"};
  for (const auto& [id, url] : job.inputs) argv.insert(argv.end(), {"--input", id + "=" + url});
  argv.insert(argv.end(), extra.begin(), extra.end());
  return argv;
}

// In the forked child: only async-signal-safe calls until execv.
[[noreturn]] void execChild(char* const* argv, int in, int out, pid_t parent) {
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);  // roomd blocks SIGINT/SIGTERM for sigwait: the mixer must not
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  sigaction(SIGPIPE, &dfl, nullptr);  // roomd ignores SIGPIPE; the mixer starts with the default
  prctl(PR_SET_PDEATHSIG, SIGTERM);   // tied to the forking thread, which lives as long as this child
  if (getppid() != parent) _exit(127);  // roomd died between fork and prctl
  dup2(in, STDIN_FILENO);
  dup2(out, STDOUT_FILENO);
  dup2(out, STDERR_FILENO);
  close_range(3, ~0U, 0);
  execv(argv[0], argv);
  _exit(127);
}

std::string describeStatus(int status) {
  if (WIFEXITED(status)) return "exit status " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return std::string("signal ") + strsignal(WTERMSIG(status));
  return "status " + std::to_string(status);
}

}  // namespace

MixerRun::MixerRun(std::string name, std::string program, std::vector<std::string> extraArgs, MixJob job)
    : name_(std::move(name)),
      program_(std::move(program)),
      extraArgs_(std::move(extraArgs)),
      wakeFd_(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)),
      job_(std::move(job)) {
  thread_ = std::thread([this] { run(); });
}

MixerRun::~MixerRun() {
  requestStop();
  if (thread_.joinable()) thread_.join();
  if (wakeFd_ >= 0) ::close(wakeFd_);
}

void MixerRun::update(MixJob job) {
  std::lock_guard lk(mu_);
  job_ = std::move(job);
  ++jobGen_;
  if (stdinFd_ >= 0) writeLayout(stdinFd_, job_);
}

void MixerRun::requestStop() {
  {
    std::lock_guard lk(mu_);
    if (stopping_) return;
    stopping_ = true;
  }
  cv_.notify_all();
  const uint64_t one = 1;
  if (wakeFd_ >= 0) (void)!::write(wakeFd_, &one, sizeof one);
}

bool MixerRun::finished() const {
  std::lock_guard lk(mu_);
  return finished_;
}

MixerRun::Counts MixerRun::counts() const {
  std::lock_guard lk(mu_);
  return counts_;
}

void MixerRun::writeLayout(int fd, const MixJob& job) {
  json inputs = json::object();
  for (const auto& [id, url] : job.inputs) inputs[id] = url;
  const std::string line = json{{"mergeParams", job.mergeParams}, {"inputs", inputs}}.dump() + "\n";
  // The pipe holds 64 KiB and the mixer reads each line as it comes: a full pipe means a stuck child (its
  // restart gets the latest layout on its command line anyway).
  const ssize_t n = ::write(fd, line.data(), line.size());
  if (n == static_cast<ssize_t>(line.size())) {
    ++counts_.updates;
    return;
  }
  logLine(LogLevel::Warning, "mixer " + name_ + ": new layout not delivered (" +
                                 (n < 0 ? std::string(strerror(errno)) : "short write") + ")");
}

bool MixerRun::spawn(const MixJob& job, Child& child) {
  int in[2], out[2];
  if (pipe2(in, O_CLOEXEC) != 0) return false;
  if (pipe2(out, O_CLOEXEC) != 0) {
    ::close(in[0]);
    ::close(in[1]);
    return false;
  }
  const std::vector<std::string> args = commandLine(program_, extraArgs_, job);
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid == 0) execChild(argv.data(), in[0], out[1], parent);
  ::close(in[0]);
  ::close(out[1]);
  if (pid < 0) {
    ::close(in[1]);
    ::close(out[0]);
    return false;
  }
  fcntl(in[1], F_SETFL, O_NONBLOCK);
  child = Child{pid, in[1], out[0]};
  return true;
}

void MixerRun::onLine(const std::string& line) {
  const json j = json::parse(line, nullptr, false);
  const std::string type = j.is_object() && j.contains("type") && j["type"].is_string() ? j["type"].get<std::string>() : "";
  if (type == "ready") {
    {
      std::lock_guard lk(mu_);
      ++counts_.ready;
    }
    logLine(LogLevel::Info, "mixer " + name_ + ": publishing the audience stream");
    return;
  }
  if (type == "relay") {
    const bool on = j.contains("forwarding") && j["forwarding"].is_boolean() && j["forwarding"].get<bool>();
    logLine(LogLevel::Info, "mixer " + name_ + (on ? ": forwarding the anchor's stream as it comes (mixing off)"
                                                   : ": composing and encoding the audience stream"));
    return;
  }
  const LogLevel level = type == "layout_refused" ? LogLevel::Warning
                         : type.empty()           ? LogLevel::Info
                                                  : LogLevel::Debug;
  logLine(level, "mixer " + name_ + ": " + printable(line, 400));
}

void MixerRun::pump(Child& child) {
  std::string pending;
  char buf[4096];
  bool termSent = false;
  steady_clock::time_point killAt{};
  for (;;) {
    const bool stopping = [&] {
      std::lock_guard lk(mu_);
      return stopping_;
    }();
    if (stopping && !termSent) {
      ::kill(child.pid, SIGTERM);
      termSent = true;
      killAt = steady_clock::now() + kStopGrace;
    }
    int timeout = -1;
    if (termSent) timeout = static_cast<int>(std::max<int64_t>(0, duration_cast<milliseconds>(killAt - steady_clock::now()).count()));
    pollfd fds[2] = {{child.outputFd, POLLIN, 0}, {wakeFd_, POLLIN, 0}};
    const int r = ::poll(fds, 2, timeout);
    if (r < 0 && errno == EINTR) continue;
    if (r == 0 && termSent) {
      logLine(LogLevel::Warning, "mixer " + name_ + ": no exit " + std::to_string(kStopGrace.count()) +
                                     " s after SIGTERM; SIGKILL");
      ::kill(child.pid, SIGKILL);
      killAt = steady_clock::now() + hours(1);
      continue;
    }
    if (fds[1].revents) {
      uint64_t v;
      (void)!::read(wakeFd_, &v, sizeof v);
    }
    if (!(fds[0].revents & (POLLIN | POLLHUP | POLLERR))) continue;
    const ssize_t n = ::read(child.outputFd, buf, sizeof buf);
    if (n <= 0) return;  // the child closed its output: it is exiting
    pending.append(buf, static_cast<size_t>(n));
    for (size_t nl; (nl = pending.find('\n')) != std::string::npos;) {
      onLine(pending.substr(0, nl));
      pending.erase(0, nl + 1);
    }
    if (pending.size() > kMaxLineBytes) pending.clear();
  }
}

int MixerRun::reap(pid_t pid) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return status;
}

void MixerRun::run() {
  setThreadName("roomd-mixer");
  milliseconds backoff = kFirstBackoff;
  for (;;) {
    MixJob job;
    uint64_t gen = 0;
    {
      std::lock_guard lk(mu_);
      if (stopping_) break;
      job = job_;
      gen = jobGen_;
    }
    Child child;
    const auto started = steady_clock::now();
    if (spawn(job, child)) {
      {
        std::lock_guard lk(mu_);
        ++counts_.starts;
        stdinFd_ = child.stdinFd;
        if (jobGen_ != gen) writeLayout(stdinFd_, job_);  // updated while the child was starting
      }
      logLine(LogLevel::Info, "mixer " + name_ + ": started (pid " + std::to_string(child.pid) + ", " +
                                  std::to_string(job.inputs.size()) + " streams)");
      pump(child);
      const int status = reap(child.pid);
      {
        std::lock_guard lk(mu_);
        closeFd(stdinFd_);
      }
      closeFd(child.outputFd);
      const bool stopping = [&] {
        std::lock_guard lk(mu_);
        return stopping_;
      }();
      if (stopping) {
        logLine(LogLevel::Info, "mixer " + name_ + ": stopped (" + describeStatus(status) + ")");
        break;
      }
      if (steady_clock::now() - started >= kHealthyRun) backoff = kFirstBackoff;
      logLine(LogLevel::Warning, "mixer " + name_ + ": exited on its own (" + describeStatus(status) +
                                     "); restarting in " + std::to_string(backoff.count()) + " ms");
    } else {
      logLine(LogLevel::Error, "mixer " + name_ + ": cannot start " + program_ + ": " + strerror(errno));
    }
    std::unique_lock lk(mu_);
    if (cv_.wait_for(lk, backoff, [&] { return stopping_; })) break;
    backoff = std::min(backoff * 2, kMaxBackoff);
  }
  std::lock_guard lk(mu_);
  finished_ = true;
}

}  // namespace openlive::roomd
