#include "signal_bus.h"

#include <hiredis/hiredis.h>
#include <sys/socket.h>

#include <charconv>

#include "log.h"
#include "request.h"
#include "store.h"

namespace openlive::roomd {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

constexpr const char* kChannel = "ol:signal";
constexpr const char* kSeqKey = "ol:signal:seq";
// INCR and PUBLISH in one atomic step: ids are handed out in the order subscribers receive them.
constexpr const char* kPublishScript =
    "local id = redis.call('INCR', KEYS[1])\n"
    "redis.call('PUBLISH', ARGV[1], id .. '\\n' .. ARGV[2])\n"
    "return id\n";
constexpr auto kReconnectWait = 500ms;

std::string dumpSafe(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

}  // namespace

uint64_t LocalSignalBus::publish(Outgoing out) {
  std::lock_guard lk(mu_);
  const uint64_t id = ++seq_;
  out.env.id = id;
  hub_.deliver(out.to, makeStored(std::move(out.env)));
  return id;
}

RedisSignalBus::RedisSignalBus(RedisPool& pool, MailboxHub& hub) : pool_(pool), hub_(hub) {
  thread_ = std::thread([this] {
    setThreadName("roomd-redis-sub");
    run();
  });
}

RedisSignalBus::~RedisSignalBus() { stop(); }

uint64_t RedisSignalBus::publish(Outgoing out) {
  json payload = {{"to", out.to}, {"env", toJson(out.env)}};
  auto r = pool_.run({"EVAL", kPublishScript, "1", kSeqKey, kChannel, dumpSafe(payload)});
  if (!r.isInteger()) throw StoreUnavailable("redis publish failed: " + r.str());
  return static_cast<uint64_t>(r.integer());
}

void RedisSignalBus::stop() {
  {
    std::lock_guard lk(mu_);
    if (stopping_ && !thread_.joinable()) return;
    stopping_ = true;
    if (subFd_ >= 0) ::shutdown(subFd_, SHUT_RDWR);
    cv_.notify_all();
  }
  if (thread_.joinable()) thread_.join();
}

bool RedisSignalBus::waitSubscribed(std::chrono::milliseconds timeout) {
  std::unique_lock lk(mu_);
  return cv_.wait_for(lk, timeout, [&] { return subscribed_ || stopping_; }) && subscribed_;
}

void RedisSignalBus::run() {
  while (listenOnce()) {
    std::unique_lock lk(mu_);
    if (cv_.wait_for(lk, kReconnectWait, [&] { return stopping_; })) break;
  }
}

bool RedisSignalBus::listenOnce() {
  std::string why;
  auto conn = RedisConnection::connect(pool_.endpoint(), 2s, 0ms, &why);
  {
    std::lock_guard lk(mu_);
    if (stopping_) return false;
    if (!conn) {
      logLine(LogLevel::Warning, "redis subscriber: connect failed: " + why);
      return true;
    }
    subFd_ = conn->fd();
  }
  try {
    conn->command({"SUBSCRIBE", kChannel});
    {
      std::lock_guard lk(mu_);
      subscribed_ = true;
      cv_.notify_all();
    }
    for (;;) handle(conn->readReply());
  } catch (const StoreUnavailable& e) {
    std::lock_guard lk(mu_);
    if (!stopping_) logLine(LogLevel::Warning, std::string("redis subscriber lost: ") + e.what());
  }
  std::lock_guard lk(mu_);  // the socket is closed under the lock stop() shuts it down with
  subscribed_ = false;
  subFd_ = -1;
  conn.reset();
  return !stopping_;
}

void RedisSignalBus::handle(const RedisReply& reply) {
  // ["message", channel, "<id>\n<payload>"]
  if (reply.size() != 3 || RedisReply::str(reply.element(0)) != "message") return;
  const std::string data = RedisReply::str(reply.element(2));
  const size_t nl = data.find('\n');
  uint64_t id = 0;
  if (nl == std::string::npos) return;
  auto [end, ec] = std::from_chars(data.data(), data.data() + nl, id);
  if (ec != std::errc() || end != data.data() + nl) return;
  auto payload = parseJsonBounded(std::string_view(data).substr(nl + 1));
  if (!payload || !payload->is_object()) return;
  auto env = envelopeFromJson(payload->value("env", json()));
  auto to = payload->find("to");
  if (!env || to == payload->end() || !to->is_array()) return;
  std::vector<std::string> recipients;
  for (const auto& u : *to)
    if (u.is_string()) recipients.push_back(u.get<std::string>());
  env->id = id;
  hub_.deliver(recipients, makeStored(std::move(*env)));
}

}  // namespace openlive::roomd
