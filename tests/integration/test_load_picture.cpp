// openlive::loadPicture (include/openlive/picture.h): image files made by the ffmpeg CLI come back as I420 of the
// right size and level, scaled when asked; a missing file, a file that is no image and a bad size are clear
// errors, and the Picture is left as it was.
#include <openlive/picture.h>

#include <gtest/gtest.h>

#include <fstream>

#include "fixtures/process.h"
#include "fixtures/require.h"
#include "fixtures/temp_dir.h"

namespace openlive::test {
namespace {

using namespace std::chrono_literals;

TEST(LoadPicture, PngAndJpegAtTheirSizeOrScaledAndErrors) {
  std::string why;
  OPENLIVE_NEED(haveFfmpegCli(&why), why);
  TempDir dir("ol-picture");
  for (const char* ext : {"png", "jpg"}) {
    const std::string path = (dir.path() / (std::string("grey.") + ext)).string();
    auto made = runCommand({findTool("ffmpeg"), "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i",
                            "color=c=0x404040:s=201x99", "-frames:v", "1", path},
                           30s);
    ASSERT_EQ(made.exitCode, 0) << made.err;
    Picture p;
    ASSERT_TRUE(loadPicture(path, &p)) << ext;
    EXPECT_EQ(p.width, 200) << "rounded down to even";
    EXPECT_EQ(p.height, 98);
    ASSERT_EQ(p.y.size(), size_t(200 * 98));
    ASSERT_EQ(p.u.size(), size_t(100 * 49));
    EXPECT_NEAR(p.y[size_t(49 * 200 + 100)], 71, 6) << ext << ": grey 0x40 is Y ~71 (limited range)";
    const VideoFrame f = p.view(5);
    EXPECT_EQ(f.strides[0], 200);
    EXPECT_EQ(f.ptsMs, 5);
    Picture scaled;
    ASSERT_TRUE(loadPicture(path, &scaled, 64, 32));
    EXPECT_EQ(scaled.width, 64);
    EXPECT_EQ(scaled.height, 32);
  }
  Picture kept;
  kept.width = 2;
  auto missing = loadPicture((dir.path() / "none.png").string(), &kept);
  EXPECT_EQ(missing.code, ResultCode::BadPath) << missing.message;
  const std::string text = (dir.path() / "notes.png").string();
  std::ofstream(text) << "not an image\n";
  auto notImage = loadPicture(text, &kept);
  EXPECT_EQ(notImage.code, ResultCode::Failed);
  EXPECT_NE(notImage.message.find("notes.png"), std::string::npos) << notImage.message;
  EXPECT_EQ(loadPicture(text, &kept, 3, 2).code, ResultCode::InvalidArgument);
  EXPECT_EQ(loadPicture(text, nullptr).code, ResultCode::InvalidArgument);
  EXPECT_EQ(kept.width, 2) << "left as it was";
}

}  // namespace
}  // namespace openlive::test
