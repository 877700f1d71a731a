// Checks for a file the SDK is asked to create (snapshot, local recording): the TX-style result codes.
#pragma once

#include <string>
#include <string_view>

namespace openlive::detail {

// 0: usable; -2: empty, or its folder does not exist; -3: the file already exists (never overwritten).
int checkNewFilePath(const std::string& path, std::string* why);

// The extension of the file name in `path`, lower-cased, without the dot ("" when there is none).
std::string lowerExtension(std::string_view path);

}  // namespace openlive::detail
