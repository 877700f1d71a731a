#include "capture/v4l2_devices.h"

#include <fcntl.h>
#include <linux/videodev2.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <map>

namespace openlive::detail {
namespace {

namespace fs = std::filesystem;

int xioctl(int fd, unsigned long request, void* arg) {
  int r;
  do {
    r = ioctl(fd, request, arg);
  } while (r < 0 && errno == EINTR);
  return r;
}

std::string fourcc(uint32_t f) {
  std::string s;
  for (int i = 0; i < 4; ++i) s.push_back(static_cast<char>((f >> (8 * i)) & 0xff));
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

// /dev/videoN -> /dev/v4l/by-id/... (a name that survives renumbering), when udev made one.
std::map<std::string, std::string> stableNames() {
  std::map<std::string, std::string> names;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator("/dev/v4l/by-id", ec)) {
    std::error_code ec2;
    const fs::path target = fs::canonical(e.path(), ec2);
    if (!ec2) names[target.string()] = e.path().string();
  }
  return names;
}

std::vector<double> frameRates(int fd, uint32_t format, uint32_t w, uint32_t h) {
  std::vector<double> rates;
  v4l2_frmivalenum iv{};
  iv.pixel_format = format;
  iv.width = w;
  iv.height = h;
  for (iv.index = 0; xioctl(fd, VIDIOC_ENUM_FRAMEINTERVALS, &iv) == 0; ++iv.index) {
    if (iv.type != V4L2_FRMIVAL_TYPE_DISCRETE) break;  // a range: reported as no discrete rates
    if (iv.discrete.numerator) rates.push_back(double(iv.discrete.denominator) / iv.discrete.numerator);
  }
  return rates;
}

std::vector<CameraMode> modesOf(int fd) {
  std::vector<CameraMode> modes;
  v4l2_fmtdesc fmt{};
  fmt.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
  for (fmt.index = 0; xioctl(fd, VIDIOC_ENUM_FMT, &fmt) == 0; ++fmt.index) {
    v4l2_frmsizeenum size{};
    size.pixel_format = fmt.pixelformat;
    for (size.index = 0; xioctl(fd, VIDIOC_ENUM_FRAMESIZES, &size) == 0; ++size.index) {
      if (size.type != V4L2_FRMSIZE_TYPE_DISCRETE) {  // stepwise / continuous: its largest size
        modes.push_back({int(size.stepwise.max_width), int(size.stepwise.max_height), fourcc(fmt.pixelformat), {}});
        break;
      }
      modes.push_back({int(size.discrete.width), int(size.discrete.height), fourcc(fmt.pixelformat),
                       frameRates(fd, fmt.pixelformat, size.discrete.width, size.discrete.height)});
    }
  }
  return modes;
}

}  // namespace

std::vector<DeviceInfo> listV4l2Cameras() {
  std::vector<std::string> nodes;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator("/dev", ec)) {
    const std::string name = e.path().filename().string();
    if (name.rfind("video", 0) == 0) nodes.push_back(e.path().string());
  }
  std::sort(nodes.begin(), nodes.end());
  const auto stable = stableNames();
  std::vector<DeviceInfo> cams;
  for (const auto& node : nodes) {
    const int fd = ::open(node.c_str(), O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) continue;
    v4l2_capability cap{};
    const bool ok = xioctl(fd, VIDIOC_QUERYCAP, &cap) == 0;
    const uint32_t caps = cap.capabilities & V4L2_CAP_DEVICE_CAPS ? cap.device_caps : cap.capabilities;
    if (ok && (caps & V4L2_CAP_VIDEO_CAPTURE)) {  // metadata nodes of the same camera are skipped
      DeviceInfo d;
      auto it = stable.find(node);
      d.id = "v4l2:" + (it != stable.end() ? it->second : node);
      d.name = reinterpret_cast<const char*>(cap.card);
      d.kind = DeviceKind::Camera;
      d.isDefault = cams.empty();
      d.modes = modesOf(fd);
      cams.push_back(std::move(d));
    }
    ::close(fd);
  }
  return cams;
}

}  // namespace openlive::detail
