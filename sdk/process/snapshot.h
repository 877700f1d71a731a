// Snapshots (process stage): one I420 picture -> a JPEG (.jpg / .jpeg, libavcodec mjpeg) or PNG (.png,
// libavcodec png) file, colour-converted by libswscale (limited-range BT.601 in, full-range JPEG / RGB out).
// The owner (pusher: the picture being encoded; player: the picture on screen) copies the picture and writes it
// on a worker, never on the capture, encode or render path.
#pragma once

#include "common/picture.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace openlive::detail {

// "jpeg", "png", or "" when the extension is not one of .jpg / .jpeg / .png.
std::string_view snapshotFormatFor(std::string_view path);
// TX result codes: 0 usable, -2 empty path / unsupported type / no such folder, -3 the file exists.
int checkSnapshotPath(const std::string& path, std::string* why);

// Copies the visible part of an I420 picture (any strides) into an I420Image (even sizes are not required).
void copyI420(const uint8_t* const planes[3], const int strides[3], int width, int height, I420Image& out);
// Writes `img` to `path` in the format of its extension. False with the reason on failure.
bool writeSnapshot(const I420Image& img, const std::string& path, std::string* err);

}  // namespace openlive::detail
