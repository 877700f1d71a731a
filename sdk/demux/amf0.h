// AMF0 reader (demux stage): enough of AMF0 to read onMetaData and onStatus-like script tags.
// Robust to truncated or malformed input: parsing stops and reports failure, never reads out of bounds.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace openlive::demux::amf0 {

struct Value {
  enum class Type { Number, Boolean, String, Object, Null, Undefined, Array, Date } type = Type::Null;
  double number = 0;
  bool boolean = false;
  std::string string;
  std::map<std::string, Value> object;  // Object and ECMA array
  std::vector<Value> array;             // strict array

  std::optional<double> numberAt(const std::string& key) const;
  std::optional<std::string> stringAt(const std::string& key) const;
};

// Reads values from a byte range; each read advances the position. Depth-limited (nesting <= 32).
class Reader {
 public:
  Reader(const uint8_t* data, size_t size) : p_(data), end_(data + size) {}
  bool read(Value& out);
  bool atEnd() const { return p_ >= end_; }

 private:
  bool readValue(Value& out, int depth);
  bool readString16(std::string& out);
  bool readProperties(std::map<std::string, Value>& out, int depth);
  const uint8_t* p_;
  const uint8_t* end_;
};

// Parses a script tag body: name (string) followed by a value. Returns the name and the value
// (e.g. "onMetaData" + its ECMA array). Skips "@setDataFrame" wrappers.
bool parseScriptTag(const uint8_t* data, size_t size, std::string& name, Value& value);

}  // namespace openlive::demux::amf0
