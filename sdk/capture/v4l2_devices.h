// Cameras through V4L2: every /dev/video* node that can capture video, with the sizes, pixel formats and frame
// rates its driver offers (VIDIOC_QUERYCAP / ENUM_FMT / ENUM_FRAMESIZES / ENUM_FRAMEINTERVALS).
#pragma once

#include <openlive/devices.h>

#include <vector>

namespace openlive::detail {

std::vector<DeviceInfo> listV4l2Cameras();

}  // namespace openlive::detail
