// One stream input of openlive-mixer: an RTC-mode LivePlayer of the input's URL, its newest picture and its
// sound (PcmFifo). The player's callbacks (its SDK callback thread) write; the mixer thread reads, under the
// slot's mutex, which is never held while calling the player.
#pragma once

#include "mixer/i420_canvas.h"
#include "mixer/pcm_fifo.h"

#include <openlive/live_player.h>

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

namespace openlive::mixer {

class InputSlot {
 public:
  using Clock = std::chrono::steady_clock;
  // `onEvent(streamId, event)` for the mixer's log; called on the player's callback thread.
  InputSlot(std::string streamId, std::string url, std::function<void(const std::string&, const Event&)> onEvent);
  ~InputSlot();
  InputSlot(const InputSlot&) = delete;
  InputSlot& operator=(const InputSlot&) = delete;

  // Called (on the player's callback thread, no lock held) after each new picture is stored; set before start().
  void setPictureHook(std::function<void()> hook) { pictureHook_ = std::move(hook); }
  // Called (on the player's callback thread) with each H.264 access unit of the input; set before start().
  void setPacketHook(std::function<void(const EncodedVideoPacket&)> hook) { packetHook_ = std::move(hook); }
  // The same with each AAC frame of the input.
  void setAudioPacketHook(std::function<void(const EncodedAudioPacket&)> hook) { audioPacketHook_ = std::move(hook); }
  Result start();
  void stop();
  const std::string& streamId() const { return id_; }

  // Calls `draw` with the newest picture (under the slot's lock: `draw` must only read it) when one came
  // within `maxAge`; false otherwise (the slot then shows its placeholder).
  bool withPicture(std::chrono::milliseconds maxAge, const std::function<void(const I420Image&)>& draw) const;
  int mixAudio(int32_t* acc, int frames);
  uint64_t pictures() const;
  uint64_t audioDropped() const;

 private:
  const std::string id_, url_;
  std::function<void(const std::string&, const Event&)> onEvent_;
  std::function<void()> pictureHook_;
  std::function<void(const EncodedVideoPacket&)> packetHook_;
  std::function<void(const EncodedAudioPacket&)> audioPacketHook_;
  std::unique_ptr<LivePlayer> player_;
  mutable std::mutex mu_;
  I420Image latest_;
  Clock::time_point latestAt_{};
  uint64_t pictures_ = 0;
  PcmFifo pcm_;
};

}  // namespace openlive::mixer
