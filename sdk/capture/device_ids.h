// Device ids (include/openlive/devices.h): "v4l2:<path>", "pulse:<name>", "alsa:<name>" -> backend + name. A
// string without a known prefix is a plain device name or path (kept as it was before ids existed).
#pragma once

#include <string>

namespace openlive::detail {

enum class DeviceBackend { Any, V4l2, Pulse, Alsa };

struct DeviceRef {
  DeviceBackend backend = DeviceBackend::Any;
  std::string name;  // what the backend opens ("/dev/video0", "alsa_input.pci-...", "hw:0,0")
};

DeviceRef parseDeviceId(const std::string& id);

}  // namespace openlive::detail
