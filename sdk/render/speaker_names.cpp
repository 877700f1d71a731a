#include "render/speaker_names.h"

#include <openlive/devices.h>

#include "capture/device_ids.h"
#include "common/logging.h"

namespace openlive::render {

std::string speakerDeviceName(const std::string& idOrName) {
  const detail::DeviceRef ref = detail::parseDeviceId(idOrName);
  if (idOrName.empty() || ref.backend == detail::DeviceBackend::Any) return idOrName;
  std::vector<DeviceInfo> speakers;
  if (listDevices(DeviceKind::Speaker, &speakers, std::chrono::milliseconds(1000)))
    for (const auto& d : speakers)
      if (d.id == idOrName) return d.name;
  OL_LOGW("play", "speaker %s is not present; playing on the default one", idOrName.c_str());
  return {};
}

}  // namespace openlive::render
