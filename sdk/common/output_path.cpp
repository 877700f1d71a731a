#include "common/output_path.h"

#include <algorithm>
#include <cctype>
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

std::string lowerExtension(std::string_view path) {
  const auto dot = path.rfind('.');
  const auto slash = path.rfind('/');
  if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash)) return {};
  std::string ext(path.substr(dot + 1));
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  return ext;
}

}  // namespace openlive::detail
