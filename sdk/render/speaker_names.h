// The speaker a player's AudioOutput names (AudioOutput::path with Kind::Device) as SDL knows it: a speaker id of
// listDevices(DeviceKind::Speaker) ("pulse:<sink>", "alsa:<pcm>") becomes the device's description, the name
// SDL's PulseAudio and ALSA backends list it under; any other text is taken as an SDL device name as it is; ""
// is the default device.
#pragma once

#include <string>

namespace openlive::render {

std::string speakerDeviceName(const std::string& idOrName);

}  // namespace openlive::render
