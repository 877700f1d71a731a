// PreviewFeed (pusher/preview_feed.h): the local preview's one-slot, latest-wins hand-over.
#include "pusher/preview_feed.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

namespace openlive::detail {
namespace {

using namespace std::chrono_literals;

I420Image previewFeedPicture(int w, int h, uint8_t luma) {
  I420Image img;
  img.allocate(w, h);
  img.fill(luma, 128, 128);
  return img;
}

TEST(PreviewFeed, DisabledTakesNothing) {
  PreviewFeed feed;
  feed.offer(previewFeedPicture(16, 8, 50).view());
  I420Image out;
  EXPECT_FALSE(feed.take(out, std::chrono::steady_clock::now()));
  EXPECT_EQ(feed.dropped(), 0u);
}

TEST(PreviewFeed, LatestWinsAndOlderPicturesAreCounted) {
  PreviewFeed feed;
  feed.setEnabled(true);
  for (uint8_t luma : {10, 20, 30}) feed.offer(previewFeedPicture(16, 8, luma).view());
  EXPECT_EQ(feed.dropped(), 2u);
  I420Image out;
  ASSERT_TRUE(feed.take(out, std::chrono::steady_clock::now()));
  EXPECT_EQ(out.width, 16);
  EXPECT_EQ(out.y[0], 30);
  EXPECT_FALSE(feed.take(out, std::chrono::steady_clock::now()));  // taken: the slot is empty
}

TEST(PreviewFeed, WakeEndsAWaitingTake) {
  PreviewFeed feed;
  feed.setEnabled(true);
  std::thread waker([&] { feed.wake(); });
  I420Image out;
  const auto t0 = std::chrono::steady_clock::now();
  EXPECT_FALSE(feed.take(out, t0 + 10s));
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 5s);
  waker.join();
}

}  // namespace
}  // namespace openlive::detail
