// roomd's log: one line per event to stderr (or a sink a test installs). Lines pass openlive::redactSecrets()
// as a second fence, but the first is that no caller ever formats a key, userSig, token or txSecret into one.
#pragma once

#include <openlive/log.h>

#include <functional>
#include <string>
#include <string_view>

namespace openlive::roomd {

using openlive::LogLevel;
using LogSink = std::function<void(LogLevel level, std::string_view line)>;

void setLogLevel(LogLevel minLevel);
// Replaces the stderr sink (nullptr restores it). For tests that read what roomd logs.
void setLogSink(LogSink sink);
void logLine(LogLevel level, std::string_view message);

// Client-supplied text made safe for a log line: control and non-ASCII bytes become '?', cut to `max` bytes.
std::string printable(std::string_view text, size_t max = 64);

// Names the calling thread (shown by top/gdb; 15 characters at most).
void setThreadName(const char* name);

}  // namespace openlive::roomd
