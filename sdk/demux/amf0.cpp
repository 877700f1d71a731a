#include "demux/amf0.h"

#include <cstring>

namespace openlive::demux::amf0 {

namespace {
constexpr int kMaxDepth = 32;
}

std::optional<double> Value::numberAt(const std::string& key) const {
  auto it = object.find(key);
  if (it == object.end()) return std::nullopt;
  if (it->second.type == Type::Number) return it->second.number;
  if (it->second.type == Type::Boolean) return it->second.boolean ? 1.0 : 0.0;
  return std::nullopt;
}

std::optional<std::string> Value::stringAt(const std::string& key) const {
  auto it = object.find(key);
  if (it == object.end() || it->second.type != Type::String) return std::nullopt;
  return it->second.string;
}

bool Reader::read(Value& out) { return readValue(out, 0); }

bool Reader::readString16(std::string& out) {
  if (end_ - p_ < 2) return false;
  size_t n = (size_t(p_[0]) << 8) | p_[1];
  p_ += 2;
  if (size_t(end_ - p_) < n) return false;
  out.assign(reinterpret_cast<const char*>(p_), n);
  p_ += n;
  return true;
}

bool Reader::readProperties(std::map<std::string, Value>& out, int depth) {
  for (;;) {
    std::string key;
    if (!readString16(key)) return false;
    if (key.empty() && p_ < end_ && *p_ == 0x09) {  // object end marker
      ++p_;
      return true;
    }
    Value v;
    if (!readValue(v, depth + 1)) return false;
    out[key] = std::move(v);
  }
}

bool Reader::readValue(Value& out, int depth) {
  if (depth > kMaxDepth || p_ >= end_) return false;
  uint8_t marker = *p_++;
  switch (marker) {
    case 0x00: {  // number
      if (end_ - p_ < 8) return false;
      uint64_t bits = 0;
      for (int i = 0; i < 8; ++i) bits = (bits << 8) | p_[i];
      p_ += 8;
      std::memcpy(&out.number, &bits, 8);
      out.type = Value::Type::Number;
      return true;
    }
    case 0x01:
      if (p_ >= end_) return false;
      out.type = Value::Type::Boolean;
      out.boolean = *p_++ != 0;
      return true;
    case 0x02:
      out.type = Value::Type::String;
      return readString16(out.string);
    case 0x03:
      out.type = Value::Type::Object;
      return readProperties(out.object, depth);
    case 0x05:
      out.type = Value::Type::Null;
      return true;
    case 0x06:
      out.type = Value::Type::Undefined;
      return true;
    case 0x08:  // ECMA array: u32 count (advisory) + properties
      if (end_ - p_ < 4) return false;
      p_ += 4;
      out.type = Value::Type::Object;
      return readProperties(out.object, depth);
    case 0x0A: {  // strict array
      if (end_ - p_ < 4) return false;
      uint32_t n = (uint32_t(p_[0]) << 24) | (uint32_t(p_[1]) << 16) | (uint32_t(p_[2]) << 8) | p_[3];
      p_ += 4;
      if (n > size_t(end_ - p_)) return false;  // each element takes at least one byte
      out.type = Value::Type::Array;
      out.array.resize(n);
      for (auto& e : out.array)
        if (!readValue(e, depth + 1)) return false;
      return true;
    }
    case 0x0B: {  // date: double + s16 timezone
      if (end_ - p_ < 10) return false;
      uint64_t bits = 0;
      for (int i = 0; i < 8; ++i) bits = (bits << 8) | p_[i];
      std::memcpy(&out.number, &bits, 8);
      p_ += 10;
      out.type = Value::Type::Date;
      return true;
    }
    case 0x0C: {  // long string
      if (end_ - p_ < 4) return false;
      uint32_t n = (uint32_t(p_[0]) << 24) | (uint32_t(p_[1]) << 16) | (uint32_t(p_[2]) << 8) | p_[3];
      p_ += 4;
      if (n > size_t(end_ - p_)) return false;
      out.type = Value::Type::String;
      out.string.assign(reinterpret_cast<const char*>(p_), n);
      p_ += n;
      return true;
    }
    default:
      return false;  // movieclip, reference, XML, typed object, AMF3 switch: not used by FLV metadata
  }
}

bool parseScriptTag(const uint8_t* data, size_t size, std::string& name, Value& value) {
  Reader r(data, size);
  Value first;
  if (!r.read(first) || first.type != Value::Type::String) return false;
  name = first.string;
  if (name == "@setDataFrame") {
    Value second;
    if (!r.read(second) || second.type != Value::Type::String) return false;
    name = second.string;
  }
  value = Value{};
  if (r.atEnd()) return true;
  return r.read(value);
}

}  // namespace openlive::demux::amf0
