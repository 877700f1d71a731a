// openlive-url: signed live URLs, GME stream addresses and test UserSigs.
//
// Output is one `key=value` line per field (or one JSON object with --json), so scripts can read it.
// Exit status: 0 success; 1 a verification said no (verify, usersig-verify); 2 bad or missing arguments.
#include <openlive/url_signing.h>
#include <openlive/usersig.h>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <charconv>
#include <chrono>
#include <cstdio>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace {

using std::chrono::seconds;
using std::chrono::sys_seconds;

constexpr int kExitRejected = 1;
constexpr int kExitUsage = 2;

// A usage error that ends the program with one line on stderr and status 2.
struct UsageError {
  std::string message;
};

std::string oneLine(std::string s) {
  for (char& c : s) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

// Strict non-negative decimal seconds: digits only, no sign, no spaces, fits in int64.
int64_t parseSeconds(const std::string& text, const char* what) {
  int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || text.front() == '-' || ec != std::errc() || end != text.data() + text.size()) {
    throw UsageError{std::string(what) + ": not a decimal number of seconds: '" + text + "'"};
  }
  return v;
}

uint64_t parseAppId(const std::string& text, const char* what) {
  uint64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || v == 0) {
    throw UsageError{std::string(what) + ": not a positive decimal number: '" + text + "'"};
  }
  return v;
}

sys_seconds systemNow() { return std::chrono::time_point_cast<seconds>(std::chrono::system_clock::now()); }

// Ordered key/value output.
class Output {
 public:
  explicit Output(bool json) : json_(json) {}
  void add(std::string key, std::string value) { items_.emplace_back(std::move(key), std::move(value)); }
  void print() const {
    if (json_) {
      nlohmann::ordered_json j = nlohmann::ordered_json::object();
      for (const auto& [k, v] : items_) j[k] = v;
      std::printf("%s\n", j.dump().c_str());
    } else {
      for (const auto& [k, v] : items_) std::printf("%s=%s\n", k.c_str(), v.c_str());
    }
  }

 private:
  bool json_;
  std::vector<std::pair<std::string, std::string>> items_;
};

template <class T>
T orUsage(openlive::SignResult<T> r) {
  if (!r) throw UsageError{std::string(openlive::toString(r.error))};
  return std::move(r.value);
}

// --expiry (absolute Unix seconds) or --valid-for (seconds from now) when a key is given.
struct ExpiryOptions {
  std::string expiry;
  std::string validFor;
  void attach(CLI::App* cmd) {
    auto* e = cmd->add_option("--expiry", expiry, "expiry (txTime) as decimal Unix seconds");
    auto* v = cmd->add_option("--valid-for", validFor, "expiry as seconds from now (e.g. 86400)");
    e->excludes(v);
  }
  bool given() const { return !expiry.empty() || !validFor.empty(); }
  sys_seconds resolve() const {
    if (!expiry.empty()) return sys_seconds(seconds(parseSeconds(expiry, "--expiry")));
    if (!validFor.empty()) {
      int64_t v = parseSeconds(validFor, "--valid-for");
      if (v > 0xFFFFFFFFll) throw UsageError{"--valid-for: more than 2^32 seconds"};
      return systemNow() + seconds(v);
    }
    throw UsageError{"a signing key needs --expiry or --valid-for"};
  }
};

struct LiveOptions {
  std::string domain;
  std::string app = "live";
  std::string stream;
  std::optional<std::string> key;
  ExpiryOptions expiry;
  void attach(CLI::App* cmd) {
    cmd->add_option("--domain", domain, "push or play domain: host[:port]")->required();
    cmd->add_option("--app", app, "application name")->capture_default_str();
    cmd->add_option("--stream", stream, "stream name")->required();
    cmd->add_option("--key", key, "hotlink key; without it the URL is unsigned");
    expiry.attach(cmd);
  }
  openlive::LiveUrlSpec spec() const {
    openlive::LiveUrlSpec s{domain, app, stream, std::nullopt};
    if (key) {
      s.signing = openlive::UrlSigning{*key, expiry.resolve()};
    } else if (expiry.given()) {
      throw UsageError{"--expiry/--valid-for need --key"};
    }
    return s;
  }
};

void addSignature(Output& out, const openlive::LiveUrlSpec& spec) {
  if (!spec.signing) return;
  auto sig = orUsage(openlive::signStream(spec.signing->key, spec.streamName, spec.signing->expiry));
  out.add("txTime", sig.txTime);
  out.add("txSecret", sig.txSecret);
}

// One subcommand each: its options, and what it prints. run() returns the exit status (0, or kExitRejected for
// a verification that says no); usage errors throw UsageError.
struct SignCommand {
  CLI::App* cmd = nullptr;
  std::string key, stream, time;
  void attach(CLI::App& app) {
    cmd = app.add_subcommand("sign", "txTime and txSecret for a stream name and expiry");
    cmd->add_option("--key", key, "hotlink key")->required();
    cmd->add_option("--stream", stream, "stream name")->required();
    cmd->add_option("--time", time, "expiry as decimal Unix seconds")->required();
  }
  int run(Output& out) const {
    auto expiry = sys_seconds(seconds(parseSeconds(time, "--time")));
    auto sig = orUsage(openlive::signStream(key, stream, expiry));
    out.add("txTime", sig.txTime);
    out.add("txSecret", sig.txSecret);
    return 0;
  }
};

struct PushCommand {
  CLI::App* cmd = nullptr;
  LiveOptions opts;
  void attach(CLI::App& app) {
    cmd = app.add_subcommand("push", "push URL (rtmp)");
    opts.attach(cmd);
  }
  int run(Output& out) const {
    auto spec = opts.spec();
    out.add("url", orUsage(openlive::buildPushUrl(spec)));
    addSignature(out, spec);
    return 0;
  }
};

struct PlayCommand {
  CLI::App* cmd = nullptr;
  LiveOptions opts;
  std::string bizId;
  void attach(CLI::App& app) {
    cmd = app.add_subcommand("play", "play URLs (rtmp, http-flv, https-flv, low latency with --bizid)");
    opts.attach(cmd);
    cmd->add_option("--bizid", bizId, "also print the low-latency rtmp URL for this bizid (needs --key)");
  }
  int run(Output& out) const {
    auto spec = opts.spec();
    out.add("rtmp", orUsage(openlive::buildPlayUrl(spec, openlive::PlayProtocol::Rtmp)));
    out.add("flv", orUsage(openlive::buildPlayUrl(spec, openlive::PlayProtocol::HttpFlv)));
    out.add("https_flv", orUsage(openlive::buildPlayUrl(spec, openlive::PlayProtocol::HttpsFlv)));
    if (!bizId.empty()) out.add("low_latency", orUsage(openlive::buildLowLatencyPlayUrl(spec, bizId)));
    addSignature(out, spec);
    return 0;
  }
};

struct GmeCommand {
  CLI::App* cmd = nullptr;
  int mode = 0;
  std::string appId, userId, roomId, bizId, key;
  ExpiryOptions expiry;
  void attach(CLI::App& app) {
    cmd = app.add_subcommand("gme", "GME RTMP stream address (mode 1: one member, mode 2: room mix)");
    cmd->add_option("--mode", mode, "1 = member stream, 2 = room mix")->required()->check(CLI::IsMember({1, 2}));
    cmd->add_option("--appid", appId, "GME AppID")->required();
    cmd->add_option("--userid", userId, "UserID (mode 1)");
    cmd->add_option("--roomid", roomId, "RoomID")->required();
    cmd->add_option("--bizid", bizId, "live BizID")->required();
    cmd->add_option("--key", key, "live StreamKey")->required();
    expiry.attach(cmd);
  }
  int run(Output& out) const {
    openlive::GmeStreamSpec spec{static_cast<openlive::GmeMode>(mode), appId, userId, roomId, bizId, key,
                                 expiry.resolve()};
    if (mode == 2 && !userId.empty()) throw UsageError{"--userid is for mode 1 only"};
    auto g = orUsage(openlive::buildGmeStream(spec));
    out.add("stream_id", g.streamId);
    out.add("stream_name", g.streamName);
    out.add("txTime", g.signature.txTime);
    out.add("txSecret", g.signature.txSecret);
    out.add("url", g.url);
    return 0;
  }
};

struct UserSigCommand {
  CLI::App* cmd = nullptr;
  std::string appId, user, key, expire = "604800", time;
  void attach(CLI::App& app) {
    cmd = app.add_subcommand("usersig", "test UserSig (TLS sig v2). Real products sign on their server");
    cmd->add_option("--sdkappid", appId, "SDKAppID")->required();
    cmd->add_option("--userid", user, "UserID (identifier)")->required();
    cmd->add_option("--key", key, "app secret key")->required();
    cmd->add_option("--expire", expire, "lifetime in seconds")->capture_default_str();
    cmd->add_option("--time", time, "issue time, decimal Unix seconds (default: now)");
  }
  int run(Output& out) const {
    openlive::UserSigRequest req;
    req.sdkAppId = parseAppId(appId, "--sdkappid");
    req.identifier = user;
    req.expire = seconds(parseSeconds(expire, "--expire"));
    req.now = time.empty() ? systemNow() : sys_seconds(seconds(parseSeconds(time, "--time")));
    auto sig = openlive::generateTestUserSig(req, key);
    if (!sig) throw UsageError{std::string(openlive::toString(sig.error))};
    std::fprintf(stderr, "openlive-url: note: test UserSig only; a real product signs UserSigs on its server\n");
    out.add("usersig", sig.value);
    out.add("sdkappid", std::to_string(req.sdkAppId));
    out.add("userid", req.identifier);
    out.add("time", std::to_string(req.now.time_since_epoch().count()));
    out.add("expire", std::to_string(req.expire.count()));
    return 0;
  }
};

struct UserSigVerifyCommand {
  CLI::App* cmd = nullptr;
  std::string sig, key, appId, user, now;
  void attach(CLI::App& app) {
    cmd = app.add_subcommand("usersig-verify", "decode a UserSig and check its HMAC and expiry");
    cmd->add_option("usersig", sig, "the UserSig")->required();
    cmd->add_option("--key", key, "app secret key")->required();
    cmd->add_option("--sdkappid", appId, "expected SDKAppID");
    cmd->add_option("--userid", user, "expected UserID");
    cmd->add_option("--now", now, "check at this Unix time instead of now");
  }
  int run(Output& out) const {
    std::optional<uint64_t> expectedApp;
    if (!appId.empty()) expectedApp = parseAppId(appId, "--sdkappid");
    std::optional<std::string_view> expectedUser;
    if (!user.empty()) expectedUser = user;
    auto at = now.empty() ? systemNow() : sys_seconds(seconds(parseSeconds(now, "--now")));
    if (key.empty()) throw UsageError{"empty key"};
    auto r = openlive::verifyUserSig(sig, key, at, expectedApp, expectedUser);
    out.add("result", std::string(openlive::toString(r.error)));
    if (!r.value.version.empty()) {
      out.add("userid", r.value.identifier);
      out.add("sdkappid", std::to_string(r.value.sdkAppId));
      out.add("time", std::to_string(r.value.time));
      out.add("expire", std::to_string(r.value.expire));
      out.add("sig", r.value.sig);
    }
    return r ? 0 : kExitRejected;
  }
};

struct VerifyCommand {
  CLI::App* cmd = nullptr;
  std::string url, key, now;
  void attach(CLI::App& app) {
    cmd = app.add_subcommand("verify", "check a signed URL's txSecret and txTime");
    cmd->add_option("url", url, "the URL")->required();
    cmd->add_option("--key", key, "hotlink key")->required();
    cmd->add_option("--now", now, "check at this Unix time instead of now");
  }
  int run(Output& out) const {
    using openlive::VerifyError;
    auto at = now.empty() ? systemNow() : sys_seconds(seconds(parseSeconds(now, "--now")));
    if (key.empty()) throw UsageError{"empty key"};
    auto r = openlive::verifySignedUrl(url, key, at);
    out.add("result", std::string(openlive::toString(r.error)));
    if (r.error != VerifyError::MalformedUrl) {
      out.add("stream", r.value.parts.streamName);
      if (r.value.parts.txTime) out.add("txTime", *r.value.parts.txTime);
      bool timeParsed =
          r.error == VerifyError::Ok || r.error == VerifyError::BadSecret || r.error == VerifyError::Expired;
      if (timeParsed) out.add("expiry", std::to_string(r.value.expiry.time_since_epoch().count()));
    }
    return r ? 0 : kExitRejected;
  }
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"openlive-url: signed live URLs, GME stream addresses and test UserSigs"};
  app.require_subcommand(1);
  app.fallthrough();  // --json may also follow the subcommand
  bool json = false;
  app.add_flag("--json", json, "print one JSON object instead of key=value lines");
  SignCommand sign;
  PushCommand push;
  PlayCommand play;
  GmeCommand gme;
  UserSigCommand usersig;
  UserSigVerifyCommand usersigVerify;
  VerifyCommand verify;
  sign.attach(app);
  push.attach(app);
  play.attach(app);
  gme.attach(app);
  usersig.attach(app);
  usersigVerify.attach(app);
  verify.attach(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help
    std::fprintf(stderr, "openlive-url: error: %s (see --help)\n", oneLine(e.what()).c_str());
    return kExitUsage;
  }
  Output out(json);
  int status = 0;
  try {
    if (*sign.cmd) status = sign.run(out);
    else if (*push.cmd) status = push.run(out);
    else if (*play.cmd) status = play.run(out);
    else if (*gme.cmd) status = gme.run(out);
    else if (*usersig.cmd) status = usersig.run(out);
    else if (*usersigVerify.cmd) status = usersigVerify.run(out);
    else if (*verify.cmd) status = verify.run(out);
  } catch (const UsageError& e) {
    std::fprintf(stderr, "openlive-url: error: %s\n", oneLine(e.message).c_str());
    return kExitUsage;
  }
  out.print();
  return status;
}
