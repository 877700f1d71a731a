// Fuzzes openlive-roomd's request handling with untrusted bytes: the request parser (every endpoint, every room
// product) and, for what parses, the endpoint handlers themselves against an in-memory service (rooms, members,
// audiences, custom fields, messages, mailboxes), plus the redis pub/sub envelope decoder.
//
// Input: byte 0 picks the room product, byte 1 the endpoint (or an unknown name), the rest is the JSON body.
// The service is rebuilt every kRebuildEvery inputs so state (rooms, mailboxes) stays bounded.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "roomd/auth.h"
#include "roomd/memory_store.h"
#include "roomd/request.h"
#include "roomd/room_api.h"
#include "roomd/signal_bus.h"

namespace {

using namespace openlive::roomd;

constexpr int kRebuildEvery = 512;
constexpr const char* kNames[] = {
    "login",          "logout",          "get_anchor_url",   "get_pusher_url",  "get_push_url",   "get_room_list",
    "create_room",    "destroy_room",    "add_anchor",       "add_pusher",      "delete_anchor",  "delete_pusher",
    "get_anchors",    "get_pushers",     "anchor_heartbeat", "pusher_heartbeat", "merge_stream",  "set_custom_field",
    "get_custom_info", "add_audience",   "delete_audience",  "get_audiences",   "send_room_msg",  "send_c2c_msg",
    "no_such_endpoint"};

struct World {
  RoomdConfig config;
  MemoryStore store;
  MailboxHub hub{64, std::chrono::seconds(30), 4};
  LocalSignalBus bus{hub};
  std::optional<UrlIssuer> urls;
  std::unique_ptr<Authenticator> auth;
  std::unique_ptr<Notifier> notifier;
  std::unique_ptr<Services> services;
  std::unique_ptr<RoomApi> api;

  World() {
    config.sdkAppId = 1400000001;
    config.key = "fuzz-key";
    config.rtmpBase = "rtmp://127.0.0.1:1935/live";
    urls = UrlIssuer::create(config, nullptr);
    auth = std::make_unique<Authenticator>(config, store);
    notifier = std::make_unique<Notifier>(bus);
    services = std::make_unique<Services>(Services{config, store, bus, hub, *urls, *auth, *notifier});
    api = std::make_unique<RoomApi>(*services);
    for (const char* user : {"a", "b"}) store.putToken(user, TokenRecord{"t", 0}, std::chrono::seconds(3600));
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static std::unique_ptr<World> world;
  static int runs = 0;
  if (!world || ++runs % kRebuildEvery == 0) world = std::make_unique<World>();
  if (size < 2) return 0;
  const RoomKind kind = kAllKinds[data[0] % 3];
  const std::string_view name = kNames[data[1] % (sizeof kNames / sizeof kNames[0])];
  const std::string_view body(reinterpret_cast<const char*>(data + 2), size - 2);

  ParseResult parsed = parseRequest(kind, name, body);
  if (auto* req = std::get_if<ApiRequest>(&parsed)) {
    (void)req->str("roomID");
    (void)req->integer("cnt", 0);
    (void)req->object("mergeParams");
  }
  QueryParams query{{"userID", data[0] & 0x80 ? "b" : "a"}, {"token", "t"}};
  ApiReply reply = world->api->handle(kind, name, query, body);
  (void)reply.body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);

  if (auto j = parseJsonBounded(body)) (void)envelopeFromJson(*j);
  return 0;
}
