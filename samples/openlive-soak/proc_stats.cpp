#include "proc_stats.h"

#include <dirent.h>
#include <malloc.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace soak {

ProcStats readProcStats() {
  ProcStats s;
  if (FILE* f = std::fopen("/proc/self/status", "r")) {
    char line[256];
    while (std::fgets(line, sizeof line, f)) {
      long long v = 0;
      if (std::sscanf(line, "VmRSS: %lld kB", &v) == 1) s.rssKb = v;
      else if (std::sscanf(line, "RssAnon: %lld kB", &v) == 1) s.rssAnonKb = v;
      else if (std::sscanf(line, "RssFile: %lld kB", &v) == 1) s.rssFileKb = v;
      else if (std::sscanf(line, "Threads: %lld", &v) == 1) s.threads = static_cast<int>(v);
    }
    std::fclose(f);
  }
  const struct mallinfo2 mi = ::mallinfo2();
  s.heapKb = static_cast<int64_t>((mi.uordblks + mi.hblkhd) / 1024);
  s.heapFootprintKb = static_cast<int64_t>((mi.arena + mi.hblkhd) / 1024);
  if (DIR* d = ::opendir("/proc/self/fd")) {
    int n = 0;
    while (dirent* e = ::readdir(d)) {
      if (std::strcmp(e->d_name, ".") != 0 && std::strcmp(e->d_name, "..") != 0) ++n;
    }
    ::closedir(d);
    s.fds = n - 1;  // the directory stream itself
  }
  return s;
}

}  // namespace soak

#include <unistd.h>

#include <fstream>

namespace soak {

std::map<std::string, int> threadNames() {
  std::map<std::string, int> m;
  if (DIR* d = ::opendir("/proc/self/task")) {
    while (dirent* e = ::readdir(d)) {
      if (e->d_name[0] == '.') continue;
      std::ifstream in(std::string("/proc/self/task/") + e->d_name + "/comm");
      std::string name;
      if (std::getline(in, name)) ++m[name];
    }
    ::closedir(d);
  }
  return m;
}

std::map<std::string, int> fdTargets() {
  std::map<std::string, int> m;
  if (DIR* d = ::opendir("/proc/self/fd")) {
    const int self = ::dirfd(d);
    while (dirent* e = ::readdir(d)) {
      if (e->d_name[0] == '.' || std::atoi(e->d_name) == self) continue;
      char buf[512];
      ssize_t n = ::readlink((std::string("/proc/self/fd/") + e->d_name).c_str(), buf, sizeof buf - 1);
      if (n < 0) continue;
      std::string target(buf, static_cast<size_t>(n));
      if (target.rfind("socket:", 0) == 0) target = "socket";
      else if (target.rfind("pipe:", 0) == 0) target = "pipe";
      else if (target.rfind("anon_inode:", 0) == 0) target = target.substr(0, target.find(']') + 1);
      ++m[target];
    }
    ::closedir(d);
  }
  return m;
}

std::string describeExtra(const std::map<std::string, int>& base, const std::map<std::string, int>& now) {
  std::string out;
  for (const auto& [name, n] : now) {
    auto it = base.find(name);
    int extra = n - (it == base.end() ? 0 : it->second);
    if (extra <= 0) continue;
    if (!out.empty()) out += ", ";
    out += name;
    if (extra > 1) out += " x" + std::to_string(extra);
  }
  return out.empty() ? "none" : out;
}

}  // namespace soak
