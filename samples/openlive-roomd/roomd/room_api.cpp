#include "room_api.h"

#include "log.h"

namespace openlive::roomd {

std::string queryValue(const QueryParams& query, const std::string& key) {
  auto it = query.find(key);
  return it == query.end() ? std::string() : it->second;
}

ApiReply RoomApi::handle(RoomKind kind, std::string_view endpoint, const QueryParams& query, std::string_view body) {
  try {
    ParseResult parsed = parseRequest(kind, endpoint, body);
    if (auto* err = std::get_if<ParseError>(&parsed)) return errorReply(err->code, err->message);
    const ApiRequest& req = std::get<ApiRequest>(parsed);
    if (req.endpoint == Endpoint::Login) return login(query);
    if (req.endpoint == Endpoint::Logout) return logout(query);
    const std::string userID = queryValue(query, "userID");
    auto session = s_.auth.session(userID, queryValue(query, "token"));
    if (!session) return errorReply(ApiCode::BadToken, "userID/token not valid (log in first)");
    return dispatch(req, Caller{userID, *session});
  } catch (const StoreUnavailable& e) {
    logLine(LogLevel::Error, std::string("store unavailable: ") + e.what());
    return errorReply(ApiCode::ServiceError, "service temporarily unavailable", 503);
  }
}

ApiReply RoomApi::login(const QueryParams& query) {
  return s_.auth.login(queryValue(query, "sdkAppID"), queryValue(query, "userID"), queryValue(query, "userSig"));
}

ApiReply RoomApi::logout(const QueryParams& query) {
  const std::string userID = queryValue(query, "userID");
  if (!s_.auth.logout(userID, queryValue(query, "token")))
    return errorReply(ApiCode::BadToken, "userID/token not valid");
  s_.hub.closeUser(userID);
  return okReply();
}

ApiReply RoomApi::dispatch(const ApiRequest& req, const Caller& c) {
  switch (req.endpoint) {
    case Endpoint::Login:
    case Endpoint::Logout: break;  // handled before authentication
    case Endpoint::GetPushUrl: return rooms_.getPushUrl(req, c);
    case Endpoint::GetRoomList: return rooms_.getRoomList(req, c);
    case Endpoint::CreateRoom: return rooms_.createRoom(req, c);
    case Endpoint::DestroyRoom: return rooms_.destroyRoom(req, c);
    case Endpoint::AddMember: return rooms_.addMember(req, c);
    case Endpoint::DeleteMember: return rooms_.deleteMember(req, c);
    case Endpoint::GetMembers: return rooms_.getMembers(req, c);
    case Endpoint::Heartbeat: return rooms_.heartbeat(req, c);
    case Endpoint::MergeStream: return extras_.mergeStream(req, c);
    case Endpoint::SetCustomField: return extras_.setCustomField(req, c);
    case Endpoint::GetCustomInfo: return extras_.getCustomInfo(req, c);
    case Endpoint::AddAudience: return extras_.addAudience(req, c);
    case Endpoint::DeleteAudience: return extras_.deleteAudience(req, c);
    case Endpoint::GetAudiences: return extras_.getAudiences(req, c);
    case Endpoint::SendRoomMsg: return messages_.sendRoomMsg(req, c);
    case Endpoint::SendC2CMsg: return messages_.sendC2CMsg(req, c);
  }
  return errorReply(ApiCode::MissingParam, "unknown endpoint");
}

}  // namespace openlive::roomd
