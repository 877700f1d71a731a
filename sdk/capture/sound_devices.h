// Microphones and speakers: PulseAudio sources and sinks (libpulse, the server of PULSE_SERVER or the user's),
// ALSA PCMs (snd_device_name_hint) when no PulseAudio server answers within the timeout.
#pragma once

#include <openlive/devices.h>

#include <chrono>
#include <optional>
#include <vector>

namespace openlive::detail {

// nullopt: no PulseAudio server answered (not an error: the caller falls back to ALSA).
std::optional<std::vector<DeviceInfo>> listPulseDevices(DeviceKind kind, std::chrono::milliseconds timeout);
// nullopt when ALSA cannot be asked.
std::optional<std::vector<DeviceInfo>> listAlsaDevices(DeviceKind kind);

}  // namespace openlive::detail
