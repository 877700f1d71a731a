// What the sessions' snapshot and recording requests answer (internal; the facades turn it into a Result).
// The values are the TX return codes of captureVideoSnapshot / startLocalRecord.
#pragma once

#include <openlive/result.h>

#include <string>

namespace openlive {

enum class FileRequest : int {
  Accepted = 0,     // the snapshot / recording is under way
  Failed = -1,      // nothing to capture (no video track) or a snapshot already pending
  BadPath = -2,     // empty, unsupported extension, or its folder does not exist
  FileExists = -3,  // never overwritten
  NotActive = -4,   // not pushing / not playing
  Busy = -5,        // already recording
};

inline Result toResult(FileRequest r, const std::string& path) {
  switch (r) {
    case FileRequest::Accepted: return Result::success();
    case FileRequest::Failed: return Result::failure(ResultCode::NothingToCapture, "no picture to capture: " + path);
    case FileRequest::BadPath: return Result::failure(ResultCode::BadPath, "bad path: " + path);
    case FileRequest::FileExists: return Result::failure(ResultCode::FileExists, "file exists: " + path);
    case FileRequest::NotActive: return Result::failure(ResultCode::NotStarted, "not started");
    case FileRequest::Busy: return Result::failure(ResultCode::Busy, "a recording or snapshot is under way");
  }
  return Result::failure(ResultCode::Failed, "unknown");
}

}  // namespace openlive
