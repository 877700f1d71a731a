#include "mix_host.h"

#include "log.h"

namespace openlive::roomd {

using json = nlohmann::json;

json mixJobToJson(const MixJob& job, std::chrono::milliseconds lease) {
  return {{"output", job.outputUrl}, {"inputs", job.inputs}, {"mergeParams", job.mergeParams},
          {"lease_ms", lease.count()}};
}

std::optional<MixJob> mixJobFromJson(const json& j, std::chrono::milliseconds* lease, std::string* why) {
  auto fail = [&](const char* w) {
    *why = w;
    return std::nullopt;
  };
  if (!j.is_object()) return fail("the body is not a JSON object");
  if (!j.contains("output") || !j["output"].is_string() || j["output"].get<std::string>().empty())
    return fail("\"output\" must be the mix's push URL");
  if (!j.contains("inputs") || !j["inputs"].is_object()) return fail("\"inputs\" must be an object of URLs");
  if (!j.contains("mergeParams") || !j["mergeParams"].is_object()) return fail("\"mergeParams\" must be an object");
  if (!j.contains("lease_ms") || !j["lease_ms"].is_number_integer()) return fail("\"lease_ms\" must be an integer");
  const auto ms = std::chrono::milliseconds(j["lease_ms"].get<int64_t>());
  if (ms < MixHost::kMinLease || ms > MixHost::kMaxLease) return fail("\"lease_ms\" must be 1000 .. 600000");
  MixJob job;
  for (const auto& [id, url] : j["inputs"].items()) {
    if (!url.is_string()) return fail("every input's URL must be a string");
    job.inputs[id] = url.get<std::string>();
  }
  job.outputUrl = j["output"].get<std::string>();
  job.mergeParams = j["mergeParams"];
  *lease = ms;
  return job;
}

bool validMixKey(const std::string& key) {
  if (key.empty() || key.size() > 200) return false;
  for (char c : key)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-' && c != '.' && c != '/') return false;
  return key.find("..") == std::string::npos;
}

MixHost::MixHost(std::unique_ptr<Mixers> mixers, std::string token)
    : mixers_(std::move(mixers)), token_(std::move(token)) {}

MixHost::~MixHost() { mixers_->stopAll(); }

namespace {
void reply(httplib::Response& res, int status, const json& body) {
  res.status = status;
  res.set_content(body.dump(), "application/json");
}
}  // namespace

bool MixHost::authorized(const httplib::Request& req, httplib::Response& res) const {
  if (token_.empty() || req.get_header_value("Authorization") == "Bearer " + token_) return true;
  reply(res, 401, {{"error", "a bearer token is required"}});
  return false;
}

void MixHost::routes(httplib::Server& http) {
  http.Put(R"(/v1/mixes/(.+))", [this](const httplib::Request& req, httplib::Response& res) {
    if (authorized(req, res)) put(req.matches[1], req, res);
  });
  http.Delete(R"(/v1/mixes/(.+))", [this](const httplib::Request& req, httplib::Response& res) {
    if (authorized(req, res)) remove(req.matches[1], res);
  });
  http.Get("/v1/mixes", [this](const httplib::Request& req, httplib::Response& res) {
    if (authorized(req, res)) list(res);
  });
}

void MixHost::put(const std::string& key, const httplib::Request& req, httplib::Response& res) {
  if (!validMixKey(key)) return reply(res, 400, {{"error", "not a mix key"}});
  const json body = json::parse(req.body, nullptr, false);
  std::chrono::milliseconds lease{0};
  std::string why;
  auto job = mixJobFromJson(body, &lease, &why);
  if (!job) return reply(res, 400, {{"error", why}});
  json applied = body;
  applied.erase("lease_ms");
  std::string state;
  {
    std::lock_guard lk(mu_);
    auto it = leases_.find(key);
    state = it == leases_.end() ? "started" : it->second.job == applied ? "renewed" : "updated";
    leases_[key] = Lease{applied, Clock::now() + lease};
    if (state != "renewed") mixers_->apply(key, std::move(*job));  // returns at once
  }
  if (state != "renewed") logLine(LogLevel::Info, "mix " + key + ": " + state + " for roomd");
  reply(res, 200, {{"key", key}, {"state", state}});
}

void MixHost::remove(const std::string& key, httplib::Response& res) {
  {
    std::lock_guard lk(mu_);
    if (!leases_.erase(key)) return reply(res, 404, {{"error", "no such mix"}});
    mixers_->stop(key, "roomd ended it");
  }
  reply(res, 200, {{"key", key}, {"state", "stopped"}});
}

void MixHost::list(httplib::Response& res) const {
  json keys = json::array();
  {
    std::lock_guard lk(mu_);
    for (const auto& [key, lease] : leases_) keys.push_back(key);
  }
  const auto c = mixers_->counts();
  reply(res, 200, {{"mixes", keys}, {"starts", c.starts}, {"ready", c.ready}, {"updates", c.updates}});
}

int MixHost::sweep(Clock::time_point now) {
  std::lock_guard lk(mu_);
  int stopped = 0;
  for (auto it = leases_.begin(); it != leases_.end();) {
    if (it->second.until > now) {
      ++it;
      continue;
    }
    mixers_->stop(it->first, "its lease ran out: no roomd renewed it");
    it = leases_.erase(it);
    ++stopped;
  }
  return stopped;
}

size_t MixHost::size() const {
  std::lock_guard lk(mu_);
  return leases_.size();
}

}  // namespace openlive::roomd
