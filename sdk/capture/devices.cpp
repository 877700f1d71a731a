// listDevices (include/openlive/devices.h) and the device ids the capture sources open.
#include <openlive/devices.h>

#include "capture/device_ids.h"
#include "capture/sound_devices.h"
#include "capture/v4l2_devices.h"

namespace openlive {

namespace detail {

DeviceRef parseDeviceId(const std::string& id) {
  static constexpr struct {
    const char* prefix;
    DeviceBackend backend;
  } kPrefixes[] = {{"v4l2:", DeviceBackend::V4l2}, {"pulse:", DeviceBackend::Pulse}, {"alsa:", DeviceBackend::Alsa}};
  for (const auto& p : kPrefixes)
    if (id.rfind(p.prefix, 0) == 0) return {p.backend, id.substr(std::char_traits<char>::length(p.prefix))};
  return {DeviceBackend::Any, id};
}

}  // namespace detail

Result listDevices(DeviceKind kind, std::vector<DeviceInfo>* out, std::chrono::milliseconds timeout) {
  if (!out) return Result::failure(ResultCode::InvalidArgument, "listDevices: no output list");
  out->clear();
  if (kind == DeviceKind::Camera) {
    *out = detail::listV4l2Cameras();
    return Result::success();
  }
  if (auto pulse = detail::listPulseDevices(kind, timeout)) {
    *out = std::move(*pulse);
    return Result::success();
  }
  if (auto alsa = detail::listAlsaDevices(kind)) {
    *out = std::move(*alsa);
    return Result::success();
  }
  return Result::failure(ResultCode::Failed, "no PulseAudio server answered and ALSA cannot list devices");
}

}  // namespace openlive
