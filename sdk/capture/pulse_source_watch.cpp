#include "capture/pulse_source_watch.h"

#include <pulse/pulseaudio.h>
#include <pulse/rtclock.h>


namespace openlive::detail {

// Lives on the mainloop thread's side: every field below is touched under the mainloop's lock (callbacks run
// with it held; start() and the destructor take it).
struct PulseSourceWatch::Impl {
  PulseSourceWatch* owner = nullptr;
  pa_threaded_mainloop* loop = nullptr;
  pa_context* ctx = nullptr;
  uint32_t index = PA_INVALID_INDEX;  // the watched source's index, once known
  bool ready = false, failed = false, timedOut = false;

  ~Impl() {
    if (!loop) return;
    pa_threaded_mainloop_stop(loop);
    if (ctx) {
      pa_context_disconnect(ctx);
      pa_context_unref(ctx);
    }
    pa_threaded_mainloop_free(loop);
  }
};

namespace {

void onWatchedSourceInfo(pa_context*, const pa_source_info* info, int eol, void* user) {
  auto* d = static_cast<PulseSourceWatch::Impl*>(user);
  if (eol) {
    pa_threaded_mainloop_signal(d->loop, 0);  // start() waits for the source's index
    return;
  }
  d->index = info->index;
}

void onWatchEvent(pa_context*, pa_subscription_event_type_t type, uint32_t idx, void* user) {
  auto* d = static_cast<PulseSourceWatch::Impl*>(user);
  const auto facility = type & PA_SUBSCRIPTION_EVENT_FACILITY_MASK;
  const auto kind = type & PA_SUBSCRIPTION_EVENT_TYPE_MASK;
  if (facility == PA_SUBSCRIPTION_EVENT_SOURCE && kind == PA_SUBSCRIPTION_EVENT_REMOVE && idx == d->index)
    d->owner->markGone();
}

// start()'s bound: a server that accepts the connection but does not answer ends the wait after this.
constexpr pa_usec_t kStartTimeoutUs = 2'000'000;

void onWatchStartTimeout(pa_mainloop_api*, pa_time_event*, const struct timeval*, void* user) {
  auto* d = static_cast<PulseSourceWatch::Impl*>(user);
  if (!d->ready) d->failed = true;
  d->timedOut = true;
  pa_threaded_mainloop_signal(d->loop, 0);
}

void onWatchState(pa_context* c, void* user) {
  auto* d = static_cast<PulseSourceWatch::Impl*>(user);
  switch (pa_context_get_state(c)) {
    case PA_CONTEXT_READY: d->ready = true; break;
    case PA_CONTEXT_FAILED:
    case PA_CONTEXT_TERMINATED: d->failed = true; break;
    default: return;
  }
  pa_threaded_mainloop_signal(d->loop, 0);
}

}  // namespace

PulseSourceWatch::PulseSourceWatch(std::string sourceName) : name_(std::move(sourceName)) {}
PulseSourceWatch::~PulseSourceWatch() = default;  // Impl's destructor stops the mainloop thread first

bool PulseSourceWatch::start(std::string* why) {
  impl_ = std::make_unique<Impl>();
  Impl& d = *impl_;
  d.owner = this;
  d.loop = pa_threaded_mainloop_new();
  if (d.loop) d.ctx = pa_context_new(pa_threaded_mainloop_get_api(d.loop), "openlive-source-watch");
  if (!d.ctx) {
    if (why) *why = "PulseAudio: no mainloop or context";
    return false;
  }
  pa_threaded_mainloop_set_name(d.loop, "ol-pulse-watch");
  pa_context_set_state_callback(d.ctx, onWatchState, &d);
  pa_context_set_subscribe_callback(d.ctx, onWatchEvent, &d);
  pa_threaded_mainloop_lock(d.loop);
  bool ok = pa_context_connect(d.ctx, nullptr, PA_CONTEXT_NOAUTOSPAWN, nullptr) >= 0 &&
            pa_threaded_mainloop_start(d.loop) >= 0;
  if (ok) pa_context_rttime_new(d.ctx, pa_rtclock_now() + kStartTimeoutUs, onWatchStartTimeout, &d);
  while (ok && !d.ready && !d.failed) pa_threaded_mainloop_wait(d.loop);  // the callbacks signal
  ok = ok && d.ready;
  if (ok) {
    // Subscribe first, then look the source up: one removed in between is "not found" here.
    if (pa_operation* o = pa_context_subscribe(d.ctx, PA_SUBSCRIPTION_MASK_SOURCE, nullptr, nullptr))
      pa_operation_unref(o);
    pa_operation* o = pa_context_get_source_info_by_name(d.ctx, name_.c_str(), onWatchedSourceInfo, &d);
    while (o && !d.timedOut && pa_operation_get_state(o) == PA_OPERATION_RUNNING) pa_threaded_mainloop_wait(d.loop);
    if (o) pa_operation_unref(o);
    if (d.index == PA_INVALID_INDEX) gone_ = true;
    }
  if (!ok && why) *why = std::string("PulseAudio: ") + (d.timedOut ? "no answer" : pa_strerror(pa_context_errno(d.ctx)));
  pa_threaded_mainloop_unlock(d.loop);
  return ok;
}

}  // namespace openlive::detail
