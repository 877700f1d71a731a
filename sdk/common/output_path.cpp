#include "common/output_path.h"

#include <filesystem>

namespace openlive::detail {

int checkNewFilePath(const std::string& path, std::string* why) {
  if (path.empty()) {
    *why = "empty path";
    return -2;
  }
  std::error_code ec;
  const std::filesystem::path p(path);
  const auto dir = p.has_parent_path() ? p.parent_path() : std::filesystem::path(".");
  if (!std::filesystem::is_directory(dir, ec)) {
    *why = "no such folder: " + dir.string();
    return -2;
  }
  if (std::filesystem::exists(std::filesystem::symlink_status(p, ec))) {
    *why = "file exists: " + path;
    return -3;
  }
  return 0;
}

}  // namespace openlive::detail
