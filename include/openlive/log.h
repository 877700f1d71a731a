// OpenLive SDK - logging. One process-wide pluggable sink; FFmpeg, librtmp and SDL logs are routed into it.
// Stream keys, txSecret and similar secrets are redacted before any sink sees a message.
#pragma once

#include <openlive/export.h>

#include <functional>
#include <string>
#include <string_view>

namespace openlive {

enum class LogLevel { Trace = 0, Debug, Info, Warning, Error, Off };

// component: "push", "play", "rtmp", "ffmpeg", ...; message: already redacted, no trailing newline.
using LogHandler = std::function<void(LogLevel level, std::string_view component, std::string_view message)>;

// Installs the sink (replacing the previous one) and the minimum level. Thread-safe; the handler may be
// called from any SDK thread and must return quickly. Default: warnings and errors to stderr.
OPENLIVE_API void setLogHandler(LogLevel minLevel, LogHandler handler);
OPENLIVE_API void setLogLevel(LogLevel minLevel);
OPENLIVE_API LogLevel logLevel() noexcept;
OPENLIVE_API std::string_view toString(LogLevel level) noexcept;

// Replaces secrets in a URL or log line: txSecret/txTime/sign/key query values, usersig, and the stream
// key (the last path segment of rtmp:// URLs) become "***". Idempotent.
OPENLIVE_API std::string redactSecrets(std::string_view text);

}  // namespace openlive
