// Unit tests for the AMF0 reader used for onMetaData.
#include "demux/amf0.h"

#include <gtest/gtest.h>

#include <cstring>

using namespace openlive::demux::amf0;

namespace {
void putString(std::vector<uint8_t>& b, const std::string& s) {
  b.push_back(uint8_t(s.size() >> 8));
  b.push_back(uint8_t(s.size()));
  b.insert(b.end(), s.begin(), s.end());
}
void putNumber(std::vector<uint8_t>& b, double d) {
  b.push_back(0);
  uint64_t bits;
  std::memcpy(&bits, &d, 8);
  for (int i = 7; i >= 0; --i) b.push_back(uint8_t(bits >> (8 * i)));
}
std::vector<uint8_t> metadata(bool setDataFrame) {
  std::vector<uint8_t> b;
  if (setDataFrame) {
    b.push_back(2);
    putString(b, "@setDataFrame");
  }
  b.push_back(2);
  putString(b, "onMetaData");
  b.insert(b.end(), {8, 0, 0, 0, 4});
  putString(b, "width");
  putNumber(b, 1280);
  putString(b, "framerate");
  putNumber(b, 30);
  putString(b, "encoder");
  b.push_back(2);
  putString(b, "Lavf");
  putString(b, "stereo");
  b.insert(b.end(), {1, 1});
  b.insert(b.end(), {0, 0, 9});
  return b;
}
}  // namespace

TEST(Amf0, OnMetaData) {
  for (bool wrapped : {false, true}) {
    auto b = metadata(wrapped);
    std::string name;
    Value v;
    ASSERT_TRUE(parseScriptTag(b.data(), b.size(), name, v));
    EXPECT_EQ(name, "onMetaData");
    EXPECT_EQ(v.numberAt("width").value_or(0), 1280);
    EXPECT_EQ(v.numberAt("framerate").value_or(0), 30);
    EXPECT_EQ(v.stringAt("encoder").value_or(""), "Lavf");
    EXPECT_EQ(v.numberAt("stereo").value_or(0), 1);
    EXPECT_FALSE(v.numberAt("height"));
  }
}

TEST(Amf0, EveryTruncationFailsCleanly) {
  auto b = metadata(false);
  for (size_t n = 0; n + 1 < b.size(); ++n) {
    std::string name;
    Value v;
    std::vector<uint8_t> cut(b.begin(), b.begin() + static_cast<std::ptrdiff_t>(n));
    bool ok = parseScriptTag(cut.data(), cut.size(), name, v);
    if (n > 13) {
      EXPECT_FALSE(ok) << n;
    }  // past the name, a cut ECMA array never parses
  }
}

TEST(Amf0, DeepNestingIsRefused) {
  std::vector<uint8_t> b;
  for (int i = 0; i < 100; ++i) {
    b.push_back(3);
    putString(b, "k");
  }
  Reader r(b.data(), b.size());
  Value v;
  EXPECT_FALSE(r.read(v));
}

TEST(Amf0, StrictArrayCountIsBounded) {
  std::vector<uint8_t> b{0x0A, 0xff, 0xff, 0xff, 0xff, 5};
  Reader r(b.data(), b.size());
  Value v;
  EXPECT_FALSE(r.read(v));
}
