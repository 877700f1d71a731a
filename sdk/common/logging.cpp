#include "common/logging.h"

#include <openlive/types.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <regex>

extern "C" {
#include <librtmp/log.h>
#include <libavutil/log.h>
}

namespace openlive {
namespace {

struct Sink {
  std::mutex mu;  // guards handler
  std::shared_ptr<LogHandler> handler;
  std::atomic<int> level{static_cast<int>(LogLevel::Warning)};
};

Sink& sink() {
  static Sink s;
  return s;
}

LogLevel levelFromEnv() {
  const char* v = std::getenv("OPENLIVE_LOG");
  if (!v) return LogLevel::Warning;
  std::string_view s(v);
  if (s == "trace") return LogLevel::Trace;
  if (s == "debug") return LogLevel::Debug;
  if (s == "info") return LogLevel::Info;
  if (s == "error") return LogLevel::Error;
  if (s == "off") return LogLevel::Off;
  return LogLevel::Warning;
}

std::once_flag g_envOnce;
void initFromEnvOnce() {
  std::call_once(g_envOnce, [] { sink().level = static_cast<int>(levelFromEnv()); });
}

}  // namespace

std::string_view toString(LogLevel level) noexcept {
  switch (level) {
    case LogLevel::Trace: return "trace";
    case LogLevel::Debug: return "debug";
    case LogLevel::Info: return "info";
    case LogLevel::Warning: return "warning";
    case LogLevel::Error: return "error";
    case LogLevel::Off: return "off";
  }
  return "?";
}

void setLogHandler(LogLevel minLevel, LogHandler handler) {
  initFromEnvOnce();
  auto& s = sink();
  std::lock_guard lk(s.mu);
  s.handler = handler ? std::make_shared<LogHandler>(std::move(handler)) : nullptr;
  s.level = static_cast<int>(minLevel);
}

void setLogLevel(LogLevel minLevel) {
  initFromEnvOnce();
  sink().level = static_cast<int>(minLevel);
}

LogLevel logLevel() noexcept {
  initFromEnvOnce();
  return static_cast<LogLevel>(sink().level.load());
}

std::string redactSecrets(std::string_view text) {
  // Query values of secret-bearing parameters.
  static const std::regex kQuery(R"(((?:^|[?&;\s])(?:txSecret|txsecret|sign|secret|key|token|usersig|userSig|auth_key|password|pass)=)[^&\s"']*)",
                                 std::regex::ECMAScript);
  // rtmp(s|t|e)://host[:port]/app/<streamkey>: the stream name is the publish key on most services.
  static const std::regex kStreamKey(R"((rtmp[a-z]?://[^/\s"']+/[^/\s"'?]+/)([^?\s"']+))", std::regex::ECMAScript);
  std::string s(text);
  s = std::regex_replace(s, kQuery, "$1***");
  s = std::regex_replace(s, kStreamKey, "$1***");
  return s;
}

std::optional<double> NetStatus::number(std::string_view key) const {
  auto it = values.find(key);
  if (it == values.end() || it->second.empty()) return std::nullopt;
  char* end = nullptr;
  double v = std::strtod(it->second.c_str(), &end);
  if (end == it->second.c_str()) return std::nullopt;
  return v;
}

namespace detail {

bool logEnabled(LogLevel level) noexcept {
  return static_cast<int>(level) >= static_cast<int>(logLevel()) && level != LogLevel::Off;
}

void logMessage(LogLevel level, std::string_view component, std::string_view message) {
  if (!logEnabled(level)) return;
  std::string clean = redactSecrets(message);
  while (!clean.empty() && (clean.back() == '\n' || clean.back() == '\r')) clean.pop_back();
  std::shared_ptr<LogHandler> h;
  {
    auto& s = sink();
    std::lock_guard lk(s.mu);
    h = s.handler;
  }
  if (h) {
    try {
      (*h)(level, component, clean);
    } catch (...) {
      // A user sink must never take the SDK down.
    }
    return;
  }
  std::fprintf(stderr, "[openlive %s %.*s] %s\n", std::string(toString(level)).c_str(),
               static_cast<int>(component.size()), component.data(), clean.c_str());
}

void vlogf(LogLevel level, const char* component, const char* fmt, va_list ap) {
  if (!logEnabled(level)) return;
  char buf[2048];
  std::vsnprintf(buf, sizeof buf, fmt, ap);
  logMessage(level, component, buf);
}

void logf(LogLevel level, const char* component, const char* fmt, ...) {
  if (!logEnabled(level)) return;
  va_list ap;
  va_start(ap, fmt);
  vlogf(level, component, fmt, ap);
  va_end(ap);
}

bool RateLimiter::allow(int* suppressed) {
  auto now = std::chrono::steady_clock::now();
  if (last_.time_since_epoch().count() == 0 || now - last_ >= interval_) {
    if (suppressed) *suppressed = folded_;
    folded_ = 0;
    last_ = now;
    return true;
  }
  ++folded_;
  return false;
}

namespace {

void ffmpegLog(void* avcl, int level, const char* fmt, va_list ap) {
  LogLevel l;
  if (level <= AV_LOG_ERROR) l = LogLevel::Error;
  else if (level <= AV_LOG_WARNING) l = LogLevel::Warning;
  else if (level <= AV_LOG_INFO) l = LogLevel::Info;
  else if (level <= AV_LOG_VERBOSE) l = LogLevel::Debug;
  else l = LogLevel::Trace;
  // FFmpeg's "errors" about a single packet are routine for a live player; keep them at warning.
  if (l == LogLevel::Error) l = LogLevel::Warning;
  if (!logEnabled(l)) return;
  char buf[1024];
  int prefix = 1;
  av_log_format_line2(avcl, level, fmt, ap, buf, sizeof buf, &prefix);
  logMessage(l, "ffmpeg", buf);
}

void rtmpLog(int level, const char* fmt, va_list ap) {
  LogLevel l;
  switch (level) {
    // Our transport layer reports every failure with its own, clearer message; librtmp's are detail.
    case RTMP_LOGCRIT:
    case RTMP_LOGERROR:
    case RTMP_LOGWARNING: l = LogLevel::Info; break;
    case RTMP_LOGINFO: l = LogLevel::Debug; break;
    default: l = LogLevel::Trace; break;
  }
  if (!logEnabled(l)) return;
  vlogf(l, "librtmp", fmt, ap);
}

}  // namespace

void installThirdPartyLogRouting() {
  static std::once_flag once;
  std::call_once(once, [] {
    initFromEnvOnce();
    av_log_set_callback(ffmpegLog);
    RTMP_LogSetCallback(rtmpLog);
    RTMP_LogSetLevel(RTMP_LOGWARNING);
  });
}

}  // namespace detail
}  // namespace openlive
