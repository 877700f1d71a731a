#include "capture/pull_sources.h"

#include "common/clock_ms.h"

#include <sys/stat.h>
#include <unistd.h>

#include <chrono>

namespace openlive::detail {

SourcePacing pacingOfPath(const std::string& path) {
  struct stat st {};
  const int r = path == "-" ? ::fstat(STDIN_FILENO, &st) : ::stat(path.c_str(), &st);
  if (r == 0 && S_ISREG(st.st_mode)) return SourcePacing::Realtime;
  return SourcePacing::Live;
}

SourceRead TestPatternSource::read(I420Image& out, const std::atomic<bool>& cancel, std::string*) {
  if (cancel.load()) return SourceRead::Cancelled;
  gen_.render(index_++, wallMs(), out);
  return SourceRead::Ok;
}

bool Y4mSource::open(const std::string& path, SourcePacing pacing, std::string* error) {
  pacing_ = pacing;
  return reader_.open(path, error);
}

SourceRead Y4mSource::read(I420Image& out, const std::atomic<bool>& cancel, std::string*) {
  if (reader_.readFrame(out, cancel)) return SourceRead::Ok;
  return cancel.load() ? SourceRead::Cancelled : SourceRead::End;
}

SourceRead ToneSource::read(int frames, std::vector<int16_t>& out, const std::atomic<bool>& cancel, std::string*) {
  if (cancel.load()) return SourceRead::Cancelled;
  gen_.generate(frames, out);
  return SourceRead::Ok;
}

bool WavSource::open(const std::string& path, SourcePacing pacing, std::string* error) {
  pacing_ = pacing;
  return reader_.open(path, error);
}

SourceRead WavSource::read(int frames, std::vector<int16_t>& out, const std::atomic<bool>& cancel, std::string*) {
  if (reader_.read(frames, out, cancel) > 0) return SourceRead::Ok;
  return cancel.load() ? SourceRead::Cancelled : SourceRead::End;
}

}  // namespace openlive::detail
