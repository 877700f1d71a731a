// Pins every event value in the catalog to docs/EVENTS.md (the reference tables): value, name, category.
#include <openlive/events.h>

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <tuple>
#include <vector>

using namespace openlive;

namespace {
struct Expected {
  int value;
  const char* name;
  EventCategory category;
};

// Written out by hand from the reference; a change to the catalog must change this table too.
const std::vector<Expected> kReference = {
    {1001, "PUSH_EVT_CONNECT_SUCC", EventCategory::Event},
    {1002, "PUSH_EVT_PUSH_BEGIN", EventCategory::Event},
    {1003, "PUSH_EVT_OPEN_CAMERA_SUCC", EventCategory::Event},
    {1004, "PUSH_EVT_SCREEN_CAPTURE_SUCC", EventCategory::Event},
    {1005, "PUSH_EVT_CHANGE_RESOLUTION", EventCategory::Event},
    {1006, "PUSH_EVT_CHANGE_BITRATE", EventCategory::Event},
    {1007, "PUSH_EVT_FIRST_FRAME_AVAILABLE", EventCategory::Event},
    {1008, "PUSH_EVT_START_VIDEO_ENCODER", EventCategory::Event},
    {1022, "EVT_SNAPSHOT_RESULT", EventCategory::Event},
    {1023, "PUSH_EVT_CAMERA_REMOVED", EventCategory::Event},
    {1024, "PUSH_EVT_CAMERA_AVAILABLE", EventCategory::Event},
    {1025, "PUSH_EVT_CAMERA_CLOSED", EventCategory::Event},
    {1029, "PUSH_EVT_LOCAL_RECORD_RESULT", EventCategory::Event},
    {1030, "PUSH_EVT_LOCAL_RECORD_PROGRESS", EventCategory::Event},
    {-1301, "PUSH_ERR_OPEN_CAMERA_FAIL", EventCategory::Error},
    {-1302, "PUSH_ERR_OPEN_MIC_FAIL", EventCategory::Error},
    {-1303, "PUSH_ERR_VIDEO_ENCODE_FAIL", EventCategory::Error},
    {-1304, "PUSH_ERR_AUDIO_ENCODE_FAIL", EventCategory::Error},
    {-1305, "PUSH_ERR_UNSUPPORTED_RESOLUTION", EventCategory::Error},
    {-1306, "PUSH_ERR_UNSUPPORTED_SAMPLERATE", EventCategory::Error},
    {-1307, "PUSH_ERR_NET_DISCONNECT", EventCategory::Error},
    {-1308, "PUSH_ERR_SCREEN_CAPTURE_FAIL", EventCategory::Error},
    {-1313, "PUSH_ERR_INVALID_ADDRESS", EventCategory::Error},
    {-1316, "PUSH_ERR_CAMERA_OCCUPY", EventCategory::Error},
    {-1326, "PUSH_ERR_SERVER_REFUSE", EventCategory::Error},
    {1101, "PUSH_WARNING_NET_BUSY", EventCategory::Warning},
    {1102, "PUSH_WARNING_RECONNECT", EventCategory::Warning},
    {1103, "PUSH_WARNING_HW_ACCELERATION_FAIL", EventCategory::Warning},
    {1104, "PUSH_WARNING_VIDEO_ENCODE_FAIL", EventCategory::Warning},
    {1105, "PUSH_WARNING_BEAUTYSURFACE_VIEW_INIT_FAIL", EventCategory::Warning},
    {1106, "PUSH_WARNING_VIDEO_ENCODE_BITRATE_OVERFLOW", EventCategory::Warning},
    {1107, "PUSH_WARNING_SWITCH_SWENC", EventCategory::Warning},
    {3001, "PUSH_WARNING_DNS_FAIL", EventCategory::Warning},
    {3002, "PUSH_WARNING_SEVER_CONN_FAIL", EventCategory::Warning},
    {3003, "PUSH_WARNING_SHAKE_FAIL", EventCategory::Warning},
    {3004, "PUSH_WARNING_SERVER_DISCONNECT", EventCategory::Warning},
    {3005, "PUSH_WARNING_READ_WRITE_FAIL", EventCategory::Warning},
    {3008, "PUSH_WARNING_SERVER_NO_DATA", EventCategory::Warning},
    {2001, "PLAY_EVT_CONNECT_SUCC", EventCategory::Event},
    {2002, "PLAY_EVT_RTMP_STREAM_BEGIN", EventCategory::Event},
    {2003, "PLAY_EVT_RCV_FIRST_I_FRAME", EventCategory::Event},
    {2004, "PLAY_EVT_PLAY_BEGIN", EventCategory::Event},
    {2005, "PLAY_EVT_PLAY_PROGRESS", EventCategory::Event},
    {2006, "PLAY_EVT_PLAY_END", EventCategory::Event},
    {2007, "PLAY_EVT_PLAY_LOADING", EventCategory::Event},
    {2008, "PLAY_EVT_START_VIDEO_DECODER", EventCategory::Event},
    {2009, "PLAY_EVT_CHANGE_RESOLUTION", EventCategory::Event},
    {2011, "PLAY_EVT_CHANGE_ROTATION", EventCategory::Event},
    {2012, "PLAY_EVT_GET_MESSAGE", EventCategory::Event},
    {2026, "PLAY_EVT_RCV_FIRST_AUDIO_FRAME", EventCategory::Event},
    {-2301, "PLAY_ERR_NET_DISCONNECT", EventCategory::Error},
    {-2302, "PLAY_ERR_GET_RTMP_ACC_URL_FAIL", EventCategory::Error},
    {2101, "PLAY_WARNING_VIDEO_DECODE_FAIL", EventCategory::Warning},
    {2102, "PLAY_WARNING_AUDIO_DECODE_FAIL", EventCategory::Warning},
    {2103, "PLAY_WARNING_RECONNECT", EventCategory::Warning},
    {2104, "PLAY_WARNING_RECV_DATA_LAG", EventCategory::Warning},
    {2105, "PLAY_WARNING_VIDEO_PLAY_LAG", EventCategory::Warning},
    {2106, "PLAY_WARNING_HW_ACCELERATION_FAIL", EventCategory::Warning},
    {2107, "PLAY_WARNING_VIDEO_DISCONTINUITY", EventCategory::Warning},
};
}  // namespace

TEST(EventCatalog, EveryReferenceCodeHasItsValueNameAndCategory) {
  for (const auto& x : kReference) {
    const EventInfo* byValue = findEvent(x.value);
    ASSERT_NE(byValue, nullptr) << x.value;
    EXPECT_EQ(byValue->name, x.name) << x.value;
    EXPECT_EQ(byValue->category, x.category) << x.value;
    EXPECT_FALSE(byValue->message.empty()) << x.value;
    const EventInfo* byName = findEventByName(x.name);
    ASSERT_NE(byName, nullptr) << x.name;
    EXPECT_EQ(toInt(byName->code), x.value) << x.name;
  }
}

TEST(EventCatalog, EnumValuesMatchReference) {
  EXPECT_EQ(toInt(EventCode::PUSH_EVT_CONNECT_SUCC), 1001);
  EXPECT_EQ(toInt(EventCode::PUSH_ERR_NET_DISCONNECT), -1307);
  EXPECT_EQ(toInt(EventCode::PUSH_ERR_INVALID_ADDRESS), -1313);
  EXPECT_EQ(toInt(EventCode::PLAY_EVT_RCV_FIRST_AUDIO_FRAME), 2026);
  EXPECT_EQ(toInt(EventCode::PLAY_ERR_NET_DISCONNECT), -2301);
  EXPECT_EQ(toInt(EventCode::PLAY_WARNING_DNS_FAIL), 3001);
  EXPECT_EQ(toInt(EventCode::PLAY_WARNING_READ_WRITE_FAIL), 3005);
}

TEST(EventCatalog, PlayAliasesResolveToSharedConnectionCodes) {
  for (auto [alias, value] : std::vector<std::pair<const char*, int>>{{"PLAY_WARNING_DNS_FAIL", 3001},
                                                                      {"PLAY_WARNING_SEVER_CONN_FAIL", 3002},
                                                                      {"PLAY_WARNING_SHAKE_FAIL", 3003},
                                                                      {"PLAY_WARNING_SERVER_DISCONNECT", 3004},
                                                                      {"PLAY_WARNING_READ_WRITE_FAIL", 3005}}) {
    const EventInfo* e = findEventByName(alias);
    ASSERT_NE(e, nullptr) << alias;
    EXPECT_EQ(toInt(e->code), value);
    EXPECT_EQ(e->alias, alias);
  }
}

TEST(EventCatalog, ValuesAndNamesAreUnique) {
  std::set<int> values;
  std::set<std::string> names;
  for (const auto& e : eventCatalog()) {
    EXPECT_TRUE(values.insert(toInt(e.code)).second) << "duplicate value " << toInt(e.code);
    EXPECT_TRUE(names.insert(std::string(e.name)).second) << "duplicate name " << e.name;
  }
  EXPECT_GE(eventCatalog().size(), kReference.size());
}

TEST(EventCatalog, UnknownLookupsFailCleanly) {
  EXPECT_EQ(findEvent(0), nullptr);
  EXPECT_EQ(findEvent(999999), nullptr);
  EXPECT_EQ(findEventByName(""), nullptr);
  EXPECT_EQ(findEventByName("push_evt_connect_succ"), nullptr);
  EXPECT_EQ(eventName(static_cast<EventCode>(4242)), "UNKNOWN_EVENT");
  EXPECT_EQ(eventMessage(static_cast<EventCode>(4242)), "");
  EXPECT_EQ(toString(EventCategory::Warning), "warning");
}

#include <fstream>
#include <sstream>

TEST(EventCatalog, DocsListEveryCode) {
  std::ifstream in(std::string(OPENLIVE_SOURCE_DIR) + "/docs/EVENTS.md");
  ASSERT_TRUE(in) << "docs/EVENTS.md missing";
  std::stringstream ss;
  ss << in.rdbuf();
  std::string doc = ss.str();
  for (const auto& e : eventCatalog()) {
    std::string row = "| " + std::to_string(toInt(e.code)) + " | " + std::string(e.name) + " |";
    EXPECT_NE(doc.find(row), std::string::npos) << "docs/EVENTS.md lacks " << row;
  }
}
