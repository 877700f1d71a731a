#include "log.h"

#include <pthread.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <string>

namespace openlive::roomd {
namespace {

std::mutex gMu;
LogLevel gLevel = LogLevel::Info;  // guarded by gMu
LogSink gSink;                     // guarded by gMu

std::string timestamp() {
  using namespace std::chrono;
  const auto now = system_clock::now();
  const std::time_t t = system_clock::to_time_t(now);
  const int ms = static_cast<int>(duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ms);
  return buf;
}

}  // namespace

void setLogLevel(LogLevel minLevel) {
  std::lock_guard lk(gMu);
  gLevel = minLevel;
}

void setLogSink(LogSink sink) {
  std::lock_guard lk(gMu);
  gSink = std::move(sink);
}

void logLine(LogLevel level, std::string_view message) {
  LogSink sink;
  {
    std::lock_guard lk(gMu);
    if (level < gLevel) return;
    sink = gSink;
  }
  const std::string line = openlive::redactSecrets(message);
  if (sink) {
    sink(level, line);
    return;
  }
  const std::string out = "roomd " + timestamp() + " " + std::string(openlive::toString(level)) + " " + line + "\n";
  std::fwrite(out.data(), 1, out.size(), stderr);
}

std::string printable(std::string_view text, size_t max) {
  std::string out;
  for (char c : text.substr(0, max)) out.push_back(c >= 0x20 && c < 0x7f ? c : '?');
  if (text.size() > max) out += "...";
  return out;
}

void setThreadName(const char* name) { pthread_setname_np(pthread_self(), name); }

}  // namespace openlive::roomd
