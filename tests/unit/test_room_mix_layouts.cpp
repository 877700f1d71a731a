// The layouts LiveRoom's main anchor asks for (sdk/room/mix_layouts.h, rooms.md section 5), read back with
// openlive-mixer's parser: what the service will run.
#include <gtest/gtest.h>

#include "mixer/mix_layout.h"
#include "room/mix_layouts.h"

namespace openlive::room {
namespace {

using mixer::InputKind;
using MixWindow = mixer::Rect;

mixer::MixLayout parsed(const MixRequestSpec& spec) {
  auto r = mixer::parseMergeParams(mixRequest(spec), {});
  EXPECT_TRUE(r.layout) << r.message();
  return r.layout.value_or(mixer::MixLayout{});
}

TEST(RoomMixLayouts, AloneTheAnchorIsTheWholePictureAtItsOwnSize) {
  for (auto style : {RoomMixLayout::Mobile, RoomMixLayout::PC}) {
    const auto l = parsed({style, "main", 640, 360, {}, 7});
    EXPECT_EQ(l.canvasWidth, 640);
    EXPECT_EQ(l.canvasHeight, 360);
    ASSERT_EQ(l.inputs.size(), 1u);
    EXPECT_FALSE(l.mixing());
  }
  EXPECT_EQ(mixRequest({RoomMixLayout::PC, "main", 640, 360, {}, 7})["timestamp"], 7);
}

TEST(RoomMixLayouts, MobileCoAnchorsStackUpwardOnA540x960Canvas) {
  const auto l = parsed({RoomMixLayout::Mobile, "main", 360, 640, {"a", "b", "c", "d"}, 0});
  EXPECT_EQ(l.canvasWidth, 540);
  EXPECT_EQ(l.canvasHeight, 960);
  ASSERT_EQ(l.inputs.size(), 4u);  // a fourth co-anchor is not placed
  EXPECT_EQ(l.inputs[1].streamId, "a");
  EXPECT_EQ(l.inputs[1].window, (MixWindow{380, 630, 160, 240}));
  EXPECT_EQ(l.inputs[2].window, (MixWindow{380, 390, 160, 240}));
  EXPECT_EQ(l.inputs[3].window, (MixWindow{380, 150, 160, 240}));
}

TEST(RoomMixLayouts, PcPutsTheAnchorOnTopAndThreeSquaresBelowEmptyOnesArePictures) {
  const auto l = parsed({RoomMixLayout::PC, "main", 1280, 720, {"a"}, 0});
  EXPECT_EQ(l.canvasWidth, 1280);
  EXPECT_EQ(l.canvasHeight, 720 + 426);
  ASSERT_EQ(l.inputs.size(), 5u);
  EXPECT_EQ(l.inputs[0].kind, InputKind::Canvas);
  EXPECT_EQ(l.inputs[1].streamId, "main");
  EXPECT_EQ(l.inputs[1].window, (MixWindow{0, 0, 1280, 720}));
  EXPECT_EQ(l.inputs[2].streamId, "a");
  EXPECT_EQ(l.inputs[2].window, (MixWindow{0, 720, 426, 426}));
  EXPECT_EQ(l.inputs[3].kind, InputKind::Picture);
  EXPECT_EQ(l.inputs[4].window, (MixWindow{852, 720, 426, 426}));
  const auto full = parsed({RoomMixLayout::PC, "main", 1280, 720, {"a", "b", "c"}, 0});
  EXPECT_EQ(full.streamIds(), (std::vector<std::string>{"main", "a", "b", "c"}));  // 4 streams: the limit
  EXPECT_TRUE(l.pictureIds().empty()) << "no picture_id configured: the mixer's placeholder";
  const auto withPicture = parsed({RoomMixLayout::PC, "main", 1280, 720, {"a"}, 0, "", "logo"});
  EXPECT_EQ(withPicture.pictureIds(), (std::vector<std::string>{"logo", "logo"}));  // the two empty squares
  EXPECT_EQ(withPicture.inputs[3].pictureId, "logo");
}

TEST(RoomMixLayouts, PkShowsTheTwoAnchorsSideBySideOnA720x640Canvas) {
  const auto l = parsed({RoomMixLayout::Mobile, "main", 360, 640, {"a"}, 0, "other"});
  EXPECT_EQ(l.canvasWidth, 720);
  EXPECT_EQ(l.canvasHeight, 640);
  EXPECT_EQ(l.streamIds(), (std::vector<std::string>{"main", "other"}));  // co-anchors are not shown in a PK
  ASSERT_EQ(l.inputs.size(), 3u);
  EXPECT_EQ(l.inputs[1].window, (MixWindow{0, 0, 360, 640}));
  EXPECT_EQ(l.inputs[2].window, (MixWindow{360, 0, 360, 640}));
}

TEST(RoomMixLayouts, StreamIdOfAUrlIsItsLastPathSegment) {
  EXPECT_EQ(streamIdOfUrl("rtmp://h:1935/live/1400_ab?txSecret=x&txTime=y"), "1400_ab");
  EXPECT_EQ(streamIdOfUrl("rtmp://h/live/s"), "s");
  EXPECT_EQ(streamIdOfUrl("s"), "s");
}

}  // namespace
}  // namespace openlive::room
