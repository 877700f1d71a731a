// X11 window ids on the command line (openlive-play --window-id, openlive-push --preview-window-id).
#pragma once

#include <CLI/CLI.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace openlive::samples {

// An X11 window id: decimal or 0x hex, 1 .. 0x1FFFFFFF (X resource ids have 29 bits).
inline std::optional<uint64_t> parseWindowId(const std::string& text) {
  const bool hex = text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X');
  const std::string digits = hex ? text.substr(2) : text;
  if (digits.empty() || digits.size() > 10 ||
      digits.find_first_not_of(hex ? "0123456789abcdefABCDEF" : "0123456789") != std::string::npos)
    return std::nullopt;
  const uint64_t id = std::stoull(digits, nullptr, hex ? 16 : 10);
  if (id == 0 || id > 0x1FFFFFFF) return std::nullopt;
  return id;
}

// `name` takes a window id into `*out`; a malformed id is a usage error.
inline CLI::Option* addWindowIdOption(CLI::App& app, const std::string& name, uint64_t* out, const std::string& help) {
  return app
      .add_option_function<std::string>(
          name, [out](const std::string& v) { *out = parseWindowId(v).value_or(0); }, help)
      ->check(CLI::Validator(
          [](std::string& v) {
            return parseWindowId(v) ? std::string() : "not an X11 window id (decimal or 0x hex, 1..0x1FFFFFFF): " + v;
          },
          "WINDOW_ID"));
}

}  // namespace openlive::samples
