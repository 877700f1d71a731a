#include "room/signalling_client.h"

#include <httplib.h>
#include <pthread.h>

#include "common/callback_dispatcher.h"
#include "common/logging.h"
#include "room/room_json.h"
#include "room/sse_parser.h"

namespace openlive::room {

// Back-pressure between the reader and the callback thread; shared with the posted tasks, so a client destroyed
// from inside its own callback leaves nothing dangling.
struct SignallingFlow {
  std::mutex mu;
  std::condition_variable cv;
  size_t pending = 0;     // guarded by mu: messages posted, not yet handled
  bool stopping = false;  // guarded by mu

  bool waitRoom(size_t max) {
    std::unique_lock lk(mu);
    cv.wait(lk, [&] { return stopping || pending < max; });
    if (stopping) return false;
    ++pending;
    return true;
  }
  void done() {
    std::lock_guard lk(mu);
    --pending;
    cv.notify_all();
  }
  bool stopped() {
    std::lock_guard lk(mu);
    return stopping;
  }
  void stop() {
    std::lock_guard lk(mu);
    stopping = true;
    cv.notify_all();
  }
};

namespace {

constexpr const char* kStreamPath = "/weapp/signal/stream";
constexpr int kHttpOk = 200;
constexpr int kHttpUnauthorized = 401;

}  // namespace

const char* toString(ChannelEvent e) {
  switch (e) {
    case ChannelEvent::Connected: return "connected";
    case ChannelEvent::Disconnected: return "disconnected";
    case ChannelEvent::Reset: return "reset";
    case ChannelEvent::AuthFailed: return "auth-failed";
    case ChannelEvent::Failed: return "failed";
  }
  return "?";
}

SignallingClient::SignallingClient(Options options, MessageHandler onMessage, EventHandler onEvent)
    : options_(std::move(options)),
      onMessage_(std::make_shared<MessageHandler>(std::move(onMessage))),
      onEvent_(std::make_shared<EventHandler>(std::move(onEvent))),
      dispatcher_(std::make_unique<detail::CallbackDispatcher>("ol-room-sig-cb")),
      flow_(std::make_shared<SignallingFlow>()) {
  lastId_ = options_.lastEventId;
}

SignallingClient::~SignallingClient() { stop(); }

uint64_t SignallingClient::lastEventId() const {
  std::lock_guard lk(mu_);
  return lastId_;
}

void SignallingClient::start() {
  std::lock_guard lk(mu_);
  if (started_ || stopping_) return;
  started_ = true;
  reader_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "ol-room-sse");
    run();
  });
}

void SignallingClient::stop() {
  std::shared_ptr<httplib::Client> client;
  {
    std::lock_guard lk(mu_);
    if (stopping_) return;
    stopping_ = true;
    stopFlag_ = true;
    client = client_;
    cv_.notify_all();
  }
  flow_->stop();
  if (client) client->stop();  // the reader's Get returns (after its connect phase, if still connecting)
  if (reader_.joinable()) reader_.join();
  dispatcher_->shutdown();
}

void SignallingClient::post(std::function<void()> task) {
  if (!dispatcher_->post(std::move(task))) OL_LOGW("room", "signalling callback queue full; a callback was dropped");
}

void SignallingClient::emit(ChannelEvent e, std::string detail) {
  auto handler = onEvent_;
  auto flow = flow_;
  post([handler, flow, e, detail = std::move(detail)] {
    if (*handler && !flow->stopped()) (*handler)(e, detail);
  });
}

bool SignallingClient::waitBackoff(std::chrono::milliseconds d) {
  std::unique_lock lk(mu_);
  return !cv_.wait_for(lk, d, [&] { return stopping_; });
}

void SignallingClient::run() {
  auto backoff = options_.reconnectMin;
  for (;;) {
    bool gotData = false;
    const ReadEnd end = readOnce(&gotData);
    if (end == ReadEnd::Stopped) return;
    if (end == ReadEnd::BadUrl) {
      emit(ChannelEvent::Failed, "the server URL is not http://HOST:PORT");
      return;
    }
    if (end == ReadEnd::AuthFailed) {
      OL_LOGW("room", "signalling: the service refused the session of %s", options_.userID.c_str());
      emit(ChannelEvent::AuthFailed, "the service refused the session");
      return;
    }
    emit(ChannelEvent::Disconnected, "stream ended; reconnecting");
    if (gotData) backoff = options_.reconnectMin;
    if (!waitBackoff(backoff)) return;
    backoff = std::min(backoff * 2, options_.reconnectMax);
  }
}

SignallingClient::ReadEnd SignallingClient::readOnce(bool* gotData) {
  std::shared_ptr<httplib::Client> client;
  try {
    client = std::make_shared<httplib::Client>(options_.serverUrl);
  } catch (const std::exception&) {  // an unsupported scheme or a port out of range
    return ReadEnd::BadUrl;
  }
  client->set_connection_timeout(options_.connectTimeout);
  client->set_read_timeout(options_.readTimeout);
  client->set_keep_alive(false);
  httplib::Headers headers;
  {
    std::lock_guard lk(mu_);
    if (stopping_) return ReadEnd::Stopped;
    client_ = client;
    if (lastId_) headers.emplace("Last-Event-ID", std::to_string(lastId_));
  }
  const std::string path =
      httplib::append_query_params(kStreamPath, {{"userID", options_.userID}, {"token", options_.token}});
  int status = 0;
  SseParser parser([this](const SseEvent& e) { onEvent(e.type, e.data); });
  client->Get(
      path, headers,
      [&](const httplib::Response& r) {
        status = r.status;
        if (status != kHttpOk || stopFlag_) return false;
        ++connects_;
        emit(ChannelEvent::Connected, {});
        return true;
      },
      [&](const char* data, size_t n) {
        *gotData = true;
        return parser.feed(std::string_view(data, n)) && !stopFlag_;
      });
  std::lock_guard lk(mu_);
  client_.reset();
  if (stopping_) return ReadEnd::Stopped;
  return status == kHttpUnauthorized ? ReadEnd::AuthFailed : ReadEnd::Broken;
}

void SignallingClient::onEvent(const std::string& type, const std::string& data) {
  if (type == "reset") {
    emit(ChannelEvent::Reset, data);
    return;
  }
  if (type != "message") return;
  auto envelope = nlohmann::json::parse(data, nullptr, false);
  auto message = parse::signalMessage(envelope);
  if (!message) {
    OL_LOGW("room", "signalling: an event that is not a message envelope was ignored");
    return;
  }
  {
    std::lock_guard lk(mu_);
    if (message->id <= lastId_) {
      ++duplicates_;
      return;
    }
    lastId_ = message->id;
  }
  auto flow = flow_;
  if (!flow->waitRoom(options_.maxPending)) return;  // stopping
  auto handler = onMessage_;
  post([handler, flow, m = std::move(*message)] {
    if (*handler && !flow->stopped()) (*handler)(m);
    flow->done();
  });
}

}  // namespace openlive::room
