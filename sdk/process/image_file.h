// Image files (process stage): one picture of a PNG, JPEG, BMP ... file (whatever FFmpeg's image decoders read),
// decoded and converted to I420. Used for the pause image (makePauseCard) and the public loadPicture().
#pragma once

#include "common/picture.h"

#include <string>

namespace openlive::detail {

// The first picture of `path` as I420 of `width` x `height` (scaled), or of its own size rounded down to even
// numbers when both are 0. False with `error` (which file, what failed) when it cannot be opened or decoded.
bool decodeImageFile(const std::string& path, int width, int height, I420Image& out, std::string* error);

}  // namespace openlive::detail
