// openlive::loadPicture (include/openlive/picture.h) over decodeImageFile.
#include <openlive/picture.h>

#include "process/image_file.h"

#include <filesystem>

namespace openlive {

Result loadPicture(const std::string& path, Picture* out, int width, int height) {
  if (!out) return Result::failure(ResultCode::InvalidArgument, "no Picture to load into");
  const bool sized = width != 0 || height != 0;
  if (sized && (width < 2 || height < 2 || width > 8192 || height > 8192 || width % 2 || height % 2))
    return Result::failure(ResultCode::InvalidArgument, "a picture size is even, 2 to 8192 px a side");
  std::error_code ec;
  if (path.empty() || !std::filesystem::is_regular_file(path, ec))
    return Result::failure(ResultCode::BadPath, "no such file: " + path);
  detail::I420Image img;
  std::string why;
  if (!detail::decodeImageFile(path, width, height, img, &why)) return Result::failure(ResultCode::Failed, why);
  out->width = img.width;
  out->height = img.height;
  out->y = std::move(img.y);
  out->u = std::move(img.u);
  out->v = std::move(img.v);
  return Result::success();
}

}  // namespace openlive
