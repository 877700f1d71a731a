// Internal logging front-end. Use OL_LOG(level, component, fmt-args...) style via the helpers below.
#pragma once

#include <openlive/log.h>

#include <chrono>
#include <cstdarg>
#include <string>

namespace openlive::detail {

bool logEnabled(LogLevel level) noexcept;
// Redacts and forwards to the installed sink.
void logMessage(LogLevel level, std::string_view component, std::string_view message);
void logf(LogLevel level, const char* component, const char* fmt, ...) __attribute__((format(printf, 3, 4)));
void vlogf(LogLevel level, const char* component, const char* fmt, va_list ap);

// Routes FFmpeg's and librtmp's log callbacks into our sink. Idempotent, process-wide, installed once.
void installThirdPartyLogRouting();

// Hot-path warnings: lets one message through per interval and counts the ones it folds.
class RateLimiter {
 public:
  explicit RateLimiter(std::chrono::milliseconds interval) : interval_(interval) {}
  // True when the caller should log now; `suppressed` receives how many were folded since the last one.
  bool allow(int* suppressed = nullptr);

 private:
  std::chrono::milliseconds interval_;
  std::chrono::steady_clock::time_point last_{};
  int folded_ = 0;
};

}  // namespace openlive::detail

#define OL_LOGT(comp, ...) ::openlive::detail::logf(::openlive::LogLevel::Trace, comp, __VA_ARGS__)
#define OL_LOGD(comp, ...) ::openlive::detail::logf(::openlive::LogLevel::Debug, comp, __VA_ARGS__)
#define OL_LOGI(comp, ...) ::openlive::detail::logf(::openlive::LogLevel::Info, comp, __VA_ARGS__)
#define OL_LOGW(comp, ...) ::openlive::detail::logf(::openlive::LogLevel::Warning, comp, __VA_ARGS__)
#define OL_LOGE(comp, ...) ::openlive::detail::logf(::openlive::LogLevel::Error, comp, __VA_ARGS__)
