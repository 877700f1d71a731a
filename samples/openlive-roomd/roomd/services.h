// What the request handlers and the liveness sweep share: configuration, state, signalling, URLs, sessions.
// Every member outlives the handlers (RoomdServer owns them all).
#pragma once

#include <string>

#include "auth.h"
#include "config.h"
#include "mailbox_hub.h"
#include "mixers.h"
#include "notifier.h"
#include "signal_bus.h"
#include "store.h"
#include "url_issuer.h"

namespace openlive::roomd {

struct Services {
  const RoomdConfig& config;
  RoomStore& store;
  SignalBus& bus;
  MailboxHub& hub;
  const UrlIssuer& urls;
  Authenticator& auth;
  Notifier& notifier;
  Mixers* mixers = nullptr;  // null unless config.mixerPath or config.mixerHost is set
};

// The authenticated user of a request (query userID + token checked).
struct Caller {
  std::string userID;
  TokenRecord session;
};

}  // namespace openlive::roomd
