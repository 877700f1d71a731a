#include <openlive/events.h>
#include <openlive/types.h>

#include <array>

namespace openlive {
namespace {

constexpr std::string_view aliasFor(EventCode code) {
#define OPENLIVE_X_ALIAS(alias, name) \
  if (code == EventCode::name) return #alias;
  OPENLIVE_EVENT_ALIAS_LIST(OPENLIVE_X_ALIAS)
#undef OPENLIVE_X_ALIAS
  return {};
}

constexpr auto kCatalog = std::to_array<EventInfo>({
#define OPENLIVE_X_ROW(name, value, category, message) \
  EventInfo{EventCode::name, #name, aliasFor(EventCode::name), EventCategory::category, message},
    OPENLIVE_EVENT_LIST(OPENLIVE_X_ROW)
#undef OPENLIVE_X_ROW
});

}  // namespace

std::span<const EventInfo> eventCatalog() noexcept { return kCatalog; }

const EventInfo* findEvent(int code) noexcept {
  for (const auto& e : kCatalog)
    if (static_cast<int>(e.code) == code) return &e;
  return nullptr;
}

const EventInfo* findEventByName(std::string_view name) noexcept {
  if (name.empty()) return nullptr;
  for (const auto& e : kCatalog)
    if (e.name == name || e.alias == name) return &e;
  return nullptr;
}

std::string_view eventName(EventCode code) noexcept {
  const EventInfo* e = findEvent(code);
  return e ? e->name : std::string_view("UNKNOWN_EVENT");
}

std::string_view eventMessage(EventCode code) noexcept {
  const EventInfo* e = findEvent(code);
  return e ? e->message : std::string_view();
}

std::string_view toString(EventCategory category) noexcept {
  switch (category) {
    case EventCategory::Event: return "event";
    case EventCategory::Warning: return "warning";
    case EventCategory::Error: return "error";
  }
  return "unknown";
}

}  // namespace openlive
