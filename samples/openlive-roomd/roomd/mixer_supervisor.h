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

namespace openlive::roomd {

class MixerSupervisor {
 public:
  MixerSupervisor(std::string program, std::vector<std::string> extraArgs);
  ~MixerSupervisor();  // stopAll()

  void apply(const std::string& key, MixJob job);
  void stop(const std::string& key, const std::string& why);
  // Stops every mixer whose key `keep` rejects.
  void keepOnly(const std::function<bool(const std::string& key)>& keep);
  void stopAll();  // bounded: each child gets MixerRun::kStopGrace

  std::vector<std::string> keys() const;
  struct Counts {
    uint64_t mixers = 0;    // running now
    uint64_t starts = 0;    // children started by the running mixers (restarts included)
    uint64_t ready = 0;     // of those, the ones whose output published
    uint64_t updates = 0;   // layouts sent to running children
  };
  Counts counts() const;

 private:
  void reapFinished();  // under mu_

  const std::string program_;
  const std::vector<std::string> extraArgs_;
  mutable std::mutex mu_;
  std::map<std::string, std::unique_ptr<MixerRun>> runs_;
  std::vector<std::unique_ptr<MixerRun>> stopping_;  // asked to stop, joined once finished
};

}  // namespace openlive::roomd
