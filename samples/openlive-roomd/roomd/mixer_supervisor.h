// The room mixers of this roomd instance: one supervised openlive-mixer child per live room that asked for a mix
// (merge_stream), keyed "<kind>/<roomID>". apply() starts the room's mixer or sends it the new layout; stop() ends
// it (the room was destroyed); keepOnly() stops the mixers of rooms that no longer exist (the liveness sweep:
// with several instances the room may be destroyed through another one). Every call returns at once; stopped
// runs finish in the background and are joined by later calls and by stopAll().
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "mixer_run.h"
#include "mixers.h"

namespace openlive::roomd {

class MixerSupervisor final : public Mixers {
 public:
  MixerSupervisor(std::string program, std::vector<std::string> extraArgs);
  ~MixerSupervisor() override;  // stopAll()

  void apply(const std::string& key, MixJob job) override;
  void stop(const std::string& key, const std::string& why) override;
  void stopAll() override;  // bounded: each child gets MixerRun::kStopGrace

  std::vector<std::string> keys() const override;
  Counts counts() const override;

 private:
  void reapFinished();  // under mu_

  const std::string program_;
  const std::vector<std::string> extraArgs_;
  mutable std::mutex mu_;
  std::map<std::string, std::unique_ptr<MixerRun>> runs_;
  std::vector<std::unique_ptr<MixerRun>> stopping_;  // asked to stop, joined once finished
};

}  // namespace openlive::roomd
