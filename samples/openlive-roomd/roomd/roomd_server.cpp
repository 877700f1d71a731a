#include "roomd_server.h"

#include <httplib.h>

#include <algorithm>
#include <thread>

#include "liveness.h"
#include "log.h"
#include "media_gate.h"
#include "memory_store.h"
#include "mixer_supervisor.h"
#include "redis_store.h"
#include "remote_mixers.h"
#include "room_api.h"
#include "room_mix.h"
#include "sse_endpoint.h"
#include "task_queue.h"

namespace openlive::roomd {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

constexpr size_t kRedisConnections = 8;
constexpr auto kRedisTimeout = 2s;
constexpr time_t kIoTimeoutSec = 5;
constexpr time_t kKeepAliveSec = 1;  // also bounds stop(): an idle keep-alive connection holds a worker this long

void sendJson(httplib::Response& res, const ApiReply& r) {
  res.status = r.httpStatus;
  res.set_content(r.body.dump(-1, ' ', false, json::error_handler_t::replace), "application/json");
}

QueryParams toQuery(const httplib::Params& p) { return QueryParams(p.begin(), p.end()); }

}  // namespace

struct RoomdServer::Impl {
  explicit Impl(RoomdConfig c) : config(std::move(c)) {}

  RoomdConfig config;
  std::unique_ptr<RedisPool> pool;
  std::unique_ptr<RoomStore> store;
  std::unique_ptr<MailboxHub> hub;
  std::unique_ptr<SignalBus> bus;
  std::optional<UrlIssuer> urls;
  std::unique_ptr<Authenticator> auth;
  std::unique_ptr<Notifier> notifier;
  std::unique_ptr<Services> services;
  std::unique_ptr<Mixers> mixers;
  std::unique_ptr<RoomApi> api;
  std::unique_ptr<MediaGate> gate;
  std::unique_ptr<LivenessSweeper> sweeper;
  httplib::Server http;
  std::thread listener;
  int port = 0;
  bool running = false;

  bool makeState(std::string* why);
  void routes();
};

bool RoomdServer::Impl::makeState(std::string* why) {
  hub = std::make_unique<MailboxHub>(config.mailboxCapacity, config.mailboxRetention, config.maxStreams);
  if (config.redisUrl.empty()) {
    store = std::make_unique<MemoryStore>();
    bus = std::make_unique<LocalSignalBus>(*hub);
    return true;
  }
  auto endpoint = parseRedisUrl(config.redisUrl);
  if (!endpoint) {
    *why = "--redis must look like redis://HOST:PORT";
    return false;
  }
  pool = std::make_unique<RedisPool>(*endpoint, kRedisConnections, kRedisTimeout);
  try {
    if (pool->run({"PING"}).str() != "PONG") throw StoreUnavailable("PING did not answer PONG");
  } catch (const StoreUnavailable& e) {
    *why = std::string("redis: ") + e.what();
    return false;
  }
  const auto roomTtl = std::max<std::chrono::milliseconds>(3 * config.silenceTimeout, 60s);
  store = std::make_unique<RedisStore>(*pool, roomTtl);
  auto redisBus = std::make_unique<RedisSignalBus>(*pool, *hub);
  if (!redisBus->waitSubscribed(3 * kRedisTimeout)) {
    *why = "redis: could not subscribe to the signalling channel";
    return false;
  }
  bus = std::move(redisBus);
  return true;
}

void RoomdServer::Impl::routes() {
  http.set_payload_max_length(config.maxBodyBytes);
  http.set_read_timeout(kIoTimeoutSec, 0);
  http.set_write_timeout(kIoTimeoutSec, 0);
  http.set_keep_alive_timeout(kKeepAliveSec);
  const size_t threads = config.workerThreads(), queue = config.httpQueue;
  http.new_task_queue = [threads, queue] { return new BoundedTaskQueue(threads, queue); };
  const size_t maxBody = config.maxBodyBytes;
  http.set_error_handler([maxBody](const httplib::Request&, httplib::Response& res) {
    if (res.status == 413)
      sendJson(res, errorReply(ApiCode::MissingParam, "body over " + std::to_string(maxBody) + " bytes", 413));
    else if (res.status == 404)
      sendJson(res, errorReply(ApiCode::MissingParam, "no such path", 404));
    else if (res.body.empty())
      sendJson(res, errorReply(ApiCode::MissingParam, "bad request", res.status));
  });
  http.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
    sendJson(res, errorReply(ApiCode::ServiceError, "internal error", 500));
  });
  auto apiRoute = [this](const httplib::Request& req, httplib::Response& res) {
    auto kind = kindFromBase(req.matches[1].str());
    sendJson(res, api->handle(*kind, req.matches[2].str(), toQuery(req.params), req.body));
  };
  const std::string apiPath = R"(/weapp/(live_room|double_room|multi_room)/([A-Za-z0-9_]+))";
  http.Get(apiPath, apiRoute);
  http.Post(apiPath, apiRoute);
  http.Get("/weapp/signal/stream",
           [this](const httplib::Request& req, httplib::Response& res) { serveSignalStream(*services, req, res); });
  http.Post(R"(/weapp/rtmp/([a-z_]+))", [this](const httplib::Request& req, httplib::Response& res) {
    res.status = gate->handle(req.matches[1].str(), toQuery(req.params));
    res.set_content(res.status < 300 ? "OK" : "refused", "text/plain");
  });
  http.Get("/weapp/health", [this](const httplib::Request&, httplib::Response& res) {
    sendJson(res, okReply({{"store", store->name()}, {"streams", hub->openStreams()}}));
  });
}

RoomdServer::RoomdServer(RoomdConfig config) : impl_(std::make_unique<Impl>(std::move(config))) {}

RoomdServer::~RoomdServer() { stop(); }

bool RoomdServer::start(std::string* why) {
  Impl& d = *impl_;
  std::string reason = validateConfig(d.config);
  if (reason.empty()) d.urls = UrlIssuer::create(d.config, &reason);
  if (!reason.empty() || !d.makeState(&reason)) {
    if (why) *why = reason;
    return false;
  }
  d.auth = std::make_unique<Authenticator>(d.config, *d.store);
  d.notifier = std::make_unique<Notifier>(*d.bus);
  d.services = std::make_unique<Services>(Services{d.config, *d.store, *d.bus, *d.hub, *d.urls, *d.auth, *d.notifier});
  if (!d.config.mixerPath.empty())
    d.mixers = std::make_unique<MixerSupervisor>(d.config.mixerPath, d.config.mixerArgs);
  else if (!d.config.mixerHost.empty())
    d.mixers = std::make_unique<RemoteMixers>(d.config.mixerHost, d.config.mixerHostToken, d.config.mixerLease);
  d.services->mixers = d.mixers.get();
  d.api = std::make_unique<RoomApi>(*d.services);
  d.gate = std::make_unique<MediaGate>(*d.services);
  d.sweeper = std::make_unique<LivenessSweeper>(*d.services, d.api->ops());
  d.routes();
  d.port = d.config.listenPort ? (d.http.bind_to_port(d.config.listenHost, d.config.listenPort) ? d.config.listenPort : -1)
                               : d.http.bind_to_any_port(d.config.listenHost);
  if (d.port <= 0) {
    if (why) *why = "cannot listen on " + d.config.listenHost + ":" + std::to_string(d.config.listenPort);
    return false;
  }
  d.listener = std::thread([&d] {
    setThreadName("roomd-listen");
    d.http.listen_after_bind();
  });
  d.sweeper->start();
  resumeMixes(*d.services);
  d.running = true;
  return true;
}

void RoomdServer::stop() {
  Impl& d = *impl_;
  if (!d.running) return;
  d.running = false;
  d.sweeper->stop();
  d.hub->shutdown();  // ends every signalling stream, freeing its worker
  d.http.stop();
  if (d.listener.joinable()) d.listener.join();
  d.bus->stop();
  if (d.mixers) d.mixers->stopAll();
  logLine(LogLevel::Debug, "stopped");
}

int RoomdServer::port() const { return impl_->port; }
const RoomdConfig& RoomdServer::config() const { return impl_->config; }
LivenessSweeper& RoomdServer::sweeper() { return *impl_->sweeper; }
MailboxHub& RoomdServer::hub() { return *impl_->hub; }
RoomStore& RoomdServer::store() { return *impl_->store; }

}  // namespace openlive::roomd
