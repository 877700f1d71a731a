// Internal crypto and encoding helpers for signing (OpenSSL and zlib stay behind this header).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace openlive::signing {

// Lower-case hex MD5 of `data` (32 characters).
std::string md5Hex(std::string_view data);

// HMAC-SHA256(key, data) as 32 raw bytes.
std::array<uint8_t, 32> hmacSha256(std::string_view key, std::string_view data);

// Standard base64 (RFC 4648, '+' '/' and '=' padding).
std::string base64Encode(std::string_view bytes);
// Strict decoder: length a multiple of 4, padding only at the end, no whitespace. nullopt otherwise.
std::optional<std::string> base64Decode(std::string_view text);

// TLS signature URL-safe variant: '+' -> '*', '/' -> '-', '=' -> '_' (and back).
std::string toTlsUrlBase64(std::string text);
std::string fromTlsUrlBase64(std::string text);

// zlib stream (compress2, default level).
std::optional<std::string> zlibCompress(std::string_view data);
// Inflates a complete zlib stream; nullopt when corrupt, truncated, followed by junk, or larger than maxOut.
std::optional<std::string> zlibDecompress(std::string_view data, size_t maxOut);

// Equality of two strings in time independent of where they differ (length is not hidden).
bool constantTimeEquals(std::string_view a, std::string_view b) noexcept;

// ASCII helpers.
bool isHexDigits(std::string_view s) noexcept;
std::string toLowerAscii(std::string_view s);
// [A-Za-z0-9_.~-]+
bool isUnreservedToken(std::string_view s) noexcept;

}  // namespace openlive::signing
