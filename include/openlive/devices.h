// OpenLive SDK - capture and playback devices: cameras (V4L2), microphones and speakers (PulseAudio, ALSA when no
// PulseAudio server answers), each with a stable id to choose it by.
//
//   std::vector<openlive::DeviceInfo> mics;
//   if (openlive::listDevices(openlive::DeviceKind::Microphone, &mics)) {
//     PushConfig c;
//     c.audio = {AudioSourceType::Microphone, mics.front().id};   // "pulse:alsa_input.usb-...", "alsa:hw:1,0"
//   }
//
// Ids: "v4l2:<path>" (the /dev/v4l/by-id link when there is one, so it survives re-plugging and renumbering),
// "pulse:<source or sink name>", "alsa:<PCM name>". VideoSourceConfig::path (Camera) and AudioSourceConfig::path
// (Microphone) take an id, or, as before, a plain device path or name. listDevices() may be called from any
// thread; it blocks for at most `timeout` (a PulseAudio server that does not answer) and never throws.
#pragma once

#include <openlive/export.h>
#include <openlive/result.h>

#include <chrono>
#include <string>
#include <vector>

namespace openlive {

enum class DeviceKind { Camera, Microphone, Speaker };

struct CameraMode {
  int width = 0, height = 0;
  std::string pixelFormat;  // the V4L2 fourcc ("YUYV", "MJPG", ...)
  std::vector<double> fps;  // discrete rates; empty when the driver reports a range or none
};

struct DeviceInfo {
  std::string id;    // stable id (see above)
  std::string name;  // human-readable ("Integrated Camera", "Built-in Audio Analog Stereo")
  DeviceKind kind = DeviceKind::Camera;
  bool isDefault = false;         // the sound server's default source / sink; the first camera
  std::vector<CameraMode> modes;  // cameras: what the driver offers
};

// Fills *out with the devices of `kind` present now. Failure only when the platform cannot be asked at all (no
// PulseAudio server and no ALSA); an empty list is a success.
OPENLIVE_API Result listDevices(DeviceKind kind, std::vector<DeviceInfo>* out,
                                std::chrono::milliseconds timeout = std::chrono::milliseconds(2000));

}  // namespace openlive
