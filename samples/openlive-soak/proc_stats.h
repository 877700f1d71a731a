// Process resource figures read from /proc/self: resident memory, open descriptors, threads.
#pragma once

#include <cstdint>

namespace soak {

struct ProcStats {
  int64_t rssKb = 0;      // VmRSS = RssAnon + RssFile + RssShmem
  int64_t rssAnonKb = 0;  // RssAnon: anonymous pages (heap arenas, mmap'd buffers, thread stacks): what a leak grows
  int64_t rssFileKb = 0;  // RssFile: file-backed pages (code and data of the libraries touched so far; reclaimable)
  int64_t heapFootprintKb = 0;  // memory malloc holds from the system (mallinfo2 arena + hblkhd), in use or free
  int64_t heapKb = 0; // malloc'd and still in use (glibc mallinfo2, all arenas): RSS growing while this stays flat
                      // is allocator fragmentation / retention, not a leak
  int fds = 0;        // entries in /proc/self/fd (not counting the one used to list it)
  int threads = 0;    // Threads: in /proc/self/status
};

ProcStats readProcStats();

}  // namespace soak

#include <map>
#include <string>

namespace soak {
// Names of the live threads (/proc/self/task/*/comm), counted by name; and open descriptors' targets.
std::map<std::string, int> threadNames();
std::map<std::string, int> fdTargets();
// "name x2, other" for entries of `now` beyond `base`.
std::string describeExtra(const std::map<std::string, int>& base, const std::map<std::string, int>& now);
}  // namespace soak
