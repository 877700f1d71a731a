#include "mixer/mixer.h"

#include <algorithm>
#include <array>

namespace openlive::mixer {

namespace {

using Clock = std::chrono::steady_clock;
constexpr int kSoundBlockMs = 20;
constexpr int kSoundBlockFrames = kMixRate * kSoundBlockMs / 1000;

const InputSlot* findSlot(const std::vector<std::unique_ptr<InputSlot>>& slots, const std::string& id) {
  for (const auto& s : slots)
    if (s->streamId() == id) return s.get();
  return nullptr;
}

}  // namespace

Mixer::Mixer(MixLayout layout, MixerOptions options, EventFn onEvent)
    : layout_(std::move(layout)), options_(std::move(options)), onEvent_(std::move(onEvent)),
      canvas_(layout_.canvasWidth, layout_.canvasHeight) {
  for (const auto& id : layout_.streamIds()) {
    auto url = options_.inputUrls.find(id);
    if (url != options_.inputUrls.end()) slots_.push_back(std::make_unique<InputSlot>(id, url->second, onEvent_));
  }
}

Mixer::~Mixer() { stop(); }

PushConfig Mixer::outputConfig() const {
  PushConfig c;
  c.mode = PushMode::RTC;  // no B-frames: the mix adds as little delay as it can
  c.width = canvas_.width();
  c.height = canvas_.height();
  c.fps = options_.fps;
  // ~0.1 bit per pixel at the output rate unless given: 540x960@15 -> 780 kbps.
  const int kbps = options_.bitrateKbps > 0
                       ? options_.bitrateKbps
                       : std::clamp(int(int64_t(c.width) * c.height * c.fps / 10000), 300, 6000);
  c.bitrateKbps = c.maxBitrateKbps = kbps;
  c.minBitrateKbps = std::max(100, kbps / 3);
  c.autoAdjust = AutoAdjust::BitrateOnly;  // the canvas size stays
  c.gopSeconds = 2;
  c.video.type = VideoSourceType::Custom;
  c.audio.type = AudioSourceType::Custom;
  c.audioQuality = AudioQuality::High;  // kMixRate
  c.audioChannels = kMixChannels;
  c.connectRetryCount = 10;
  c.connectRetryInterval = std::chrono::milliseconds(1000);
  return c;
}

Result Mixer::start() {
  output_ = std::make_unique<LivePusher>(outputConfig());
  output_->setEventCallback([this](const Event& e) {
    if (onEvent_) onEvent_("output", e);
  });
  if (auto r = output_->start(options_.outputUrl); !r) return r;
  for (auto& s : slots_) {
    if (auto r = s->start(); !r) {
      stop();
      return r;
    }
  }
  thread_ = std::thread([this] { run(); });
  return Result::success();
}

void Mixer::stop() {
  {
    std::lock_guard lk(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  for (auto& s : slots_) s->stop();
  if (output_) output_->stop();
}

Mixer::Stats Mixer::stats() const {
  std::lock_guard lk(mu_);
  Stats s = stats_;
  for (const auto& slot : slots_) s.inputPictures.emplace_back(slot->streamId(), slot->pictures());
  return s;
}

void Mixer::run() {
  const auto t0 = Clock::now();
  const auto period = std::chrono::microseconds(1000000 / std::max(1, options_.fps));
  const auto block = std::chrono::milliseconds(kSoundBlockMs);
  auto nextPicture = t0, nextSound = t0;
  auto ms = [&](Clock::time_point t) { return std::chrono::duration_cast<std::chrono::milliseconds>(t - t0).count(); };
  for (;;) {
    {
      std::unique_lock lk(mu_);
      if (cv_.wait_until(lk, std::min(nextPicture, nextSound), [this] { return stop_; })) return;
    }
    const auto now = Clock::now();
    if (now >= nextSound) {
      mixAndSend(ms(nextSound));
      nextSound += block;
      if (now - nextSound > 10 * block) nextSound = now;  // the machine stalled: no burst of old sound
    }
    if (now >= nextPicture) {
      composeAndSend(ms(nextPicture));
      nextPicture += period;
      if (now > nextPicture) {  // a late tick: keep the rate, not the backlog
        nextPicture = now + period;
        std::lock_guard lk(mu_);
        ++stats_.lateTicks;
      }
    }
  }
}

void Mixer::composeAndSend(int64_t ptsMs) {
  canvas_.fill({0, 0, canvas_.width(), canvas_.height()}, kCanvasYuv[0], kCanvasYuv[1], kCanvasYuv[2]);
  for (const auto& in : layout_.inputs) {
    if (in.kind == InputKind::Canvas) continue;
    const InputSlot* slot = in.kind == InputKind::Stream ? findSlot(slots_, in.streamId) : nullptr;
    const bool drawn = slot && slot->withPicture(options_.placeholderAfter, [&](const I420Image& pic) {
      const Rect from = in.crop ? *in.crop : centreCrop(pic.width(), pic.height(), in.window.width, in.window.height);
      canvas_.blit(pic, from, in.window);
    });
    if (!drawn) canvas_.fill(in.window, kPlaceholderYuv[0], kPlaceholderYuv[1], kPlaceholderYuv[2]);
  }
  if (output_->sendCustomVideoFrame(canvas_.view(ptsMs))) {
    std::lock_guard lk(mu_);
    ++stats_.pictures;
  }
}

void Mixer::mixAndSend(int64_t ptsMs) {
  std::array<int32_t, kSoundBlockFrames * kMixChannels> acc{};
  for (auto& s : slots_) s->mixAudio(acc.data(), kSoundBlockFrames);
  std::array<int16_t, kSoundBlockFrames * kMixChannels> out{};
  for (size_t i = 0; i < acc.size(); ++i) out[i] = int16_t(std::clamp(acc[i], -32768, 32767));
  AudioFrame f;
  f.samples = out.data();
  f.frames = kSoundBlockFrames;
  f.channels = kMixChannels;
  f.sampleRate = kMixRate;
  f.ptsMs = ptsMs;
  if (output_->sendCustomPCM(f)) {
    std::lock_guard lk(mu_);
    ++stats_.soundBlocks;
  }
}

}  // namespace openlive::mixer
