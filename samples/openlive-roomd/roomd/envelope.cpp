#include "envelope.h"

#include <cmath>

namespace openlive::roomd {

using nlohmann::json;

json toJson(const Envelope& e) {
  json j = {{"id", e.id},         {"kind", e.kind},
            {"roomType", e.roomType}, {"roomID", e.roomID},
            {"from", e.from},     {"serverTime", e.serverTimeMs},
            {"msg", e.msg}};
  if (e.staleAfterMs) j["staleAfter"] = *e.staleAfterMs;
  return j;
}

std::optional<Envelope> envelopeFromJson(const json& j) {
  if (!j.is_object()) return std::nullopt;
  auto str = [&](const char* k) {
    auto it = j.find(k);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  auto id = j.find("id");
  auto t = j.find("serverTime");
  auto msg = j.find("msg");
  if (id == j.end() || !id->is_number_unsigned() || t == j.end() || !t->is_number_integer() || msg == j.end())
    return std::nullopt;
  Envelope e;
  e.id = id->get<uint64_t>();
  e.kind = str("kind");
  e.roomType = str("roomType");
  e.roomID = str("roomID");
  e.from = str("from");
  e.serverTimeMs = t->get<int64_t>();
  e.msg = *msg;
  if (auto s = j.find("staleAfter"); s != j.end() && s->is_number_integer()) e.staleAfterMs = s->get<int64_t>();
  return e;
}

std::optional<double> messageTimestamp(const json& msg) {
  auto pick = [](const json& o) -> std::optional<double> {
    if (!o.is_object()) return std::nullopt;
    auto it = o.find("timestamp");
    if (it == o.end() || !it->is_number()) return std::nullopt;
    const double v = it->get<double>();
    if (!std::isfinite(v)) return std::nullopt;
    return v;
  };
  if (auto t = pick(msg)) return t;
  if (msg.is_object())
    if (auto d = msg.find("data"); d != msg.end()) return pick(*d);
  return std::nullopt;
}

MessagePtr makeStored(Envelope env) {
  auto m = std::make_shared<StoredMessage>();
  json wire = toJson(env);
  wire.erase("staleAfter");  // routing detail, not for clients
  m->sse = "id: " + std::to_string(env.id) + "\ndata: " + wire.dump(-1, ' ', false, json::error_handler_t::replace) + "\n\n";
  m->env = std::move(env);
  return m;
}

}  // namespace openlive::roomd
