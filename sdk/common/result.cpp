#include <openlive/result.h>

namespace openlive {

std::string_view toString(ResultCode code) noexcept {
  switch (code) {
    case ResultCode::Ok: return "ok";
    case ResultCode::InvalidArgument: return "invalid argument";
    case ResultCode::InvalidUrl: return "invalid URL";
    case ResultCode::UnsupportedResolution: return "unsupported resolution";
    case ResultCode::UnsupportedSampleRate: return "unsupported sample rate";
    case ResultCode::NoMedia: return "no video and no audio";
    case ResultCode::AlreadyStarted: return "already started";
    case ResultCode::NotStarted: return "not started";
    case ResultCode::NotReady: return "not ready";
    case ResultCode::WrongSource: return "wrong source type";
    case ResultCode::BadPath: return "bad path";
    case ResultCode::FileExists: return "file exists";
    case ResultCode::Busy: return "busy";
    case ResultCode::NothingToCapture: return "nothing to capture";
    case ResultCode::NotLoggedIn: return "not logged in";
    case ResultCode::WrongState: return "wrong state";
    case ResultCode::Refused: return "refused";
    case ResultCode::TimedOut: return "timed out";
    case ResultCode::Canceled: return "canceled";
    case ResultCode::Failed: return "failed";
  }
  return "unknown";
}

}  // namespace openlive
