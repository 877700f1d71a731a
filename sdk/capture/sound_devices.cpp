#include "capture/sound_devices.h"

#include <alsa/asoundlib.h>
#include <pulse/pulseaudio.h>

#include <cstdlib>
#include <memory>

namespace openlive::detail {
namespace {

using Clock = std::chrono::steady_clock;

// One bounded PulseAudio conversation on its own pa_mainloop (no thread of its own: iterated here until the
// answers are in or the deadline passes).
struct PulseQuery {
  DeviceKind kind;
  bool failed = false;
  int pending = 0;  // answers still expected once the context is ready
  std::string defaultSource, defaultSink;
  std::vector<DeviceInfo> devices;
};

void addDevice(PulseQuery& q, const char* name, const char* description) {
  DeviceInfo d;
  d.id = std::string("pulse:") + name;
  d.name = description && *description ? description : name;
  d.kind = q.kind;
  q.devices.push_back(std::move(d));
}

void onServer(pa_context*, const pa_server_info* i, void* user) {
  auto& q = *static_cast<PulseQuery*>(user);
  if (i) {
    q.defaultSource = i->default_source_name ? i->default_source_name : "";
    q.defaultSink = i->default_sink_name ? i->default_sink_name : "";
  }
  --q.pending;
}

// One entry of a source or sink list (pa_source_info / pa_sink_info: the same name and description fields).
template <class Info>
void onDeviceInfo(pa_context*, const Info* i, int eol, void* user) {
  auto& q = *static_cast<PulseQuery*>(user);
  if (eol) {
    --q.pending;
    if (eol < 0) q.failed = true;
    return;
  }
  addDevice(q, i->name, i->description);
}

void onState(pa_context* c, void* user) {
  auto& q = *static_cast<PulseQuery*>(user);
  switch (pa_context_get_state(c)) {
    case PA_CONTEXT_READY: {
      q.pending = 2;
      if (pa_operation* o = pa_context_get_server_info(c, onServer, &q)) pa_operation_unref(o);
      pa_operation* list = q.kind == DeviceKind::Speaker
                               ? pa_context_get_sink_info_list(c, onDeviceInfo<pa_sink_info>, &q)
                               : pa_context_get_source_info_list(c, onDeviceInfo<pa_source_info>, &q);
      if (list) pa_operation_unref(list);
      break;
    }
    case PA_CONTEXT_FAILED:
    case PA_CONTEXT_TERMINATED: q.failed = true; break;
    default: break;
  }
}

struct MainloopDeleter {
  void operator()(pa_mainloop* m) const { pa_mainloop_free(m); }
};
struct ContextDeleter {
  void operator()(pa_context* c) const {
    pa_context_disconnect(c);
    pa_context_unref(c);
  }
};

}  // namespace

std::optional<std::vector<DeviceInfo>> listPulseDevices(DeviceKind kind, std::chrono::milliseconds timeout) {
  std::unique_ptr<pa_mainloop, MainloopDeleter> loop(pa_mainloop_new());
  if (!loop) return std::nullopt;
  std::unique_ptr<pa_context, ContextDeleter> ctx(pa_context_new(pa_mainloop_get_api(loop.get()), "openlive-devices"));
  if (!ctx) return std::nullopt;
  PulseQuery q{kind};
  pa_context_set_state_callback(ctx.get(), onState, &q);
  if (pa_context_connect(ctx.get(), nullptr, PA_CONTEXT_NOAUTOSPAWN, nullptr) < 0) return std::nullopt;
  const auto deadline = Clock::now() + timeout;
  bool answered = false;
  while (!q.failed && !answered) {
    const auto left = std::chrono::duration_cast<std::chrono::microseconds>(deadline - Clock::now()).count();
    if (left <= 0) return std::nullopt;
    if (pa_mainloop_prepare(loop.get(), static_cast<int>(left)) < 0 || pa_mainloop_poll(loop.get()) < 0 ||
        pa_mainloop_dispatch(loop.get()) < 0)
      return std::nullopt;
    answered = pa_context_get_state(ctx.get()) == PA_CONTEXT_READY && q.pending == 0;
  }
  if (q.failed) return std::nullopt;
  const std::string& def = kind == DeviceKind::Speaker ? q.defaultSink : q.defaultSource;
  for (auto& d : q.devices) d.isDefault = d.id == "pulse:" + def;
  return std::move(q.devices);
}

std::optional<std::vector<DeviceInfo>> listAlsaDevices(DeviceKind kind) {
  void** hints = nullptr;
  if (snd_device_name_hint(-1, "pcm", &hints) < 0) return std::nullopt;
  std::vector<DeviceInfo> out;
  const char* wanted = kind == DeviceKind::Speaker ? "Output" : "Input";
  for (void** h = hints; *h; ++h) {
    char* name = snd_device_name_get_hint(*h, "NAME");
    char* desc = snd_device_name_get_hint(*h, "DESC");
    char* io = snd_device_name_get_hint(*h, "IOID");  // null: both directions
    if (name && (!io || std::string(io) == wanted)) {
      DeviceInfo d;
      d.id = std::string("alsa:") + name;
      d.name = desc ? desc : name;
      for (char& c : d.name)
        if (c == '\n') c = ' ';
      d.kind = kind;
      d.isDefault = std::string(name) == "default";
      out.push_back(std::move(d));
    }
    std::free(name);
    std::free(desc);
    std::free(io);
  }
  snd_device_name_free_hint(hints);
  return out;
}

}  // namespace openlive::detail
