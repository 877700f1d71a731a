#include "mixer/input_slot.h"

#include <climits>

namespace openlive::mixer {

namespace {

PlayConfig inputConfig() {
  PlayConfig c;
  c.video.kind = VideoOutput::Kind::None;  // pictures come through the frame callback
  c.audio.kind = AudioOutput::Kind::None;  // sound through the PCM callback, as it is due
  // An input may leave and come back (a co-anchor's reconnect): keep trying; its slot shows the placeholder.
  c.connectRetryCount = INT_MAX;
  c.connectRetryInterval = std::chrono::milliseconds(1000);
  return c;
}

}  // namespace

InputSlot::InputSlot(std::string streamId, std::string url,
                     std::function<void(const std::string&, const Event&)> onEvent)
    : id_(std::move(streamId)), url_(std::move(url)), onEvent_(std::move(onEvent)),
      player_(std::make_unique<LivePlayer>(inputConfig())) {
  player_->setVideoFrameCallback([this](const VideoFrame& f) {
    bool stored = false;
    {
      std::lock_guard lk(mu_);
      if ((stored = latest_.copyFrom(f))) {
        latestAt_ = Clock::now();
        ++pictures_;
      }
    }
    if (stored && pictureHook_) pictureHook_();
  });
  player_->setEncodedVideoCallback([this](const EncodedVideoPacket& p) {
    if (packetHook_) packetHook_(p);
  });
  player_->setEncodedAudioCallback([this](const EncodedAudioPacket& p) {
    if (audioPacketHook_) audioPacketHook_(p);
  });
  player_->setAudioFrameCallback([this](const AudioFrame& f) {
    std::lock_guard lk(mu_);
    pcm_.push(f);
  });
  player_->setEventCallback([this](const Event& e) {
    if (onEvent_) onEvent_(id_, e);
  });
}

InputSlot::~InputSlot() { stop(); }

Result InputSlot::start() { return player_->start(url_, PlayType::Rtc); }

void InputSlot::stop() { player_->stop(); }  // returns after the last callback

bool InputSlot::withPicture(std::chrono::milliseconds maxAge,
                            const std::function<void(const I420Image&)>& draw) const {
  std::lock_guard lk(mu_);
  if (latest_.empty() || Clock::now() - latestAt_ > maxAge) return false;
  draw(latest_);
  return true;
}

int InputSlot::mixAudio(int32_t* acc, int frames) {
  std::lock_guard lk(mu_);
  return pcm_.mixInto(acc, frames);
}

uint64_t InputSlot::pictures() const {
  std::lock_guard lk(mu_);
  return pictures_;
}

uint64_t InputSlot::audioDropped() const {
  std::lock_guard lk(mu_);
  return pcm_.dropped();
}

}  // namespace openlive::mixer
