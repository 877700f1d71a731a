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

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"openlive-url: signed live URLs, GME stream addresses and test UserSigs"};
  app.require_subcommand(1);
  app.fallthrough();  // --json may also follow the subcommand
  bool json = false;
  app.add_flag("--json", json, "print one JSON object instead of key=value lines");

  // sign
  auto* sign = app.add_subcommand("sign", "txTime and txSecret for a stream name and expiry");
  std::string signKey, signStream, signTime;
  sign->add_option("--key", signKey, "hotlink key")->required();
  sign->add_option("--stream", signStream, "stream name")->required();
  sign->add_option("--time", signTime, "expiry as decimal Unix seconds")->required();

  // push / play
  auto* push = app.add_subcommand("push", "push URL (rtmp)");
  LiveOptions pushOpts;
  pushOpts.attach(push);
  auto* play = app.add_subcommand("play", "play URLs (rtmp, http-flv, https-flv, low latency with --bizid)");
  LiveOptions playOpts;
  playOpts.attach(play);
  std::string playBizId;
  play->add_option("--bizid", playBizId, "also print the low-latency rtmp URL for this bizid (needs --key)");

  // gme
  auto* gme = app.add_subcommand("gme", "GME RTMP stream address (mode 1: one member, mode 2: room mix)");
  int gmeMode = 0;
  std::string gmeAppId, gmeUserId, gmeRoomId, gmeBizId, gmeKey;
  ExpiryOptions gmeExpiry;
  gme->add_option("--mode", gmeMode, "1 = member stream, 2 = room mix")->required()->check(CLI::IsMember({1, 2}));
  gme->add_option("--appid", gmeAppId, "GME AppID")->required();
  gme->add_option("--userid", gmeUserId, "UserID (mode 1)");
  gme->add_option("--roomid", gmeRoomId, "RoomID")->required();
  gme->add_option("--bizid", gmeBizId, "live BizID")->required();
  gme->add_option("--key", gmeKey, "live StreamKey")->required();
  gmeExpiry.attach(gme);

  // usersig / usersig-verify
  auto* usersig = app.add_subcommand("usersig", "test UserSig (TLS sig v2). Real products sign on their server");
  std::string usAppId, usUser, usKey, usExpire = "604800", usTime;
  usersig->add_option("--sdkappid", usAppId, "SDKAppID")->required();
  usersig->add_option("--userid", usUser, "UserID (identifier)")->required();
  usersig->add_option("--key", usKey, "app secret key")->required();
  usersig->add_option("--expire", usExpire, "lifetime in seconds")->capture_default_str();
  usersig->add_option("--time", usTime, "issue time, decimal Unix seconds (default: now)");

  auto* usVerify = app.add_subcommand("usersig-verify", "decode a UserSig and check its HMAC and expiry");
  std::string uvSig, uvKey, uvAppId, uvUser, uvNow;
  usVerify->add_option("usersig", uvSig, "the UserSig")->required();
  usVerify->add_option("--key", uvKey, "app secret key")->required();
  usVerify->add_option("--sdkappid", uvAppId, "expected SDKAppID");
  usVerify->add_option("--userid", uvUser, "expected UserID");
  usVerify->add_option("--now", uvNow, "check at this Unix time instead of now");

  // verify
  auto* verify = app.add_subcommand("verify", "check a signed URL's txSecret and txTime");
  std::string vUrl, vKey, vNow;
  verify->add_option("url", vUrl, "the URL")->required();
  verify->add_option("--key", vKey, "hotlink key")->required();
  verify->add_option("--now", vNow, "check at this Unix time instead of now");

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
    if (*sign) {
      auto expiry = sys_seconds(seconds(parseSeconds(signTime, "--time")));
      auto sig = orUsage(openlive::signStream(signKey, signStream, expiry));
      out.add("txTime", sig.txTime);
      out.add("txSecret", sig.txSecret);
    } else if (*push) {
      auto spec = pushOpts.spec();
      out.add("url", orUsage(openlive::buildPushUrl(spec)));
      addSignature(out, spec);
    } else if (*play) {
      auto spec = playOpts.spec();
      out.add("rtmp", orUsage(openlive::buildPlayUrl(spec, openlive::PlayProtocol::Rtmp)));
      out.add("flv", orUsage(openlive::buildPlayUrl(spec, openlive::PlayProtocol::HttpFlv)));
      out.add("https_flv", orUsage(openlive::buildPlayUrl(spec, openlive::PlayProtocol::HttpsFlv)));
      if (!playBizId.empty()) out.add("low_latency", orUsage(openlive::buildLowLatencyPlayUrl(spec, playBizId)));
      addSignature(out, spec);
    } else if (*gme) {
      openlive::GmeStreamSpec spec{static_cast<openlive::GmeMode>(gmeMode), gmeAppId, gmeUserId, gmeRoomId,
                                   gmeBizId, gmeKey, gmeExpiry.resolve()};
      if (gmeMode == 2 && !gmeUserId.empty()) throw UsageError{"--userid is for mode 1 only"};
      auto g = orUsage(openlive::buildGmeStream(spec));
      out.add("stream_id", g.streamId);
      out.add("stream_name", g.streamName);
      out.add("txTime", g.signature.txTime);
      out.add("txSecret", g.signature.txSecret);
      out.add("url", g.url);
    } else if (*usersig) {
      openlive::UserSigRequest req;
      req.sdkAppId = parseAppId(usAppId, "--sdkappid");
      req.identifier = usUser;
      req.expire = seconds(parseSeconds(usExpire, "--expire"));
      req.now = usTime.empty() ? systemNow() : sys_seconds(seconds(parseSeconds(usTime, "--time")));
      auto sig = openlive::generateTestUserSig(req, usKey);
      if (!sig) throw UsageError{std::string(openlive::toString(sig.error))};
      std::fprintf(stderr, "openlive-url: note: test UserSig only; a real product signs UserSigs on its server\n");
      out.add("usersig", sig.value);
      out.add("sdkappid", std::to_string(req.sdkAppId));
      out.add("userid", req.identifier);
      out.add("time", std::to_string(req.now.time_since_epoch().count()));
      out.add("expire", std::to_string(req.expire.count()));
    } else if (*usVerify) {
      std::optional<uint64_t> appId;
      if (!uvAppId.empty()) appId = parseAppId(uvAppId, "--sdkappid");
      std::optional<std::string_view> user;
      if (!uvUser.empty()) user = uvUser;
      auto now = uvNow.empty() ? systemNow() : sys_seconds(seconds(parseSeconds(uvNow, "--now")));
      if (uvKey.empty()) throw UsageError{"empty key"};
      auto r = openlive::verifyUserSig(uvSig, uvKey, now, appId, user);
      out.add("result", std::string(openlive::toString(r.error)));
      if (!r.value.version.empty()) {
        out.add("userid", r.value.identifier);
        out.add("sdkappid", std::to_string(r.value.sdkAppId));
        out.add("time", std::to_string(r.value.time));
        out.add("expire", std::to_string(r.value.expire));
        out.add("sig", r.value.sig);
      }
      if (!r) status = kExitRejected;
    } else if (*verify) {
      auto now = vNow.empty() ? systemNow() : sys_seconds(seconds(parseSeconds(vNow, "--now")));
      if (vKey.empty()) throw UsageError{"empty key"};
      auto r = openlive::verifySignedUrl(vUrl, vKey, now);
      out.add("result", std::string(openlive::toString(r.error)));
      if (r.error != openlive::VerifyError::MalformedUrl) {
        out.add("stream", r.value.parts.streamName);
        if (r.value.parts.txTime) out.add("txTime", *r.value.parts.txTime);
        using openlive::VerifyError;
        bool timeParsed = r.error == VerifyError::Ok || r.error == VerifyError::BadSecret ||
                          r.error == VerifyError::Expired;
        if (timeParsed) out.add("expiry", std::to_string(r.value.expiry.time_since_epoch().count()));
      }
      if (!r) status = kExitRejected;
    }
  } catch (const UsageError& e) {
    std::fprintf(stderr, "openlive-url: error: %s\n", oneLine(e.message).c_str());
    return kExitUsage;
  }
  out.print();
  return status;
}
