#include "media_gate.h"

#include "log.h"

namespace openlive::roomd {
namespace {

constexpr int kAllow = 200;
constexpr int kRefuse = 403;
constexpr int kUnknown = 404;

}  // namespace

int MediaGate::check(const char* what, const QueryParams& form, bool markLive) {
  const std::string name = queryValue(form, "name");
  const VerifyError err = s_.urls.verifyStream(name, queryValue(form, "txSecret"), queryValue(form, "txTime"));
  if (err != VerifyError::Ok) {
    logLine(LogLevel::Warning, std::string(what) + " refused: stream " + printable(name) + " from " +
                                   printable(queryValue(form, "addr")) + ": " + std::string(toString(err)));
    return kRefuse;
  }
  if (markLive) s_.store.setStreamLive(name, true);
  logLine(LogLevel::Info, std::string(what) + " allowed: stream " + printable(name));
  return kAllow;
}

int MediaGate::handle(std::string_view action, const QueryParams& form) {
  try {
    if (action == "on_publish") return check("publish", form, true);
    if (action == "on_play") return check("play", form, false);
    if (action == "on_publish_done") {
      const std::string name = queryValue(form, "name");
      s_.store.setStreamLive(name, false);
      logLine(LogLevel::Info, "publish done: stream " + printable(name));
      return kAllow;
    }
    if (action == "on_play_done" || action == "on_done" || action == "on_update") return kAllow;
    return kUnknown;
  } catch (const StoreUnavailable& e) {
    logLine(LogLevel::Error, std::string("media callback: store unavailable: ") + e.what());
    return kRefuse;  // fail closed
  }
}

}  // namespace openlive::roomd
