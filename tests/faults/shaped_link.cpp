#include "faults/shaped_link.h"

#include <fcntl.h>
#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace openlive::test {
namespace {

// Runs a command quietly; returns its exit status (-1 if it could not run).
int run(const std::string& cmd, std::string* output = nullptr) {
  std::string full = cmd + " 2>&1";
  FILE* p = ::popen(full.c_str(), "r");
  if (!p) return -1;
  char buf[512];
  std::string out;
  while (std::fgets(buf, sizeof buf, p)) out += buf;
  int st = ::pclose(p);
  if (output) *output = out;
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

std::atomic<int> g_counter{0};

}  // namespace

std::unique_ptr<ShapedLink> ShapedLink::create(std::string* whyNot) {
  if (::geteuid() != 0) {
    if (whyNot) *whyNot = "network namespaces need root (CAP_NET_ADMIN)";
    return nullptr;
  }
  if (run("command -v ip && command -v tc") != 0) {
    if (whyNot) *whyNot = "iproute2 (ip, tc) is not installed";
    return nullptr;
  }
  std::unique_ptr<ShapedLink> l(new ShapedLink());
  int n = g_counter++;
  int id = (static_cast<int>(::getpid()) * 7 + n) % 250 + 1;
  l->ns_ = "olns" + std::to_string(::getpid()) + "x" + std::to_string(n);
  l->hostIf_ = "olh" + std::to_string(::getpid() % 100000) + "x" + std::to_string(n);
  l->nsIf_ = "oln" + std::to_string(::getpid() % 100000) + "x" + std::to_string(n);
  // A /30 inside the namespace-only veth; nothing else on this machine routes there.
  int third = (id * 4) % 256, base = 0;
  l->hostAddr_ = "10.213." + std::to_string(third) + "." + std::to_string(base + 1);
  l->nsAddr_ = "10.213." + std::to_string(third) + "." + std::to_string(base + 2);
  std::string out;
  std::string script = "set -e; ip netns add " + l->ns_ + "; ip link add " + l->hostIf_ + " type veth peer name " +
                       l->nsIf_ + "; ip link set " + l->nsIf_ + " netns " + l->ns_ + "; ip addr add " +
                       l->hostAddr_ + "/30 dev " + l->hostIf_ + "; ip link set " + l->hostIf_ +
                       " up; ip -n " + l->ns_ + " addr add " + l->nsAddr_ + "/30 dev " + l->nsIf_ + "; ip -n " +
                       l->ns_ + " link set " + l->nsIf_ + " up; ip -n " + l->ns_ + " link set lo up";
  if (run("sh -c '" + script + "'", &out) != 0) {
    if (whyNot) *whyNot = "cannot create a network namespace with veth here: " + out;
    run("ip link del " + l->hostIf_);
    run("ip netns del " + l->ns_);
    return nullptr;
  }
  return l;
}

ShapedLink::~ShapedLink() {
  run("ip link del " + hostIf_);
  run("ip netns del " + ns_);
}

bool ShapedLink::setRate(int64_t bps, bool toNamespace, std::string* error) {
  std::string dev = toNamespace ? "dev " + hostIf_ : "dev " + nsIf_;
  std::string prefix = toNamespace ? "" : "ip netns exec " + ns_ + " ";
  std::string out;
  if (bps <= 0) {
    run(prefix + "tc qdisc del " + dev + " root", &out);
    return true;
  }
  // burst: at least one MTU and ~20 ms worth of bytes; latency bounds the tbf backlog (drops beyond it).
  int64_t burstBytes = std::max<int64_t>(4 * 1514, bps / 8 / 50);
  std::string cmd = prefix + "tc qdisc replace " + dev + " root tbf rate " + std::to_string(bps) + "bit burst " +
                    std::to_string(burstBytes) + " latency 300ms";
  if (run(cmd, &out) != 0) {
    if (error) *error = cmd + ": " + out;
    return false;
  }
  return true;
}

std::vector<std::string> ShapedLink::nsExecPrefix() const { return {"ip", "netns", "exec", ns_}; }

bool ShapedLink::enterNamespace() const {
  std::string path = "/var/run/netns/" + ns_;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  bool ok = ::setns(fd, CLONE_NEWNET) == 0;
  ::close(fd);
  return ok;
}

}  // namespace openlive::test
