#include "mixer/mixer.h"

#include <algorithm>
#include <array>
#include <utility>

namespace openlive::mixer {

namespace {

using Clock = std::chrono::steady_clock;
constexpr int kSoundBlockMs = 20;
constexpr int kSoundBlockFrames = kMixRate * kSoundBlockMs / 1000;
// A main picture that arrives sooner than this share of 1/fps after the last composed one waits (the output
// stays at about --fps when the main stream runs faster; composed on the next arrival or tick).
constexpr int kArrivalMinGapPercent = 75;

const InputSlot* findSlot(const std::vector<std::shared_ptr<InputSlot>>& slots, const std::string& id) {
  for (const auto& s : slots)
    if (s->streamId() == id) return s.get();
  return nullptr;
}

}  // namespace

Mixer::Mixer(MixerOptions options, EventFn onEvent) : options_(std::move(options)), onEvent_(std::move(onEvent)) {}

Mixer::~Mixer() { stop(); }

PushConfig Mixer::outputConfig(const MixLayout& layout) const {
  PushConfig c;
  c.mode = PushMode::RTC;  // no B-frames: the mix adds as little delay as it can
  c.width = layout.canvasWidth & ~1;
  c.height = layout.canvasHeight & ~1;
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
  c.audioChannels = options_.audioChannels;  // the stereo mix is down-mixed by the pusher when mono
  c.connectRetryCount = 10;
  c.connectRetryInterval = std::chrono::milliseconds(1000);
  return c;
}

Result Mixer::start(const MixLayout& layout) {
  {
    std::lock_guard lk(updateMu_);
    if (output_) return Result::failure(ResultCode::AlreadyStarted, "the mixer is already running");
    output_ = std::make_unique<LivePusher>(outputConfig(layout));
    output_->setEventCallback([this](const Event& e) {
      if (onEvent_) onEvent_("output", e);
    });
    if (auto r = output_->start(options_.outputUrl); !r) return r;
    std::lock_guard lk2(mu_);
    scene_ = std::make_shared<Scene>();
  }
  if (auto r = update(layout); !r) {
    stop();
    return r;
  }
  thread_ = std::thread([this] { run(); });
  return Result::success();
}

Result Mixer::update(const MixLayout& layout, const std::map<std::string, std::string>& moreUrls) {
  std::lock_guard lk(updateMu_);
  if (!output_) return Result::failure(ResultCode::NotStarted, "the mixer is not running");
  for (const auto& [id, url] : moreUrls) options_.inputUrls[id] = url;
  const auto old = scene();
  auto next = std::make_shared<Scene>();
  next->layout = layout;
  if (const auto ids = layout.streamIds(); !ids.empty()) next->mainStream = ids.front();  // in layer order
  next->forward = options_.relay && layout.forwardable();
  for (const auto& id : layout.streamIds()) {
    auto same = std::find_if(old->slots.begin(), old->slots.end(), [&](const auto& s) { return s->streamId() == id; });
    if (same != old->slots.end()) {
      next->slots.push_back(*same);
      continue;
    }
    auto url = options_.inputUrls.find(id);
    if (url == options_.inputUrls.end())
      return Result::failure(ResultCode::InvalidArgument, "no URL for input stream " + id);
    auto slot = std::make_shared<InputSlot>(id, url->second, onEvent_);
    slot->setPictureHook([this, id] { onInputPicture(id); });
    slot->setPacketHook([this, id](const EncodedVideoPacket& p) { onInputPacket(id, p); });
    slot->setAudioPacketHook([this, id](const EncodedAudioPacket& p) { onInputAudio(id, p); });
    if (auto r = slot->start(); !r) return r;  // the slots started so far stop with `next`
    next->slots.push_back(std::move(slot));
  }
  const bool resized = old->layout.canvasWidth != layout.canvasWidth || old->layout.canvasHeight != layout.canvasHeight;
  if (resized && old->layout.canvasWidth != 0) (void)output_->setVideoQuality(outputConfig(layout));
  {
    std::lock_guard lk2(mu_);
    scene_ = next;
    ++stats_.layouts;
  }
  for (const auto& s : old->slots)  // the inputs left out (their last tick may still hold them: shared)
    if (std::find(next->slots.begin(), next->slots.end(), s) == next->slots.end()) s->stop();
  return Result::success();
}

std::shared_ptr<const Mixer::Scene> Mixer::scene() const {
  std::lock_guard lk(mu_);
  return scene_;
}

void Mixer::stop() {
  {
    std::lock_guard lk(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  std::lock_guard lk(updateMu_);
  if (auto s = scene())
    for (auto& slot : s->slots) slot->stop();
  if (output_) output_->stop();
}

Mixer::Stats Mixer::stats() const {
  std::lock_guard lk(mu_);
  Stats s = stats_;
  if (scene_)
    for (const auto& slot : scene_->slots) s.inputPictures.emplace_back(slot->streamId(), slot->pictures());
  return s;
}

void Mixer::onInputPicture(const std::string& streamId) {
  std::lock_guard lk(mu_);
  if (stop_ || !scene_) return;
  if (scene_->mainStream != streamId) return;
  mainFresh_ = true;
  cv_.notify_one();
}

void Mixer::onInputPacket(const std::string& streamId, const EncodedVideoPacket& p) {
  const auto sc = scene();
  if (!sc || !sc->forward || sc->mainStream != streamId) return;
  bool started = false, ended = false;
  {
    std::lock_guard lk(videoMu_);
    if (!relaying_ && !p.keyframe) return;  // composed pictures go on until the main stream's next keyframe
    const Result r = output_->sendEncodedVideo(p);
    started = r && !relaying_;
    ended = !r && relaying_;  // refused (a loss: waiting for a keyframe): composed pictures fill the gap
    relaying_ = bool(r);
    if (r) {
      lastRelay_ = Clock::now();
      std::lock_guard lk2(mu_);
      ++stats_.relayed;
      if (started) ++stats_.relayStarts;
    }
  }
  if (started || ended) tellRelay(started);
}

void Mixer::onInputAudio(const std::string& streamId, const EncodedAudioPacket& p) {
  const auto sc = scene();
  if (!sc || !sc->forward || sc->mainStream != streamId) return;
  std::lock_guard lk(audioMu_);
  if (!relaying_) {  // the pictures are composed: so is the sound
    audioForwarding_ = false;
    return;
  }
  const Result r = output_->sendEncodedAudio(p);
  // NotReady: a frame overlapping the mix's last sound at the switch (dropped); the forwarding goes on.
  audioForwarding_ = r || r.code == ResultCode::NotReady;
  if (!audioForwarding_) return;  // not the output's AAC configuration: the mix goes on
  lastAudioRelay_ = Clock::now();
  if (r) {
    std::lock_guard lk2(mu_);
    ++stats_.audioRelayed;
  }
}

bool Mixer::audioForwardedLocked() {
  if (audioForwarding_ && relaying_ && Clock::now() - lastAudioRelay_ < kRelayStall) return true;
  audioForwarding_ = false;  // the pictures are composed again, or the main stream's sound stopped: mix
  return false;
}

bool Mixer::relayingNow(const Scene& sc, bool& ended) {
  if (!relaying_) return false;
  if (sc.forward && Clock::now() - lastRelay_ < kRelayStall) return true;
  relaying_ = false;  // a layout to compose, or the forwarded stream stopped: compose from here on
  ended = true;
  return false;
}

void Mixer::tellRelay(bool forwarding) {
  if (options_.onRelay) options_.onRelay(forwarding);
}

void Mixer::run() {
  const auto t0 = Clock::now();
  const auto period = std::chrono::microseconds(1000000 / std::max(1, options_.fps));
  const auto minGap = period * kArrivalMinGapPercent / 100;
  const auto block = std::chrono::milliseconds(kSoundBlockMs);
  auto nextTick = t0, nextSound = t0, lastArrival = t0 - period;
  int64_t lastPts = -1;
  auto ms = [&](Clock::time_point t) { return std::chrono::duration_cast<std::chrono::milliseconds>(t - t0).count(); };
  for (;;) {
    bool arrival = false, tick = false;
    {
      std::unique_lock lk(mu_);
      auto until = std::min(nextTick, nextSound);
      if (mainFresh_) until = std::min(until, lastArrival + minGap);
      cv_.wait_until(lk, until, [&] { return stop_ || (mainFresh_ && Clock::now() >= lastArrival + minGap); });
      if (stop_) return;
      const auto now = Clock::now();
      arrival = mainFresh_ && now >= lastArrival + minGap;
      tick = now >= nextTick;
      if (arrival || tick) mainFresh_ = false;  // this picture takes the main stream's newest
      if (tick && !arrival && now - nextTick > period / 2) ++stats_.lateTicks;
      if (arrival) ++stats_.onArrival;
    }
    const auto now = Clock::now();
    const auto sc = scene();
    if (now >= nextSound) {
      mixAndSend(*sc, ms(nextSound));
      nextSound += block;
      if (now - nextSound > 10 * block) nextSound = now;  // the machine stalled: no burst of old sound
    }
    if (arrival || tick) {
      lastPts = std::max(ms(now), lastPts + 1);
      composeAndSend(*sc, lastPts);
      // While the main stream delivers, its pictures set the pace and the tick is only the fallback, 1.5
      // periods on (a tick due just before an arrival would add a picture and hold the arrival back); without
      // it (stalled, or not there yet) the output keeps the rate on the tick.
      if (arrival) lastArrival = now;
      nextTick = now + (arrival ? period * 3 / 2 : period);
    }
  }
}

void Mixer::composeAndSend(const Scene& sc, int64_t ptsMs) {
  bool ended = false;
  {
    std::lock_guard lk(videoMu_);
    if (relayingNow(sc, ended)) return;
  }
  if (std::exchange(ended, false)) tellRelay(false);
  if (canvas_.width() != (sc.layout.canvasWidth & ~1) || canvas_.height() != (sc.layout.canvasHeight & ~1))
    canvas_ = I420Image(sc.layout.canvasWidth, sc.layout.canvasHeight);
  for (const auto& in : sc.layout.inputs) {
    if (in.kind == InputKind::Canvas) {  // a stream background covers the whole canvas itself
      canvas_.fill({0, 0, canvas_.width(), canvas_.height()}, kCanvasYuv[0], kCanvasYuv[1], kCanvasYuv[2]);
      continue;
    }
    auto draw = [&](const I420Image& pic) {
      const Rect from = in.crop ? *in.crop : centreCrop(pic.width(), pic.height(), in.window.width, in.window.height);
      canvas_.blit(pic, from, in.window);
    };
    bool drawn = false;
    if (in.kind == InputKind::Picture) {
      auto pic = options_.pictures.find(in.pictureId);
      if (pic != options_.pictures.end() && pic->second) draw(*pic->second), drawn = true;
    } else if (const InputSlot* slot = findSlot(sc.slots, in.streamId)) {
      drawn = slot->withPicture(options_.placeholderAfter, draw);
    }
    if (!drawn) canvas_.fill(in.window, kPlaceholderYuv[0], kPlaceholderYuv[1], kPlaceholderYuv[2]);
  }
  {
    std::lock_guard lk(videoMu_);
    if (relayingNow(sc, ended)) return;  // the forwarding started while this picture was composed
    if (output_->sendCustomVideoFrame(canvas_.view(ptsMs))) {
      std::lock_guard lk2(mu_);
      ++stats_.pictures;
    }
  }
  if (ended) tellRelay(false);
}

void Mixer::mixAndSend(const Scene& sc, int64_t ptsMs) {
  std::array<int32_t, kSoundBlockFrames * kMixChannels> acc{};
  for (const auto& s : sc.slots) s->mixAudio(acc.data(), kSoundBlockFrames);  // consumed even when forwarding
  std::lock_guard lk(audioMu_);
  if (audioForwardedLocked()) return;
  std::array<int16_t, kSoundBlockFrames * kMixChannels> out{};
  for (size_t i = 0; i < acc.size(); ++i) out[i] = int16_t(std::clamp(acc[i], -32768, 32767));
  AudioFrame f;
  f.samples = out.data();
  f.frames = kSoundBlockFrames;
  f.channels = kMixChannels;
  f.sampleRate = kMixRate;
  f.ptsMs = ptsMs;
  if (output_->sendCustomPCM(f)) {
    std::lock_guard lk2(mu_);
    ++stats_.soundBlocks;
  }
}

}  // namespace openlive::mixer
