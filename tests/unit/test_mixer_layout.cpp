// openlive-mixer's mergeParams parsing (rooms.md section 5): the reference clients' layouts are accepted with
// the right canvas and windows; every refusal has its own code.
#include "mixer/mix_layout.h"

#include <gtest/gtest.h>

// Inside the namespace, not `using namespace` (unity builds: another test's openlive::detail names would clash).
namespace openlive::mixer {
using nlohmann::json;

namespace {

json input(const std::string& id, int layer, int x, int y, int w, int h, int type = -1) {
  json lp = {{"image_layer", layer}, {"image_width", w}, {"image_height", h}, {"location_x", x}, {"location_y", y}};
  if (type >= 0) lp["input_type"] = type;
  return {{"input_stream_id", id}, {"layout_params", lp}};
}

json mergeParams(std::vector<json> list) {
  return {{"timestamp", 1},
          {"eventId", 1},
          {"interface",
           {{"interfaceName", "Mix_StreamV2"},
            {"para",
             {{"app_id", ""},
              {"interface", "mix_streamv2.start_mix_stream_advanced"},
              {"mix_stream_session_id", "anchor"},
              {"output_stream_id", "anchor"},
              {"input_stream_list", std::move(list)}}}}}};
}

LayoutError errorOf(const json& mp, const std::set<std::string>& known = {}) {
  auto r = parseMergeParams(mp, known);
  EXPECT_FALSE(r.layout) << "accepted";
  EXPECT_FALSE(r.message().empty());
  return r.error;
}

}  // namespace

TEST(MixLayout, MobileCoAnchorLayout) {
  // Canvas 540x960; co-anchors 160x240 at x = 380, y = 630, 390, 150 (rooms.md section 5).
  auto r = parseMergeParams(mergeParams({input("a", 1, 0, 0, 540, 960), input("c1", 2, 380, 630, 160, 240),
                                         input("c2", 3, 380, 390, 160, 240), input("c3", 4, 380, 150, 160, 240)}),
                            {"a", "c1", "c2", "c3"});
  ASSERT_TRUE(r.layout) << r.message();
  EXPECT_EQ(r.layout->canvasWidth, 540);
  EXPECT_EQ(r.layout->canvasHeight, 960);
  ASSERT_EQ(r.layout->inputs.size(), 4u);
  EXPECT_EQ(r.layout->inputs[1].window, (Rect{380, 630, 160, 240}));
  EXPECT_EQ(r.layout->streamIds(), (std::vector<std::string>{"a", "c1", "c2", "c3"}));
  EXPECT_TRUE(r.layout->mixing());
}

TEST(MixLayout, PkLayoutWithACanvasInputAndLayersOutOfOrder) {
  auto r = parseMergeParams(mergeParams({input("other", 3, 360, 0, 360, 640), input("canvas", 1, 0, 0, 720, 640, 3),
                                         input("mine", 2, 0, 0, 360, 640)}),
                            {"mine", "other"});
  ASSERT_TRUE(r.layout) << r.message();
  EXPECT_EQ(r.layout->canvasWidth, 720);
  EXPECT_EQ(r.layout->inputs[0].kind, InputKind::Canvas);
  EXPECT_EQ(r.layout->inputs[1].streamId, "mine");
  EXPECT_EQ(r.layout->streamIds(), (std::vector<std::string>{"mine", "other"}));
}

TEST(MixLayout, OnlyTheMainInputIsNotMixing) {
  auto r = parseMergeParams(mergeParams({input("a", 1, 0, 0, 540, 960)}), {});
  ASSERT_TRUE(r.layout);
  EXPECT_FALSE(r.layout->mixing());
}

TEST(MixLayout, CropParamsAreKept) {
  json in = input("c1", 2, 0, 720, 426, 426);
  in["crop_params"] = {{"crop_x", 0}, {"crop_y", 80}, {"crop_width", 320}, {"crop_height", 320}};
  auto r = parseMergeParams(mergeParams({input("a", 1, 0, 0, 1280, 1146), in}), {});
  ASSERT_TRUE(r.layout) << r.message();
  EXPECT_EQ(r.layout->inputs[1].crop, (Rect{0, 80, 320, 320}));
}

TEST(MixLayout, EveryRefusalHasItsCode) {
  const json bg = input("a", 1, 0, 0, 540, 960);
  EXPECT_EQ(errorOf(json::array()), LayoutError::NotAnObject);
  EXPECT_EQ(errorOf(json{{"interface", {{"para", 3}}}}), LayoutError::NotAnObject);
  EXPECT_EQ(errorOf(mergeParams({})), LayoutError::NoInputs);
  EXPECT_EQ(errorOf(mergeParams({bg, input("b", 2, 0, 0, 10, 10), input("c", 3, 0, 0, 10, 10),
                                 input("d", 4, 0, 0, 10, 10), input("e", 4, 0, 0, 10, 10)})),
            LayoutError::TooManyInputs);
  EXPECT_EQ(errorOf(mergeParams({json{{"input_stream_id", "a"}}})), LayoutError::BadInput);
  json typed = bg;
  typed["layout_params"]["image_width"] = "540";
  EXPECT_EQ(errorOf(mergeParams({typed})), LayoutError::BadInput);
  EXPECT_EQ(errorOf(mergeParams({bg, input("b", 1, 0, 0, 10, 10)})), LayoutError::BadLayer);
  EXPECT_EQ(errorOf(mergeParams({bg, input("b", 7, 0, 0, 10, 10)})), LayoutError::BadLayer);
  std::vector<json> seven{bg};  // 4 streams plus 3 pictures: more entries than kMaxEntries
  for (int layer = 2; layer <= 7; ++layer) {
    seven.push_back(input(layer <= 4 ? "s" + std::to_string(layer) : "p" + std::to_string(layer), layer, 0, 0, 10, 10));
    if (layer > 4) seven.back()["layout_params"]["input_type"] = 2;
  }
  EXPECT_EQ(errorOf(mergeParams(seven)), LayoutError::TooManyInputs);
  EXPECT_EQ(errorOf(mergeParams({input("b", 2, 0, 0, 10, 10)})), LayoutError::NoBackground);
  EXPECT_EQ(errorOf(mergeParams({input("a", 1, 0, 0, 0, 960)})), LayoutError::BadSize);
  EXPECT_EQ(errorOf(mergeParams({input("a", 1, 0, 0, 8192, 960)})), LayoutError::BadSize);
  EXPECT_EQ(errorOf(mergeParams({bg, input("b", 2, 400, 0, 160, 240)})), LayoutError::OutsideCanvas);
  EXPECT_EQ(errorOf(mergeParams({bg, input("b", 2, -2, 0, 160, 240)})), LayoutError::OutsideCanvas);
  json cropped = input("b", 2, 0, 0, 160, 240);
  cropped["crop_params"] = {{"crop_x", 0}, {"crop_y", 0}, {"crop_width", 0}, {"crop_height", 10}};
  EXPECT_EQ(errorOf(mergeParams({bg, cropped})), LayoutError::BadCrop);
  EXPECT_EQ(errorOf(mergeParams({bg, input("zz", 2, 0, 0, 160, 240)}), {"a"}), LayoutError::UnknownStream);
  EXPECT_EQ(errorOf(mergeParams({bg, input("b", 2, 0, 0, 160, 240, 7)})), LayoutError::UnsupportedInputType);
  EXPECT_EQ(errorOf(mergeParams({bg, input("b", 2, 0, 0, 160, 240, 3)})), LayoutError::BadLayer);
}

TEST(MixLayout, PictureIdIsANumberOrAString) {
  json seven = input("p1", 2, 0, 0, 160, 240, 2), logo = input("p2", 3, 160, 0, 160, 240, 2);
  seven["layout_params"]["picture_id"] = 7;
  logo["layout_params"]["picture_id"] = "logo";
  auto r = parseMergeParams(mergeParams({input("anchor", 1, 0, 0, 540, 960), seven, logo}), {});
  ASSERT_TRUE(r.layout) << r.message();
  EXPECT_EQ(r.layout->pictureIds(), (std::vector<std::string>{"7", "logo"}));
  EXPECT_EQ(r.layout->streamIds(), std::vector<std::string>{"anchor"});  // pictures are not played
  json bad = seven;
  bad["layout_params"]["picture_id"] = json::object();
  EXPECT_EQ(errorOf(mergeParams({input("anchor", 1, 0, 0, 540, 960), bad})), LayoutError::BadInput);
}

}  // namespace openlive::mixer
