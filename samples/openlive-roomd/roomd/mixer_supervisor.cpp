#include "mixer_supervisor.h"

#include <algorithm>

#include "log.h"

namespace openlive::roomd {

MixerSupervisor::MixerSupervisor(std::string program, std::vector<std::string> extraArgs)
    : program_(std::move(program)), extraArgs_(std::move(extraArgs)) {}

MixerSupervisor::~MixerSupervisor() { stopAll(); }

void MixerSupervisor::apply(const std::string& key, MixJob job) {
  std::lock_guard lk(mu_);
  reapFinished();
  auto it = runs_.find(key);
  if (it != runs_.end()) {
    it->second->update(std::move(job));
    return;
  }
  runs_.emplace(key, std::make_unique<MixerRun>(key, program_, extraArgs_, std::move(job)));
}

void MixerSupervisor::stop(const std::string& key, const std::string& why) {
  std::lock_guard lk(mu_);
  reapFinished();
  auto it = runs_.find(key);
  if (it == runs_.end()) return;
  logLine(LogLevel::Info, "mixer " + key + ": stopping (" + why + ")");
  it->second->requestStop();
  stopping_.push_back(std::move(it->second));
  runs_.erase(it);
}

void MixerSupervisor::stopAll() {
  std::map<std::string, std::unique_ptr<MixerRun>> runs;
  std::vector<std::unique_ptr<MixerRun>> stopping;
  {
    std::lock_guard lk(mu_);
    runs.swap(runs_);
    stopping.swap(stopping_);
  }
  for (auto& [key, run] : runs) run->requestStop();  // all children get SIGTERM at once, then each is joined
  runs.clear();
  stopping.clear();
}

std::vector<std::string> MixerSupervisor::keys() const {
  std::lock_guard lk(mu_);
  std::vector<std::string> k;
  for (const auto& [key, run] : runs_) k.push_back(key);
  return k;
}

MixerSupervisor::Counts MixerSupervisor::counts() const {
  std::lock_guard lk(mu_);
  Counts c;
  c.mixers = runs_.size();
  for (const auto& [key, run] : runs_) {
    const auto rc = run->counts();
    c.starts += rc.starts;
    c.ready += rc.ready;
    c.updates += rc.updates;
  }
  return c;
}

void MixerSupervisor::reapFinished() {
  std::erase_if(stopping_, [](const std::unique_ptr<MixerRun>& r) { return r->finished(); });
}

}  // namespace openlive::roomd
