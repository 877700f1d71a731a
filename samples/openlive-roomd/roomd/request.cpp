#include "request.h"

#include <array>
#include <initializer_list>
#include <vector>

namespace openlive::roomd {
namespace {

using nlohmann::json;

enum class FieldType {
  String,
  Integer,
  Object,          // a JSON object
  ObjectOrString,  // a JSON object, or a string holding one (mergeParams: the reference sends either)
  StringOrInteger, // set_custom_field value
};

struct Field {
  std::string_view name;
  FieldType type;
  bool required;
  size_t maxBytes;  // strings (and the serialised size of objects); 0 = no own limit (the body limit applies)
};

constexpr size_t kUserID = 32;  // a UserSig identifier is at most 32 bytes
constexpr size_t kRoomID = 128;
constexpr size_t kName = 256;
constexpr size_t kUrl = 2048;
constexpr size_t kInfo = 2048;

constexpr Field kUser{"userID", FieldType::String, true, kUserID};
constexpr Field kRoom{"roomID", FieldType::String, true, kRoomID};

struct Spec {
  Endpoint endpoint;
  std::vector<Field> fields;
};

const std::vector<Spec>& specs() {
  static const std::vector<Spec> s = {
      {Endpoint::Login, {}},
      {Endpoint::Logout, {}},
      {Endpoint::GetPushUrl, {kUser}},
      {Endpoint::GetRoomList,
       {{"cnt", FieldType::Integer, true, 0}, {"index", FieldType::Integer, true, 0}}},
      {Endpoint::CreateRoom,
       {kUser, {"roomInfo", FieldType::String, true, kMaxRoomInfoBytes}, {"roomID", FieldType::String, false, kRoomID}}},
      {Endpoint::DestroyRoom, {kUser, kRoom}},
      {Endpoint::AddMember,
       {kRoom, kUser, {"userName", FieldType::String, true, kName}, {"userAvatar", FieldType::String, true, kUrl},
        {"pushURL", FieldType::String, true, kUrl}, {"roomInfo", FieldType::String, false, kMaxRoomInfoBytes}}},
      {Endpoint::DeleteMember, {kRoom, kUser}},
      {Endpoint::GetMembers, {kRoom}},
      {Endpoint::Heartbeat, {kRoom, kUser, {"roomStatusCode", FieldType::Integer, false, 0}}},
      {Endpoint::MergeStream, {kRoom, kUser, {"mergeParams", FieldType::ObjectOrString, true, 0}}},
      {Endpoint::SetCustomField,
       {kRoom, {"fieldName", FieldType::String, true, 64}, {"operation", FieldType::String, true, 8},
        {"value", FieldType::StringOrInteger, true, kMaxRoomInfoBytes}}},
      {Endpoint::GetCustomInfo, {kRoom}},
      {Endpoint::AddAudience, {kRoom, kUser, {"userInfo", FieldType::String, true, kInfo}}},
      {Endpoint::DeleteAudience, {kRoom, kUser}},
      {Endpoint::GetAudiences, {kRoom}},
      {Endpoint::SendRoomMsg, {kRoom, {"msg", FieldType::Object, true, 0}}},
      {Endpoint::SendC2CMsg, {{"toUserID", FieldType::String, true, kUserID}, {"msg", FieldType::Object, true, 0}}},
  };
  return s;
}

const Spec* specFor(Endpoint e) {
  for (const auto& s : specs())
    if (s.endpoint == e) return &s;
  return nullptr;
}

std::string_view typeName(FieldType t) {
  switch (t) {
    case FieldType::String: return "a string";
    case FieldType::Integer: return "an integer";
    case FieldType::Object: return "a JSON object";
    case FieldType::ObjectOrString: return "a JSON object (or a string holding one)";
    case FieldType::StringOrInteger: return "a string or an integer";
  }
  return "?";
}

bool isInteger(const json& v) { return v.is_number_integer(); }

// Checks one field; may normalise it (mergeParams given as a string is parsed). nullopt = fine.
std::optional<ParseError> checkField(const Field& f, json& body) {
  auto it = body.find(f.name);
  if (it == body.end() || it->is_null()) {
    if (f.required) return ParseError{ApiCode::MissingParam, "missing parameter " + std::string(f.name)};
    if (it != body.end()) body.erase(it);
    return std::nullopt;
  }
  json& v = *it;
  bool typeOk = false;
  switch (f.type) {
    case FieldType::String: typeOk = v.is_string(); break;
    case FieldType::Integer: typeOk = isInteger(v); break;
    case FieldType::Object: typeOk = v.is_object(); break;
    case FieldType::StringOrInteger: typeOk = v.is_string() || isInteger(v); break;
    case FieldType::ObjectOrString:
      if (v.is_string()) {
        auto inner = parseJsonBounded(v.get_ref<const std::string&>());
        if (inner && inner->is_object()) v = std::move(*inner);
      }
      typeOk = v.is_object();
      break;
  }
  if (!typeOk)
    return ParseError{ApiCode::MissingParam, std::string(f.name) + " must be " + std::string(typeName(f.type))};
  if (f.maxBytes && v.is_string() && v.get_ref<const std::string&>().size() > f.maxBytes) {
    const ApiCode code = f.name == "roomInfo" ? ApiCode::RoomExists : ApiCode::MissingParam;
    return ParseError{code, std::string(f.name) + " over " + std::to_string(f.maxBytes) + " bytes"};
  }
  return std::nullopt;
}

}  // namespace

std::optional<nlohmann::json> parseJsonBounded(std::string_view text) {
  bool tooDeep = false;
  json::parser_callback_t cb = [&tooDeep](int depth, json::parse_event_t, json&) {
    if (depth > kMaxJsonDepth) tooDeep = true;
    return !tooDeep;
  };
  json v = json::parse(text.begin(), text.end(), cb, /*allow_exceptions=*/false);
  if (tooDeep || v.is_discarded()) return std::nullopt;
  return v;
}

std::string ApiRequest::str(std::string_view field) const {
  auto it = body.find(field);
  return it != body.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool ApiRequest::has(std::string_view field) const { return body.contains(field); }

int64_t ApiRequest::integer(std::string_view field, int64_t fallback) const {
  auto it = body.find(field);
  if (it == body.end() || !it->is_number_integer()) return fallback;
  return it->is_number_unsigned() ? static_cast<int64_t>(std::min<uint64_t>(it->get<uint64_t>(), INT64_MAX))
                                  : it->get<int64_t>();
}

const nlohmann::json& ApiRequest::object(std::string_view field) const {
  static const json kNull;
  auto it = body.find(field);
  return it != body.end() && it->is_object() ? *it : kNull;
}

ParseResult parseRequest(RoomKind kind, std::string_view name, std::string_view body) {
  auto endpoint = endpointFromName(kind, name);
  if (!endpoint) return ParseError{ApiCode::MissingParam, "unknown endpoint"};
  ApiRequest req;
  req.kind = kind;
  req.endpoint = *endpoint;
  const Spec* spec = specFor(*endpoint);
  if (!spec || spec->fields.empty()) return req;  // login / logout: query parameters only
  auto parsed = parseJsonBounded(body);
  if (!parsed) return ParseError{ApiCode::MissingParam, "malformed JSON body"};
  if (!parsed->is_object()) return ParseError{ApiCode::MissingParam, "the body must be a JSON object"};
  req.body = std::move(*parsed);
  for (const Field& f : spec->fields)
    if (auto err = checkField(f, req.body)) return *err;
  return req;
}

}  // namespace openlive::roomd
